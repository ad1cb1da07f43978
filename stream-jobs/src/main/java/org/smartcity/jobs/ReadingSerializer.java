package org.smartcity.jobs;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;

/**
 * Flink's serializer for {@link Reading}, the type of the job's readings stream ({@link
 * #TYPE_INFO}, given by the source's {@link ReadingDeserializationSchema}).
 *
 * <p>A reading is an immutable record, so {@link #copy(Reading)} hands on the same instance. That
 * is what this serializer is for: object reuse is off, so Flink copies each record for every
 * operator chained to the source (zone assignment and, with alert rules, {@code AlertInputs}), and
 * Flink's record serializer copied a reading field by field through reflection, which the alert
 * benchmark's profile showed as a visible part of the alert stage's cost.
 *
 * <p>Layout (only when a reading crosses the network, e.g. a test's source that is not chained):
 * the sensor id, the metric's ordinal as one byte, the city, the time, latitude, longitude and
 * value, then a byte {@code 1} and the sequence number, or {@code 0} when there is none. Readings
 * never enter keyed or operator state (the Kafka source keeps offsets, the late readings go out
 * inside {@link LateReading}, which Flink serializes as a record), so a savepoint holds no data
 * written in this layout and the layout may change with the code; the {@link Snapshot} still
 * carries a version so that a change is noticed should a reading ever be kept in state.
 */
public final class ReadingSerializer extends ImmutableRecordSerializer<Reading> {
    private static final long serialVersionUID = 1L;

    public static final ReadingSerializer INSTANCE = new ReadingSerializer();

    /** Flink type information for {@link Reading}: this serializer. */
    public static final TypeInformation<Reading> TYPE_INFO =
            new SerializerTypeInfo<>(Reading.class, INSTANCE);

    private static final Metric[] METRICS = Metric.values();

    private ReadingSerializer() {}

    @Override
    public Reading createInstance() {
        return new Reading("", METRICS[0], "", 0, 0, 0, 0, null);
    }

    @Override
    public void serialize(Reading record, DataOutputView target) throws IOException {
        StringValue.writeString(record.sensorId(), target);
        target.writeByte(record.metric().ordinal());
        StringValue.writeString(record.city(), target);
        target.writeLong(record.timestampMillis());
        target.writeDouble(record.lat());
        target.writeDouble(record.lon());
        target.writeDouble(record.value());
        Long seq = record.seq();
        if (seq == null) {
            target.writeByte(0);
        } else {
            target.writeByte(1);
            target.writeLong(seq);
        }
    }

    @Override
    public Reading deserialize(DataInputView source) throws IOException {
        String sensorId = StringValue.readString(source);
        Metric metric = METRICS[source.readByte()];
        String city = StringValue.readString(source);
        long timestampMillis = source.readLong();
        double lat = source.readDouble();
        double lon = source.readDouble();
        double value = source.readDouble();
        Long seq = source.readByte() == 0 ? null : source.readLong();
        return new Reading(sensorId, metric, city, timestampMillis, lat, lon, value, seq);
    }

    @Override
    public TypeSerializerSnapshot<Reading> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Keeps the singleton when Java deserializes the serializer. */
    private Object readResolve() {
        return INSTANCE;
    }

    /** The serializer's snapshot: nothing beyond its class and version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Reading> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
