package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;

class ReadingSerializerTest {
    private final ReadingSerializer serializer = ReadingSerializer.INSTANCE;

    @Test
    void roundTripsEveryFieldOfEveryMetric() throws IOException {
        for (Metric metric : Metric.values()) {
            Reading reading =
                    new Reading(
                            "km-" + metric.id() + "-7",
                            metric,
                            "kunming",
                            1_764_000_000_123L,
                            25.0389,
                            102.7183,
                            42.125,
                            17L);

            Reading back = roundTrip(reading);

            assertThat(back).isEqualTo(reading);
            assertThat(back.sensorId()).isEqualTo("km-" + metric.id() + "-7");
            assertThat(back.metric()).isSameAs(metric);
            assertThat(back.city()).isEqualTo("kunming");
            assertThat(back.timestampMillis()).isEqualTo(1_764_000_000_123L);
            assertThat(back.lat()).isEqualTo(25.0389);
            assertThat(back.lon()).isEqualTo(102.7183);
            assertThat(back.value()).isEqualTo(42.125);
            assertThat(back.seq()).isEqualTo(17L);
        }
    }

    @Test
    void roundTripsTheEdgesTheRecordAllows() throws IOException {
        List<Reading> edges =
                List.of(
                        // no sequence number, empty and non-ASCII strings
                        new Reading("", Metric.PM25, "", 0, 0, 0, 0, null),
                        new Reading("传感器-µ-😀", Metric.NOISE, "昆明", -1, -0.0, -180, -0.0, 0L),
                        // NaN and infinities in every double, extreme longs
                        new Reading(
                                "s",
                                Metric.WATER_LEVEL,
                                "c",
                                Long.MIN_VALUE,
                                Double.NaN,
                                Double.POSITIVE_INFINITY,
                                Double.NaN,
                                Long.MIN_VALUE),
                        new Reading(
                                "s",
                                Metric.TRAFFIC,
                                "c",
                                Long.MAX_VALUE,
                                Double.NEGATIVE_INFINITY,
                                Double.MIN_VALUE,
                                Double.MAX_VALUE,
                                Long.MAX_VALUE),
                        new Reading("x".repeat(70_000), Metric.O3, "c", 1, 90, 180, -1e300, -1L));

        for (Reading reading : edges) {
            Reading back = roundTrip(reading);

            assertThat(back).isEqualTo(reading);
            assertThat(back.seq()).isEqualTo(reading.seq());
            assertThat(Double.doubleToLongBits(back.lat()))
                    .isEqualTo(Double.doubleToLongBits(reading.lat()));
            assertThat(Double.doubleToLongBits(back.lon()))
                    .isEqualTo(Double.doubleToLongBits(reading.lon()));
            assertThat(Double.doubleToLongBits(back.value()))
                    .isEqualTo(Double.doubleToLongBits(reading.value()));
        }
        assertThat(roundTrip(edges.get(0)).seq()).isNull();
        assertThat(roundTrip(edges.get(2)).value()).isNaN();
    }

    @Test
    void readsBackASequenceOfReadingsFromOneBuffer() throws IOException {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            readings.add(
                    new Reading(
                            "s" + i,
                            Metric.values()[i],
                            "c",
                            i,
                            i,
                            -i,
                            i / 2.0,
                            i % 2 == 0 ? null : (long) i));
        }
        DataOutputSerializer out = new DataOutputSerializer(16);
        for (Reading r : readings) {
            serializer.serialize(r, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<Reading> back = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            back.add(serializer.deserialize(in));
        }

        assertThat(back).isEqualTo(readings);
        assertThat(in.available()).isZero();
    }

    @Test
    void copiesBySharingTheImmutableRecord() throws IOException {
        Reading reading = new Reading("s", Metric.HUMIDITY, "c", 5, 1, 2, 3, null);

        assertThat(serializer.isImmutableType()).isTrue();
        assertThat(serializer.copy(reading)).isSameAs(reading);
        assertThat(serializer.copy(reading, serializer.createInstance())).isSameAs(reading);
        assertThat(serializer.duplicate()).isSameAs(serializer);

        DataOutputSerializer out = new DataOutputSerializer(16);
        serializer.serialize(reading, out);
        DataOutputSerializer copied = new DataOutputSerializer(16);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    @Test
    void itsSnapshotRestoresACompatibleSerializer() throws IOException {
        TypeSerializerSnapshot<Reading> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);

        TypeSerializerSnapshot<Reading> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());

        assertThat(restored).isInstanceOf(ReadingSerializer.Snapshot.class);
        assertThat(restored.restoreSerializer()).isSameAs(serializer);
        TypeSerializerSchemaCompatibility<Reading> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    @Test
    void isTheTypeOfTheJobsReadings() {
        assertThat(new ReadingDeserializationSchema().getProducedType())
                .isSameAs(ReadingSerializer.TYPE_INFO);
        assertThat(ReadingSerializer.TYPE_INFO.getTypeClass()).isEqualTo(Reading.class);
        assertThat(ReadingSerializer.TYPE_INFO.createSerializer(new SerializerConfigImpl()))
                .isSameAs(serializer);
    }

    private Reading roundTrip(Reading reading) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        serializer.serialize(reading, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
