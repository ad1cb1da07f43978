package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;

class SensorWatchSerializerTest {
    private static final String[] SILENT = {"pm25-silent", "sensor-silent"};
    private static final String[] SENSOR = {"pm25-sensor-high", "water-rising", "water-level"};

    private final SensorWatchSerializer serializer = SensorWatchSerializer.forRules(SILENT, SENSOR);

    @Test
    void roundTripsEveryFieldAndEdgeValue() throws IOException {
        SensorWatch w = full();

        SensorWatch back = roundTrip(serializer, w);

        assertSameWatch(back, w);
    }

    @Test
    void roundTripsASensorNeverHeardWithNoState() throws IOException {
        SensorWatch empty = SensorWatch.empty(SILENT, SENSOR);

        assertThat(roundTrip(serializer, empty)).usingRecursiveComparison().isEqualTo(empty);
        assertThat(bytes(serializer, empty)).hasSize(1 + SILENT.length + SENSOR.length);
    }

    @Test
    void writesTheRulesIdsOncePerSnapshotNotPerSensor() throws IOException {
        // A heard PM2.5 sensor with one silent rule's state and no alert: heard flag, two times,
        // then per silent slot a presence byte (+ metric, two times, no-alert byte), then one
        // presence byte per sensor rule.
        SensorWatch w =
                new SensorWatch(
                        true,
                        5,
                        6,
                        SILENT,
                        new SilentState[] {null, new SilentState(Metric.PM25, 5, 6, null)},
                        SENSOR,
                        new SensorAlertState[3]);
        int expected = 1 + 16 + 1 + (1 + 1 + 16 + 1) + 3;

        assertThat(bytes(serializer, w)).hasSize(expected);
        // What Flink's record serializer wrote for the same value, ids included.
        TypeSerializer<SensorWatch> pojo =
                TypeInformation.of(SensorWatch.class).createSerializer(new SerializerConfigImpl());
        assertThat(bytes(pojo, w).length).isGreaterThan(3 * expected);
    }

    @Test
    void readValuesShareTheSerializersIdArrays() throws IOException {
        SensorWatch back = roundTrip(serializer, full());

        // SensorWatch.alignedTo then finds the function's arrays by identity, at no cost.
        assertThat(back.silentRules()).isSameAs(SILENT);
        assertThat(back.sensorRules()).isSameAs(SENSOR);
        assertThat(back.alignedTo(SILENT, SENSOR)).isSameAs(back);
    }

    @Test
    void aValueOfOtherRulesIsMovedToTheseByIdBeforeItIsWritten() throws IOException {
        SilentState s = new SilentState(Metric.NOISE, 10, 11, null);
        SensorAlertState level = new SensorAlertState(new long[] {7}, new double[] {2.5}, null);
        SensorWatch old =
                new SensorWatch(
                        true,
                        10,
                        11,
                        new String[] {"sensor-silent", "removed"},
                        new SilentState[] {s, new SilentState(Metric.NOISE, 1, 2, null)},
                        new String[] {"water-level"},
                        new SensorAlertState[] {level});

        SensorWatch back = roundTrip(serializer, old);

        assertThat(back.silent())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(null, s);
        assertThat(back.sensor())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(null, null, level);
    }

    @Test
    void copiesAreTheValueItselfWhichIsNeverChangedInPlace() throws IOException {
        SensorWatch w = full();

        assertThat(serializer.copy(w)).isSameAs(w);
        assertThat(serializer.copy(w, SensorWatch.empty(SILENT, SENSOR))).isSameAs(w);
        assertThat(serializer.duplicate()).isSameAs(serializer);
        assertThat(serializer.createInstance())
                .usingRecursiveComparison()
                .isEqualTo(SensorWatch.empty(SILENT, SENSOR));

        byte[] written = bytes(serializer, w);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(written), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(written);
    }

    @Test
    void itsSnapshotRestoresTheSameSerializerCompatibleAsIs() throws IOException {
        TypeSerializerSnapshot<SensorWatch> restored = writtenAndRead(serializer);

        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(restored)
                                .isCompatibleAsIs())
                .isTrue();
    }

    @Test
    void stateOfOtherRulesIsReadWithItsOwnIdsThenMigrated() throws IOException {
        String[] oldSilent = {"sensor-silent"};
        String[] oldSensor = {};
        SensorWatchSerializer old = SensorWatchSerializer.forRules(oldSilent, oldSensor);
        SilentState s = new SilentState(Metric.TRAFFIC, 3, 4, null);
        byte[] written =
                bytes(
                        old,
                        new SensorWatch(
                                true,
                                3,
                                4,
                                oldSilent,
                                new SilentState[] {s},
                                oldSensor,
                                new SensorAlertState[0]));

        TypeSerializerSnapshot<SensorWatch> restored = writtenAndRead(old);
        TypeSerializerSchemaCompatibility<SensorWatch> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        SensorWatch read =
                restored.restoreSerializer().deserialize(new DataInputDeserializer(written));

        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
        assertThat(read.silentRules()).containsExactly("sensor-silent");
        // Written again by the new serializer: the state moved to the new rules' places.
        assertThat(roundTrip(serializer, read).silent())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(null, s);
    }

    @Test
    void stateOfTheJobBeforeThisSerializerRestores() throws IOException {
        // The job used to register the state with Flink's record (POJO) serializer.
        TypeSerializer<SensorWatch> pojo =
                TypeInformation.of(SensorWatch.class).createSerializer(new SerializerConfigImpl());
        SensorWatch w = full();
        byte[] written = bytes(pojo, w);

        TypeSerializerSnapshot<SensorWatch> restored = writtenAndRead(pojo);
        TypeSerializerSchemaCompatibility<SensorWatch> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        SensorWatch read =
                restored.restoreSerializer().deserialize(new DataInputDeserializer(written));

        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
        assertSameWatch(roundTrip(serializer, read), w);
    }

    @Test
    void refusesStateOfAnotherSerializer() throws IOException {
        TypeSerializerSnapshot<SensorWatch> other =
                new TypeSerializerSnapshot<>() {
                    @Override
                    public int getCurrentVersion() {
                        return 1;
                    }

                    @Override
                    public void writeSnapshot(org.apache.flink.core.memory.DataOutputView out) {}

                    @Override
                    public void readSnapshot(
                            int v, org.apache.flink.core.memory.DataInputView in, ClassLoader c) {}

                    @Override
                    public TypeSerializer<SensorWatch> restoreSerializer() {
                        return null;
                    }

                    @Override
                    public TypeSerializerSchemaCompatibility<SensorWatch>
                            resolveSchemaCompatibility(TypeSerializerSnapshot<SensorWatch> o) {
                        return TypeSerializerSchemaCompatibility.incompatible();
                    }
                };

        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(other)
                                .isIncompatible())
                .isTrue();
    }

    @Test
    void anUnknownSnapshotVersionIsAnError() {
        SensorWatchSerializer.Snapshot snapshot = new SensorWatchSerializer.Snapshot();

        assertThatThrownBy(
                        () ->
                                snapshot.readSnapshot(
                                        2,
                                        new DataInputDeserializer(new byte[0]),
                                        getClass().getClassLoader()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 2");
    }

    /** Every field set, with edge values: extremes, NaN, -0, infinities, non-ASCII text. */
    private static SensorWatch full() {
        Alert silence =
                new Alert(
                        "pm25-silent|sensor|s-1|" + Long.MAX_VALUE,
                        "pm25-silent",
                        AlertStatus.ACTIVE,
                        Severity.MINOR,
                        Metric.PM25,
                        SubjectKind.SENSOR,
                        "s-1",
                        "Cuìhú 翠湖",
                        Long.MIN_VALUE,
                        Long.MAX_VALUE,
                        null,
                        Double.NaN,
                        Double.POSITIVE_INFINITY,
                        -0.0,
                        "min",
                        "",
                        Integer.MAX_VALUE,
                        List.of());
        Alert level =
                new Alert(
                        "water-level|sensor|s-1|1",
                        "water-level",
                        AlertStatus.CLEARED,
                        Severity.EXTREME,
                        Metric.WATER_LEVEL,
                        SubjectKind.DISTRICT,
                        "530102",
                        "五华区",
                        1,
                        2,
                        3L,
                        Double.MIN_VALUE,
                        Double.MAX_VALUE,
                        Double.NEGATIVE_INFINITY,
                        "m",
                        "Water level 3.2 m ≥ 3.0 m",
                        2,
                        List.of("8a4b", "8a4c"));
        return new SensorWatch(
                true,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                SILENT,
                new SilentState[] {
                    new SilentState(Metric.PM25, -1, 0, silence),
                    new SilentState(Metric.WATER_LEVEL, 1, 2, null)
                },
                SENSOR,
                new SensorAlertState[] {
                    null,
                    new SensorAlertState(
                            new long[] {1, 2, Long.MAX_VALUE},
                            new double[] {-0.0, Double.NaN, 1e300},
                            null),
                    new SensorAlertState(new long[0], new double[0], level)
                });
    }

    /** Field by field, doubles bit for bit (NaN equals NaN, -0.0 does not equal 0.0). */
    private static void assertSameWatch(SensorWatch actual, SensorWatch expected) {
        assertThat(actual)
                .usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class)
                .isEqualTo(expected);
    }

    private static byte[] bytes(TypeSerializer<SensorWatch> s, SensorWatch w) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(w, out);
        return out.getCopyOfBuffer();
    }

    private static SensorWatch roundTrip(TypeSerializer<SensorWatch> s, SensorWatch w)
            throws IOException {
        return s.deserialize(new DataInputDeserializer(bytes(s, w)));
    }

    private TypeSerializerSnapshot<SensorWatch> writtenAndRead(TypeSerializer<SensorWatch> s)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s.snapshotConfiguration());
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    }
}
