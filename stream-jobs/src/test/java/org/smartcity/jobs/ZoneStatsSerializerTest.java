package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

class ZoneStatsSerializerTest {
    private final ZoneStatsSerializer serializer = ZoneStatsSerializer.INSTANCE;

    @Test
    void roundTripsEveryPartIncludingAMergeableSketch() throws IOException {
        ZoneStats stats = sample();

        ZoneStats back = roundTrip(stats);

        assertSame(back, stats);
        // The decoded sketch has the same index mapping, so it still merges with fresh ones.
        ZoneStats merged = new ZoneStats();
        merged.merge(back);
        merged.add("late", 7, true);
        assertThat(merged.count()).isEqualTo(stats.count() + 1);
    }

    @Test
    void roundTripsEmptyStatistics() throws IOException {
        ZoneStats back = roundTrip(new ZoneStats());

        assertThat(back.count()).isZero();
        assertThat(back.sensors()).isEmpty();
        assertThat(back.min()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void copiesDeeply() throws IOException {
        ZoneStats stats = sample();
        ZoneStats copy = serializer.copy(stats);
        copy.add("other", 1_000, true);

        assertSame(roundTrip(stats), sample());

        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(stats, out);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        // The same statistics (the sensors' hashes may come in another order).
        assertSame(
                serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())),
                sample());
    }

    @Test
    void itsSnapshotRestoresACompatibleSerializer() throws IOException {
        TypeSerializerSnapshot<ZoneStats> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);

        TypeSerializerSnapshot<ZoneStats> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());

        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<ZoneStats> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    @Test
    void roundTripsTheCoverage() throws IOException {
        ZoneStats stats = sample();
        stats.setCoverage(44);

        assertThat(roundTrip(stats).coverage()).isEqualTo(44);
        assertThat(roundTrip(new ZoneStats()).coverage()).isZero();
    }

    @Test
    void stateWrittenBeforeCoverageIsMigrated() throws IOException {
        // What Flink's SimpleTypeSerializerSnapshot wrote for the first layout: the snapshot
        // class, version 3, no content.
        TypeSerializerSnapshot<ZoneStats> old = snapshotOfVersion(3);

        assertMigratesFrom(old);
        // A window's statistics in the first layout (sensor ids, no coverage) read back as one
        // shortest window with data, each sensor counted by its id's hash.
        ZoneStats back =
                old.restoreSerializer()
                        .deserialize(new DataInputDeserializer(legacyBytes(sample(), false)));
        assertSame(back, sample());
        assertThat(back.coverage()).isOne();
    }

    @Test
    void stateWrittenWithSensorIdsIsMigrated() throws IOException {
        TypeSerializerSnapshot<ZoneStats> old = snapshotOfVersion(4);

        assertMigratesFrom(old);
        ZoneStats stats = sample();
        stats.setCoverage(7);
        ZoneStats back =
                old.restoreSerializer()
                        .deserialize(new DataInputDeserializer(legacyBytes(stats, true)));
        assertSame(back, stats);
        assertThat(back.sensorCount()).isEqualTo(3);
        // The layouts of sensor ids are only read: the ids are gone once hashed.
        assertThatThrownBy(
                        () -> old.restoreSerializer().serialize(back, new DataOutputSerializer(8)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private void assertMigratesFrom(TypeSerializerSnapshot<ZoneStats> old) {
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(old)
                                .isCompatibleAfterMigration())
                .isTrue();
    }

    /** The snapshot of serializer snapshot version {@code version}, as a checkpoint holds it. */
    private TypeSerializerSnapshot<ZoneStats> snapshotOfVersion(int version) throws IOException {
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        snapshotBytes.writeUTF(ZoneStatsSerializer.Snapshot.class.getName());
        snapshotBytes.writeInt(version);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()),
                getClass().getClassLoader());
    }

    /**
     * {@link #sample()}'s statistics (with {@code stats}' coverage) as the layouts with sensor ids
     * wrote them, byte by byte: the ids as Flink's {@code StringValue.writeString}.
     */
    private static byte[] legacyBytes(ZoneStats stats, boolean withCoverage) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeLong(stats.count());
        out.writeDouble(stats.sum());
        out.writeDouble(stats.energySum());
        out.writeDouble(stats.min());
        out.writeDouble(stats.max());
        List<String> ids = List.of("km-noise-1", "km-noise-2", "km-noise-3");
        out.writeInt(ids.size());
        for (String id : ids) {
            StringValue.writeString(id, out);
        }
        GrowingByteArrayOutput sketch = GrowingByteArrayOutput.withDefaultInitialCapacity();
        stats.sketch().encode(sketch, false);
        out.writeInt(sketch.numWrittenBytes());
        out.write(sketch.backingArray(), 0, sketch.numWrittenBytes());
        if (withCoverage) {
            out.writeLong(stats.coverage());
        }
        return out.getCopyOfBuffer();
    }

    private ZoneStats roundTrip(ZoneStats stats) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(stats, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static ZoneStats sample() {
        ZoneStats stats = new ZoneStats();
        stats.add("km-noise-1", 55.5, true);
        stats.add("km-noise-2", 71.25, true);
        stats.add("km-noise-1", 0, true);
        stats.add("km-noise-3", -3.5, true);
        return stats;
    }

    private static void assertSame(ZoneStats actual, ZoneStats expected) {
        assertThat(actual.count()).isEqualTo(expected.count());
        assertThat(actual.sum()).isEqualTo(expected.sum());
        assertThat(actual.energySum()).isEqualTo(expected.energySum());
        assertThat(actual.min()).isEqualTo(expected.min());
        assertThat(actual.max()).isEqualTo(expected.max());
        assertThat(actual.sensors()).isEqualTo(expected.sensors());
        assertThat(actual.coverage()).isEqualTo(expected.coverage());
        for (double q : new double[] {0, 0.25, 0.5, 0.95, 1}) {
            assertThat(actual.quantile(q)).isEqualTo(expected.quantile(q));
        }
    }
}
