package org.smartcity.jobs.alerts;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import org.smartcity.core.Metric;
import org.smartcity.jobs.ImmutableRecordSerializer;
import org.smartcity.jobs.SerializerTypeInfo;

/**
 * Flink's serializer for {@link SensorSample}, which a reading crosses the network as to the sensor
 * rules: the sensor id, the metric's ordinal as one byte, the time, the value and the position,
 * written field by field (Flink's record serializer reads and writes each field by reflection and
 * was a visible part of the alert stage's cost). Samples never enter state, so the layout may
 * change with the code.
 */
public final class SensorSampleSerializer extends ImmutableRecordSerializer<SensorSample> {
    private static final long serialVersionUID = 1L;

    public static final SensorSampleSerializer INSTANCE = new SensorSampleSerializer();

    private static final Metric[] METRICS = Metric.values();

    private SensorSampleSerializer() {}

    @Override
    public SensorSample createInstance() {
        return new SensorSample("", METRICS[0], 0, 0);
    }

    @Override
    public void serialize(SensorSample record, DataOutputView target) throws IOException {
        StringValue.writeString(record.sensorId(), target);
        target.writeByte(record.metric().ordinal());
        target.writeLong(record.timestampMillis());
        target.writeDouble(record.value());
        target.writeDouble(record.lat());
        target.writeDouble(record.lon());
    }

    @Override
    public SensorSample deserialize(DataInputView source) throws IOException {
        return new SensorSample(
                StringValue.readString(source),
                METRICS[source.readByte()],
                source.readLong(),
                source.readDouble(),
                source.readDouble(),
                source.readDouble());
    }

    @Override
    public TypeSerializerSnapshot<SensorSample> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Keeps the singleton when Java deserializes the serializer. */
    private Object readResolve() {
        return INSTANCE;
    }

    /** The serializer's snapshot: nothing beyond its class and version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SensorSample> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Flink type information for {@link SensorSample}: this serializer. */
    public static final TypeInformation<SensorSample> TYPE_INFO =
            new SerializerTypeInfo<>(SensorSample.class, INSTANCE);

    /** Found by Flink's type extractor through the annotation on {@link SensorSample}. */
    public static final class Factory extends TypeInfoFactory<SensorSample> {
        @Override
        public TypeInformation<SensorSample> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return TYPE_INFO;
        }
    }
}
