package org.smartcity.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;

class AlertLatencyBenchmarkTest {
    @Test
    void parsesAConfigurationWithItsOptions() {
        AlertLatencyBenchmark.Setup s =
                AlertLatencyBenchmark.Setup.parse(
                        "exactly-once/500ms/changelog/unaligned/10/wm=50");

        assertThat(s.delivery()).isEqualTo("exactly-once");
        assertThat(s.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.backend()).isEqualTo("changelog");
        assertThat(s.unaligned()).isTrue();
        assertThat(s.debloat()).isFalse();
        assertThat(s.bufferTimeout()).isEqualTo(10);
        assertThat(s.watermarkInterval()).isEqualTo(50);
    }

    @Test
    void aPlainConfigurationKeepsTheJobsSettings() {
        AlertLatencyBenchmark.Setup s = AlertLatencyBenchmark.Setup.parse("at-least-once/30s");

        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.backend()).isEqualTo("default");
        assertThat(AlertLatencyBenchmark.Setup.parse("exactly-once/500ms/hashmap").backend())
                .isEqualTo("hashmap");
        assertThat(s.bufferTimeout()).isEqualTo(-1);
        assertThat(s.watermarkInterval()).isEqualTo(-1);
        assertThatThrownBy(() -> AlertLatencyBenchmark.Setup.parse("twice/1s"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCityWorkloadDefaultsToIssue11sSensorsAndHalfTheSustainedRate() {
        AlertLatencyBenchmark.Options city =
                AlertLatencyBenchmark.Options.parse("--workload", "city");
        AlertLatencyBenchmark.Options pm25 = AlertLatencyBenchmark.Options.parse();

        assertThat(city.sensors()).isEqualTo(50_000);
        assertThat(city.rate()).isEqualTo(100_000);
        assertThat(pm25.sensors()).isEqualTo(5_000);
        assertThat(pm25.rate()).isEqualTo(5_000);
        // One uncounted run first, unless told otherwise.
        assertThat(city.warmupRuns()).isEqualTo(1);
        assertThat(AlertLatencyBenchmark.Options.parse("--warmup-runs", "0").warmupRuns()).isZero();
    }

    @Test
    void theWriteBookFindsWhenASensorRuleReadingWasWritten() {
        AlertLatencyBenchmark.WriteBook book = new AlertLatencyBenchmark.WriteBook();
        for (int i = 0; i < 100; i++) {
            book.sent(reading("w-1", Metric.WATER_LEVEL, 1_000 + i), 5_000 + i);
        }
        book.sent(reading("n-1", Metric.NOISE, 1_000), 5_000);

        // The newest 64 are kept: readings 36..99.
        assertThat(book.writtenAt("w-1", 1_099)).isEqualTo(5_099);
        assertThat(book.writtenAt("w-1", 1_036)).isEqualTo(5_036);
        assertThat(book.writtenAt("w-1", 1_035)).isEqualTo(-1);
        // Noise has no sensor rules: not kept.
        assertThat(book.writtenAt("n-1", 1_000)).isEqualTo(-1);
    }

    private static Reading reading(String sensor, Metric metric, long ts) {
        return new Reading(sensor, metric, "kunming", ts, 25.04, 102.71, 1.0, 1L);
    }
}
