package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.jobs.alerts.ThresholdRule.Level;

/**
 * Silent-sensor and sensor rules of one sensor in the one operator that holds them ({@link
 * SensorRulesFunction}; each kind alone: {@link SilentSensorFunctionTest}, {@link
 * SensorAlertFunctionTest}): both kinds on the same readings, forgetting a sensor leaves its sensor
 * rules' state, and a restart with an edited rules file finds each rule's state by rule id.
 */
class SensorRulesFunctionTest {
    private static final long MINUTE = 60_000L;
    private static final long DAY = 24 * 60 * MINUTE;
    private static final long T0 = Instant.parse("2026-12-04T03:00:00Z").toEpochMilli();

    private static final SilentSensorRule SILENT =
            new SilentSensorRule("silent", null, 10 * MINUTE, Severity.MINOR, "test");

    private static final SensorRule LEVEL =
            new SensorRule(
                    "water-level",
                    SensorRule.Mode.LEVEL,
                    "Water level",
                    Metric.WATER_LEVEL,
                    0,
                    3,
                    List.of(new Level(Severity.MINOR, 3.0)),
                    2.8,
                    Map.of(),
                    "",
                    "test");

    @Test
    void bothKindsOfRuleActOnTheSameReadings() throws Exception {
        try (var h = harness(List.of(SILENT), List.of(LEVEL))) {
            h.open();
            h.setProcessingTime(T0);
            h.processElement(sample("g1", T0, 3.2), T0); // above 3.0: raised
            h.processWatermark(T0 + 10 * MINUTE); // silent for 10 min: raised
            // Back after 12 min below 2.8: both clear.
            h.processElement(sample("g1", T0 + 12 * MINUTE, 2.7), T0 + 12 * MINUTE);

            assertThat(h.extractOutputValues())
                    .extracting(Alert::id, Alert::revision, Alert::status, Alert::value)
                    .containsExactlyInAnyOrder(
                            tuple("water-level|sensor|g1|" + T0, 1, AlertStatus.ACTIVE, 3.2),
                            tuple(
                                    "silent|sensor|g1|" + (T0 + 10 * MINUTE),
                                    1,
                                    AlertStatus.ACTIVE,
                                    10.0),
                            tuple(
                                    "silent|sensor|g1|" + (T0 + 10 * MINUTE),
                                    2,
                                    AlertStatus.CLEARED,
                                    12.0),
                            tuple("water-level|sensor|g1|" + T0, 2, AlertStatus.CLEARED, 2.7));
        }
    }

    @Test
    void aForgottenSensorKeepsItsSensorRulesState() throws Exception {
        try (var h = harness(List.of(SILENT), List.of(LEVEL))) {
            h.open();
            h.setProcessingTime(T0);
            h.processElement(sample("g1", T0, 3.2), T0);
            h.processWatermark(T0 + DAY); // silent, then forgotten
            h.processElement(sample("g1", T0 + DAY + MINUTE, 2.7), T0 + DAY + MINUTE);

            String silent = "silent|sensor|g1|" + (T0 + 10 * MINUTE);
            assertThat(h.extractOutputValues())
                    .extracting(Alert::id, Alert::revision, Alert::status, Alert::updatedAtMillis)
                    .containsExactly(
                            tuple("water-level|sensor|g1|" + T0, 1, AlertStatus.ACTIVE, T0),
                            tuple(silent, 1, AlertStatus.ACTIVE, T0 + 10 * MINUTE),
                            tuple(silent, 2, AlertStatus.CLEARED, T0 + DAY),
                            // The level alert raised before the sensor was forgotten still clears.
                            tuple(
                                    "water-level|sensor|g1|" + T0,
                                    2,
                                    AlertStatus.CLEARED,
                                    T0 + DAY + MINUTE));
        }
    }

    @Test
    void anEditedRulesFileFindsEachRulesStateById() throws Exception {
        SilentSensorRule a = new SilentSensorRule("a", null, 10 * MINUTE, Severity.MINOR, "test");
        SilentSensorRule b = new SilentSensorRule("b", null, 20 * MINUTE, Severity.MINOR, "test");
        SilentSensorRule c = new SilentSensorRule("c", null, 30 * MINUTE, Severity.MINOR, "test");
        OperatorSubtaskState snapshot;
        try (var h = harness(List.of(a, b), List.of())) {
            h.open();
            h.setProcessingTime(T0);
            h.processElement(sample("s1", T0, 1.0), T0);
            snapshot = h.snapshot(1, T0);
        }
        // Restarted with the rules in another order and a new one between them.
        try (var h = harness(List.of(b, c, a), List.of())) {
            h.setProcessingTime(T0 + 1);
            h.initializeState(snapshot);
            h.open();
            h.processWatermark(T0 + 30 * MINUTE);
            // c has seen no reading of s1 since it was added: it waits for one.
            assertThat(h.extractOutputValues())
                    .extracting(Alert::id)
                    .containsExactly(
                            "a|sensor|s1|" + (T0 + 10 * MINUTE),
                            "b|sensor|s1|" + (T0 + 20 * MINUTE));
        }
    }

    @Test
    void stateWrittenBeforeItsOwnSerializerWasAPojo() {
        // What SensorWatchSerializer restores from (SensorWatchSerializerTest).
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SensorWatch.class);
    }

    @Test
    void samplesCrossTheNetworkWithTheirOwnSerializer() throws Exception {
        TypeSerializer<SensorSample> serializer =
                TypeInformation.of(SensorSample.class).createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isSameAs(SensorSampleSerializer.INSTANCE);
        for (SensorSample sample :
                List.of(
                        new SensorSample("g-7", Metric.WATER_LEVEL, T0 + 1, -0.25),
                        new SensorSample("g-8", Metric.PM25, T0 + 2, 0.5, 25.040612, 102.712398))) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(sample, out);
            SensorSample back =
                    serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).isEqualTo(sample);
            // Bit for bit, NaN (no position) included.
            assertThat(Double.doubleToRawLongBits(back.lat()))
                    .isEqualTo(Double.doubleToRawLongBits(sample.lat()));
            assertThat(Double.doubleToRawLongBits(back.lon()))
                    .isEqualTo(Double.doubleToRawLongBits(sample.lon()));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SensorSample, Alert> harness(
            List<SilentSensorRule> silent, List<SensorRule> sensor) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SensorRulesFunction(silent, sensor)),
                SensorSample::sensorId,
                Types.STRING);
    }

    private static SensorSample sample(String sensor, long t, double value) {
        return new SensorSample(sensor, Metric.WATER_LEVEL, t, value);
    }
}
