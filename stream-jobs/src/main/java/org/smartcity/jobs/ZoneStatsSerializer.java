package org.smartcity.jobs;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer for {@link ZoneStats}, in window state, checkpoints and between operators.
 *
 * <p>Layout: count, sum, energy sum, min, max, the sensor ids (a count, then each id), then the
 * sketch in DDSketch's own compact binary encoding (its index mapping included), length-prefixed.
 * The sketch stays a live object in the heap state backend and is encoded only when Flink
 * serializes; a change of this layout needs a new {@link Snapshot} version.
 */
public final class ZoneStatsSerializer extends TypeSerializerSingleton<ZoneStats> {
    private static final long serialVersionUID = 1L;

    public static final ZoneStatsSerializer INSTANCE = new ZoneStatsSerializer();

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
        for (String sensor : record.sensors()) {
            StringValue.writeString(sensor, target);
        }
        GrowingByteArrayOutput sketch = GrowingByteArrayOutput.withDefaultInitialCapacity();
        record.sketch().encode(sketch, false);
        target.writeInt(sketch.numWrittenBytes());
        target.write(sketch.backingArray(), 0, sketch.numWrittenBytes());
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
        return new ZoneStats(count, sum, energySum, min, max, sensors, sketch);
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

    /** The serializer's snapshot, written into checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ZoneStats> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
