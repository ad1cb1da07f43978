package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.jobs.alerts.ThresholdRule.Level;

/**
 * Sensor rules in an operator harness, reading by reading, every expected revision worked out by
 * hand: a water level rising within 15 minutes (at least 3 readings), and absolute levels with a
 * gauge of its own; readings a millisecond apart and repeats change nothing.
 */
class SensorAlertFunctionTest {
    private static final long MINUTE = 60_000L;
    private static final long T0 = Instant.parse("2026-12-04T03:00:00Z").toEpochMilli();

    private static final SensorRule RISE =
            new SensorRule(
                    "water-rising",
                    SensorRule.Mode.RISE,
                    "Water level rise",
                    Metric.WATER_LEVEL,
                    15 * MINUTE,
                    3,
                    List.of(new Level(Severity.MODERATE, 0.30), new Level(Severity.SEVERE, 0.60)),
                    0.10,
                    Map.of(),
                    "",
                    "test");

    private static final SensorRule LEVEL =
            new SensorRule(
                    "water-level",
                    SensorRule.Mode.LEVEL,
                    "Water level",
                    Metric.WATER_LEVEL,
                    0,
                    3,
                    List.of(new Level(Severity.MINOR, 3.0), new Level(Severity.MODERATE, 3.5)),
                    2.8,
                    Map.of(
                            "g2",
                            new SensorRule.Gauge(List.of(new Level(Severity.MINOR, 2.0)), 1.9)),
                    "flood signal",
                    "test");

    @Test
    void aRiseWithinTheSpanRaisesEscalatesAndClears() throws Exception {
        try (var h = harness(RISE)) {
            h.open();
            feed(h, "g1", 0, 1.00); // one reading in the span: not enough
            feed(h, "g1", 5 * MINUTE, 1.10); // two
            feed(h, "g1", 10 * MINUTE, 1.35); // three: rose 0.35 since 1.00 -> moderate
            feed(h, "g1", 10 * MINUTE + 1, 1.36); // a millisecond later: rose 0.36, still moderate
            feed(h, "g1", 10 * MINUTE + 1, 1.36); // the same reading again
            feed(h, "g1", 20 * MINUTE, 1.70); // 03:05..03:20: rose 0.60, not above 0.60
            feed(h, "g1", 25 * MINUTE, 2.00); // 03:10..03:25: rose 0.65 since 1.35 -> severe
            feed(h, "g1", 40 * MINUTE, 2.05); // 03:25..03:40: two readings, not evaluated
            feed(h, "g1", 45 * MINUTE, 2.06); // 03:30..03:45: two readings again
            feed(h, "g1", 50 * MINUTE, 2.07); // 03:35..03:50: rose 0.02, below 0.10 -> cleared

            String id = "water-rising|sensor|g1|" + (T0 + 10 * MINUTE);
            assertThat(h.extractOutputValues())
                    .extracting(
                            Alert::id,
                            Alert::revision,
                            Alert::status,
                            Alert::severity,
                            Alert::updatedAtMillis,
                            Alert::clearedAtMillis,
                            Alert::value,
                            Alert::peak,
                            Alert::threshold)
                    .containsExactly(
                            tuple(
                                    id,
                                    1,
                                    AlertStatus.ACTIVE,
                                    Severity.MODERATE,
                                    T0 + 10 * MINUTE,
                                    null,
                                    1.35 - 1.00,
                                    1.35 - 1.00,
                                    0.30),
                            tuple(
                                    id,
                                    2,
                                    AlertStatus.ACTIVE,
                                    Severity.SEVERE,
                                    T0 + 25 * MINUTE,
                                    null,
                                    2.00 - 1.35,
                                    2.00 - 1.35,
                                    0.60),
                            tuple(
                                    id,
                                    3,
                                    AlertStatus.CLEARED,
                                    Severity.SEVERE,
                                    T0 + 50 * MINUTE,
                                    T0 + 50 * MINUTE,
                                    2.07 - 2.05,
                                    2.00 - 1.35,
                                    0.60));
            assertThat(h.extractOutputValues().get(0).message())
                    .isEqualTo("Water level rise at sensor g1 0.35 m within 15m, above 0.3");
        }
    }

    @Test
    void levelsPerGaugeWithHysteresis() throws Exception {
        try (var h = harness(LEVEL)) {
            h.open();
            feed(h, "g1", 0, 3.2); // above 3.0: minor
            feed(h, "g1", MINUTE, 3.6); // above 3.5: moderate
            feed(h, "g1", 2 * MINUTE, 2.9); // between 2.8 and 3.0: unchanged
            feed(h, "g1", 3 * MINUTE, 2.7); // below 2.8: cleared
            feed(h, "g2", 0, 2.1); // its own levels: above 2.0 is minor
            feed(h, "g3", 0, 2.1); // the rule's levels: nothing

            String g1 = "water-level|sensor|g1|" + T0;
            assertThat(h.extractOutputValues())
                    .extracting(
                            Alert::id,
                            Alert::revision,
                            Alert::status,
                            Alert::severity,
                            Alert::value,
                            Alert::peak)
                    .containsExactly(
                            tuple(g1, 1, AlertStatus.ACTIVE, Severity.MINOR, 3.2, 3.2),
                            tuple(g1, 2, AlertStatus.ACTIVE, Severity.MODERATE, 3.6, 3.6),
                            tuple(g1, 3, AlertStatus.CLEARED, Severity.MODERATE, 2.7, 3.6),
                            tuple(
                                    "water-level|sensor|g2|" + T0,
                                    1,
                                    AlertStatus.ACTIVE,
                                    Severity.MINOR,
                                    2.1,
                                    2.1));
            assertThat(h.extractOutputValues().get(1).message())
                    .isEqualTo("Water level at sensor g1 3.6 m, above 3.5 (flood signal)");
        }
    }

    @Test
    void theStateIsAPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SensorAlertState.class);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SensorSample, Alert> harness(
            SensorRule rule) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SensorRulesFunction(List.of(), List.of(rule))),
                SensorSample::sensorId,
                Types.STRING);
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, SensorSample, Alert> h,
            String sensor,
            long offset,
            double value)
            throws Exception {
        long t = T0 + offset;
        h.processElement(
                SensorSample.of(
                        new Reading(
                                sensor,
                                Metric.WATER_LEVEL,
                                "kunming",
                                t,
                                25.0,
                                102.7,
                                value,
                                null)),
                t);
    }
}
