package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;

/**
 * Coverage low in an operator harness driving the processing clock: a district where fewer than 60%
 * of its sensors report within 10 minutes opens an alert, which clears when enough report again;
 * when every sensor stops, the checks go on and the alert opens without any reading.
 */
class CoverageFunctionTest {
    private static final long MINUTE = 60_000L;
    private static final CoverageRule RULE =
            new CoverageRule(
                    "pm25-coverage", Metric.PM25, 0.6, 10 * MINUTE, Severity.MODERATE, "test");

    /** Five seconds into a minute; the checks run on whole minutes, from M1 on. */
    private static final long P0 = 1_800_000_000_000L + 5_000;

    private static final long M1 = P0 + 55_000;

    @Test
    void opensBelowTheShareClearsAtItAndSeesAnOutage() throws Exception {
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new CoverageFunction(RULE, (k, id) -> "District " + id)),
                        DistrictReading::districtId,
                        Types.STRING)) {
            h.open();
            h.setProcessingTime(P0);
            for (String s : new String[] {"s1", "s2", "s3", "s4"}) {
                h.processElement(new DistrictReading("d1", s, Metric.PM25), 0);
            }
            h.setProcessingTime(M1 + 9 * MINUTE);
            // s1 and s2 report again; s3 and s4 stay silent.
            h.setProcessingTime(P0 + 10 * MINUTE);
            h.processElement(new DistrictReading("d1", "s1", Metric.PM25), 0);
            h.processElement(new DistrictReading("d1", "s2", Metric.PM25), 0);
            assertThat(h.extractOutputValues()).isEmpty();

            // M1 + 10 min: s3 and s4 last reported 10 min 55 s ago: 2 of 4 report, below 60%.
            h.setProcessingTime(M1 + 10 * MINUTE);
            String first = "pm25-coverage|district|d1|" + (M1 + 10 * MINUTE);
            assertThat(h.extractOutputValues())
                    .extracting(
                            Alert::id, Alert::revision, Alert::status, Alert::value, Alert::message)
                    .containsExactly(
                            tuple(
                                    first,
                                    1,
                                    AlertStatus.ACTIVE,
                                    0.5,
                                    "Only 2 of 4 sensors in District d1 reported within 10 min"
                                            + " (below 60%)"));

            // s3 is back: 3 of 4 at the next check.
            h.setProcessingTime(M1 + 10 * MINUTE + 30_000);
            h.processElement(new DistrictReading("d1", "s3", Metric.PM25), 0);
            h.setProcessingTime(M1 + 11 * MINUTE);
            assertThat(h.extractOutputValues())
                    .extracting(Alert::id, Alert::revision, Alert::status, Alert::clearedAtMillis)
                    .containsExactly(
                            tuple(first, 1, AlertStatus.ACTIVE, null),
                            tuple(first, 2, AlertStatus.CLEARED, M1 + 11 * MINUTE));

            // Then nothing arrives at all: the checks go on by themselves. At M1 + 20 min s1 and
            // s2 have been silent 10 min 55 s, s3 only 9 min 30 s: 1 of 4.
            h.setProcessingTime(M1 + 19 * MINUTE);
            assertThat(h.extractOutputValues()).hasSize(2);
            h.setProcessingTime(M1 + 20 * MINUTE);
            assertThat(h.extractOutputValues())
                    .extracting(Alert::id, Alert::revision, Alert::value)
                    .endsWith(tuple("pm25-coverage|district|d1|" + (M1 + 20 * MINUTE), 1, 0.25));
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void theRecordsArePojos() {
        org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo(
                DistrictReading.class);
    }
}
