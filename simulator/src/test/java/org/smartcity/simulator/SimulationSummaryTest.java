package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.Metric;
import org.smartcity.core.RejectionReason;

class SimulationSummaryTest {
    private static final SimulationSummary SUMMARY =
            new SimulationSummary(
                    1_004,
                    Map.of(Metric.PM25, 600L, Metric.NOISE, 400L, Metric.O3, 0L),
                    Map.of(Metric.PM25, 600L, Metric.NOISE, 400L),
                    Map.of(Metric.PM25, 590L, Metric.NOISE, 395L),
                    Map.of(RejectionReason.OUT_OF_RANGE, 5L, RejectionReason.MALFORMED, 10L),
                    Map.of(
                            Fault.MALFORMED, 10L,
                            Fault.OUT_OF_RANGE, 5L,
                            Fault.LATE, 7L,
                            Fault.DUPLICATE, 3L,
                            Fault.SILENT_SENSOR, 2L),
                    List.of("km-noise-0002", "km-pm25-0007"),
                    3L);

    @Test
    void totalsAddUpTheMaps() {
        assertThat(SUMMARY.messagesSent()).isEqualTo(1_000);
        assertThat(SUMMARY.unconfirmedMessages()).isEqualTo(4);
        assertThat(SUMMARY.readingsSent()).isEqualTo(1_000);
        assertThat(SUMMARY.expectedAccepted()).isEqualTo(985);
        assertThat(SUMMARY.expectedRejected()).isEqualTo(15);
        assertThat(SUMMARY.expectedAccepted(Metric.O3)).isZero();
        assertThat(SUMMARY.expectedRejections(RejectionReason.MALFORMED)).isEqualTo(10);
        assertThat(SUMMARY.duplicates()).isEqualTo(3);
        assertThat(SUMMARY.late()).isEqualTo(7);
        assertThat(SUMMARY.outOfOrder()).isZero();
        assertThat(SUMMARY.messagesByMetric())
                .as("zeros are left out")
                .containsOnlyKeys(Metric.PM25, Metric.NOISE);
        assertThat(SUMMARY.rejectionsByReason().keySet())
                .as("enum order")
                .containsExactly(RejectionReason.MALFORMED, RejectionReason.OUT_OF_RANGE);
    }

    @Test
    void printsAReadableTable() {
        assertThat(SUMMARY.toTable())
                .isEqualTo(
                        """
                        Simulation summary
                          messages  1,004 published, 1,000 confirmed by the broker, 4 unconfirmed
                          readings  1,000 sent (duplicate copies included)

                          metric           messages     readings   bridge accepts
                          pm25                  600          600              590
                          pm10                    0            0                0
                          no2                     0            0                0
                          o3                      0            0                0
                          noise                 400          400              395
                          temperature             0            0                0
                          humidity                0            0                0
                          traffic                 0            0                0
                          water_level             0            0                0
                          total               1,000        1,000              985

                          bridge rejects  MALFORMED 10, OUT_OF_RANGE 5 (total 15)
                          faults          malformed 10, out-of-range 5, late 7, duplicate 3, silent-sensors 2
                          silent sensors  km-noise-0002, km-pm25-0007
                        """);
    }

    @Test
    void writesJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out/summary.json");
        SUMMARY.writeJson(file);

        String json = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(json + "\n").isEqualTo(SUMMARY.toJson());
        assertThat(json)
                .isEqualTo(
                        """
                        {
                          "messagesPublished" : 1004,
                          "messagesSent" : 1000,
                          "unconfirmedMessages" : 4,
                          "readingsSent" : 1000,
                          "messagesByMetric" : {
                            "pm25" : 600,
                            "noise" : 400
                          },
                          "readingsByMetric" : {
                            "pm25" : 600,
                            "noise" : 400
                          },
                          "expectedAccepted" : 985,
                          "acceptedByMetric" : {
                            "pm25" : 590,
                            "noise" : 395
                          },
                          "expectedRejected" : 15,
                          "rejectionsByReason" : {
                            "MALFORMED" : 10,
                            "OUT_OF_RANGE" : 5
                          },
                          "faults" : {
                            "malformed" : 10,
                            "out-of-range" : 5,
                            "late" : 7,
                            "duplicate" : 3,
                            "silent-sensors" : 2
                          },
                          "duplicates" : 3,
                          "acceptedRepeats" : 3,
                          "outOfOrder" : 0,
                          "late" : 7,
                          "silentSensors" : [ "km-noise-0002", "km-pm25-0007" ]
                        }""");
    }
}
