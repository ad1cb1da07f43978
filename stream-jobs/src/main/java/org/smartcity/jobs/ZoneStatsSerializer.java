package org.smartcity.jobs;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
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
 * <p>Layout: count, sum, energy sum, min, max, the sensor ids (a count, then each id), then the
 * sketch in DDSketch's own compact binary encoding (its index mapping included), length-prefixed,
 * then the coverage. The sketch stays a live object in the heap state backend and is encoded only
 * when Flink serializes; a change of this layout needs a new {@link Snapshot} version.
 *
 * <p>Layout versions: 1 had no coverage (state written before coverage was counted); 2 adds it.
 * State of version 1 is migrated when restored: its statistics get a coverage of 1 (a window of the
 * shortest length with data), so a longer window restored in the middle counts what it had received
 * from before the upgrade as one shorter window each, until it closes.
 */
public final class ZoneStatsSerializer extends TypeSerializerSingleton<ZoneStats> {
    private static final long serialVersionUID = 1L;

    public static final ZoneStatsSerializer INSTANCE = new ZoneStatsSerializer(true);

    /** Reads layout version 1, for state written before coverage; writes the same. */
    static final ZoneStatsSerializer WITHOUT_COVERAGE = new ZoneStatsSerializer(false);

    private final boolean withCoverage;

    private ZoneStatsSerializer(boolean withCoverage) {
        this.withCoverage = withCoverage;
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
        target.writeLong(record.count());
        target.writeDouble(record.sum());
        target.writeDouble(record.energySum());
        target.writeDouble(record.min());
        target.writeDouble(record.max());
        target.writeInt(record.sensors().size());
        // Each as StringValue.writeString, in one write (most of a checkpoint's time otherwise).
        StringValues.writeAll(record.sensors(), target);
        GrowingByteArrayOutput sketch = GrowingByteArrayOutput.withDefaultInitialCapacity();
        record.sketch().encode(sketch, false);
        target.writeInt(sketch.numWrittenBytes());
        target.write(sketch.backingArray(), 0, sketch.numWrittenBytes());
        if (withCoverage) {
            target.writeLong(record.coverage());
        }
    }

    @Override
    public ZoneStats deserialize(DataInputView source) throws IOException {
        long count = source.readLong();
        double sum = source.readDouble();
        double energySum = source.readDouble();
        double min = source.readDouble();
        double max = source.readDouble();
        int sensorCount = source.readInt();
        Set<String> sensors = new HashSet<>(Math.max(16, sensorCount * 4 / 3 + 1));
        for (int i = 0; i < sensorCount; i++) {
            sensors.add(StringValue.readString(source));
        }
        byte[] encoded = new byte[source.readInt()];
        source.readFully(encoded);
        DDSketch sketch =
                DDSketch.decode(ByteArrayInput.wrap(encoded), UnboundedSizeDenseStore::new);
        long coverage = withCoverage ? source.readLong() : (count > 0 ? 1 : 0);
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
        return new Snapshot();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZoneStatsSerializer other && other.withCoverage == withCoverage;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(withCoverage);
    }

    /** Keeps the singleton per layout when Java deserializes the serializer. */
    private Object readResolve() {
        return withCoverage ? INSTANCE : WITHOUT_COVERAGE;
    }

    /**
     * The serializer's snapshot, written into checkpoints and savepoints. Its version is that of
     * the layout plus 2: version 3 is what Flink's {@code SimpleTypeSerializerSnapshot} wrote for
     * layout 1 (with no content), version 4 is layout 2.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<ZoneStats> {
        private static final int WITHOUT_COVERAGE_VERSION = 3;
        private static final int CURRENT_VERSION = 4;

        private int version = CURRENT_VERSION;

        public Snapshot() {}

        @Override
        public int getCurrentVersion() {
            return CURRENT_VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
            // Nothing beyond the version: the layout has no parameters.
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (readVersion != WITHOUT_COVERAGE_VERSION && readVersion != CURRENT_VERSION) {
                throw new IOException(
                        "Unknown ZoneStats serializer snapshot version " + readVersion);
            }
            version = readVersion;
        }

        @Override
        public TypeSerializer<ZoneStats> restoreSerializer() {
            return version == WITHOUT_COVERAGE_VERSION ? WITHOUT_COVERAGE : INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<ZoneStats> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ZoneStats> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot old)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return old.version == CURRENT_VERSION
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
