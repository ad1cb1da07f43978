package org.smartcity.jobs;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import it.unimi.dsi.fastutil.longs.LongIterator;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer for {@link ZoneStats}, in window state, checkpoints and between operators.
 *
 * <p>Layout: count, sum, energy sum, min, max, the sensors (a count, then each sensor's 64-bit
 * hash, {@link SensorIds}, in one write), then the sketch in DDSketch's own compact binary encoding
 * (its index mapping included), length-prefixed, then the coverage. The sketch stays a live object
 * in the heap state backend and is encoded only when Flink serializes; a change of this layout
 * needs a new {@link Snapshot} version.
 *
 * <p>Layout versions: 1 had the sensor ids themselves (each as {@code StringValue.writeString}) and
 * no coverage; 2 added the coverage; 3 has the ids' hashes instead of the ids. State of versions 1
 * and 2 is migrated when restored: each id read is counted by its hash, and statistics of version 1
 * get a coverage of 1 (a window of the shortest length with data), so a longer window restored in
 * the middle counts what it had received from before the upgrade as one shorter window each, until
 * it closes. The serializers of those versions only read.
 */
public final class ZoneStatsSerializer extends TypeSerializerSingleton<ZoneStats> {
    private static final long serialVersionUID = 1L;

    /** The layouts, by the version of the {@link Snapshot} that names them. */
    enum Layout {
        /** Layout 1: sensor ids, no coverage. */
        IDS_WITHOUT_COVERAGE(3),
        /** Layout 2: sensor ids and the coverage. */
        IDS(4),
        /** Layout 3: the ids' hashes and the coverage. */
        HASHES(5);

        final int snapshotVersion;

        Layout(int snapshotVersion) {
            this.snapshotVersion = snapshotVersion;
        }
    }

    public static final ZoneStatsSerializer INSTANCE = new ZoneStatsSerializer(Layout.HASHES);

    /** Reads layout 1, for state written before the coverage. */
    static final ZoneStatsSerializer IDS_WITHOUT_COVERAGE =
            new ZoneStatsSerializer(Layout.IDS_WITHOUT_COVERAGE);

    /** Reads layout 2, for state written before the hashes. */
    static final ZoneStatsSerializer IDS = new ZoneStatsSerializer(Layout.IDS);

    private final Layout layout;

    private ZoneStatsSerializer(Layout layout) {
        this.layout = layout;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ZoneStats createInstance() {
        return new ZoneStats();
    }

    @Override
    public ZoneStats copy(ZoneStats from) {
        return from.copy();
    }

    @Override
    public ZoneStats copy(ZoneStats from, ZoneStats reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ZoneStats record, DataOutputView target) throws IOException {
        if (layout != Layout.HASHES) {
            // Only restored state is in these layouts; the ids are gone once hashed.
            throw new UnsupportedOperationException(
                    "ZoneStats layout " + layout + " is read when restoring only");
        }
        target.writeLong(record.count());
        target.writeDouble(record.sum());
        target.writeDouble(record.energySum());
        target.writeDouble(record.min());
        target.writeDouble(record.max());
        int sensors = record.sensorCount();
        target.writeInt(sensors);
        // In one write: a checkpoint stream costs a synchronized call chain per write.
        ByteBuffer hashes = ByteBuffer.allocate(sensors * Long.BYTES);
        for (LongIterator it = record.sensors().iterator(); it.hasNext(); ) {
            hashes.putLong(it.nextLong());
        }
        target.write(hashes.array());
        GrowingByteArrayOutput sketch = GrowingByteArrayOutput.withDefaultInitialCapacity();
        record.sketch().encode(sketch, false);
        target.writeInt(sketch.numWrittenBytes());
        target.write(sketch.backingArray(), 0, sketch.numWrittenBytes());
        target.writeLong(record.coverage());
    }

    @Override
    public ZoneStats deserialize(DataInputView source) throws IOException {
        long count = source.readLong();
        double sum = source.readDouble();
        double energySum = source.readDouble();
        double min = source.readDouble();
        double max = source.readDouble();
        int sensorCount = source.readInt();
        LongOpenHashSet sensors = new LongOpenHashSet(sensorCount);
        if (layout == Layout.HASHES) {
            byte[] hashes = new byte[sensorCount * Long.BYTES];
            source.readFully(hashes);
            ByteBuffer in = ByteBuffer.wrap(hashes);
            for (int i = 0; i < sensorCount; i++) {
                sensors.add(in.getLong());
            }
        } else {
            for (int i = 0; i < sensorCount; i++) {
                sensors.add(SensorIds.hash(StringValue.readString(source)));
            }
        }
        byte[] encoded = new byte[source.readInt()];
        source.readFully(encoded);
        DDSketch sketch =
                DDSketch.decode(ByteArrayInput.wrap(encoded), UnboundedSizeDenseStore::new);
        long coverage =
                layout == Layout.IDS_WITHOUT_COVERAGE ? (count > 0 ? 1 : 0) : source.readLong();
        return new ZoneStats(count, sum, energySum, min, max, sensors, sketch, coverage);
    }

    @Override
    public ZoneStats deserialize(ZoneStats reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<ZoneStats> snapshotConfiguration() {
        return new Snapshot(layout);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZoneStatsSerializer other && other.layout == layout;
    }

    @Override
    public int hashCode() {
        return layout.hashCode();
    }

    /** Keeps the singleton per layout when Java deserializes the serializer. */
    private Object readResolve() {
        return of(layout);
    }

    private static ZoneStatsSerializer of(Layout layout) {
        return switch (layout) {
            case IDS_WITHOUT_COVERAGE -> IDS_WITHOUT_COVERAGE;
            case IDS -> IDS;
            case HASHES -> INSTANCE;
        };
    }

    /**
     * The serializer's snapshot, written into checkpoints and savepoints. Its version is that of
     * the layout plus 2: version 3 is what Flink's {@code SimpleTypeSerializerSnapshot} wrote for
     * layout 1 (with no content), version 4 is layout 2, version 5 layout 3.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<ZoneStats> {
        private Layout layout;

        public Snapshot() {
            this(Layout.HASHES);
        }

        Snapshot(Layout layout) {
            this.layout = layout;
        }

        @Override
        public int getCurrentVersion() {
            return Layout.HASHES.snapshotVersion;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
            // Nothing beyond the version: the layout has no parameters.
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            for (Layout l : Layout.values()) {
                if (l.snapshotVersion == readVersion) {
                    layout = l;
                    return;
                }
            }
            throw new IOException("Unknown ZoneStats serializer snapshot version " + readVersion);
        }

        @Override
        public TypeSerializer<ZoneStats> restoreSerializer() {
            return of(layout);
        }

        @Override
        public TypeSerializerSchemaCompatibility<ZoneStats> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ZoneStats> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot old)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return old.layout == layout
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
