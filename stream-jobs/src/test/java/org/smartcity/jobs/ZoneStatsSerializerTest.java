package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
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
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        snapshotBytes.writeUTF(ZoneStatsSerializer.Snapshot.class.getName());
        snapshotBytes.writeInt(3);
        TypeSerializerSnapshot<ZoneStats> old =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()),
                        getClass().getClassLoader());

        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(old)
                                .isCompatibleAfterMigration())
                .isTrue();
        // A window's statistics in the first layout read back as one shortest window with data.
        DataOutputSerializer state = new DataOutputSerializer(64);
        ZoneStatsSerializer.WITHOUT_COVERAGE.serialize(sample(), state);
        ZoneStats back =
                old.restoreSerializer()
                        .deserialize(new DataInputDeserializer(state.getCopyOfBuffer()));
        assertSame(back, sample());
        assertThat(back.coverage()).isOne();
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
