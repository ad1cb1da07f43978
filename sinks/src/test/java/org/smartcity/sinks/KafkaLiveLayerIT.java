package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.geotools.api.data.DataStore;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoredAggregate;
import org.smartcity.store.TestAggregates;
import org.smartcity.store.TestZones;

/**
 * The live layer sink against GeoMesa's Kafka DataStore on a real Kafka broker (in its own JVM),
 * read by a second, independent Kafka DataStore as the dashboard would.
 */
class KafkaLiveLayerIT {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void aReaderSeesOneFeaturePerLiveIdHoldingTheNewestWindow() throws Exception {
        StoreConfig store =
                StoreConfig.Kafka.local(KAFKA.bootstrapServers(), "live-" + UUID.randomUUID());
        Instant written = Instant.parse("2026-11-24T05:31:00Z");
        ZoneAggregate wuhuaT1 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate wuhuaT2 = TestAggregates.pm25District("2026-11-24T05:15:00Z", 1);
        ZoneAggregate wuhuaT2r2 = TestAggregates.pm25District("2026-11-24T05:15:00Z", 2);
        ZoneAggregate wuhuaT1Late = TestAggregates.pm25District("2026-11-24T05:00:00Z", 2);
        ZoneAggregate cellT1 = cell("2026-11-24T05:00:00Z", 1);
        ZoneAggregate cellT2 = cell("2026-11-24T05:15:00Z", 1);

        // The dashboard's reader, opened before any writer: a Kafka DataStore does not pick up a
        // type created after it opened, so the reader creates the type itself.
        DataStore early =
                DataStores.openWithSchema(
                        store, StoreConfig.Access.READ, AggregateSchema.LIVE_TYPE);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromData(wuhuaT1, cellT1, wuhuaT2, cellT2, wuhuaT2r2, wuhuaT1Late)
                .sinkTo(
                        GeoMesaSink.builder()
                                .layer(Layer.LIVE)
                                .store(store)
                                .geometries(TestZones::geometry)
                                .batchSize(1)
                                .clock(Clock.fixed(written, ZoneOffset.UTC))
                                .build())
                .uid("geomesa-live")
                .name("GeoMesa live layer");
        env.execute("live-layer");

        List<StoredAggregate> expected =
                List.of(
                        new StoredAggregate(
                                "pm25|district|530102|15m",
                                wuhuaT2r2,
                                TestZones.geometry(ZoneKind.DISTRICT, TestZones.WUHUA),
                                written),
                        new StoredAggregate(
                                "pm25|h3|8840d8a2d7fffff|15m",
                                cellT2,
                                TestZones.geometry(ZoneKind.H3, TestZones.CELL),
                                written));
        // A reader opened afterwards replays the layer's topic.
        DataStore late = DataStores.open(store, StoreConfig.Access.READ);
        try {
            for (DataStore reader : List.of(early, late)) {
                await().atMost(Duration.ofSeconds(30))
                        .ignoreExceptionsInstanceOf(IOException.class)
                        .untilAsserted(
                                () ->
                                        assertThat(live(reader))
                                                .containsExactlyInAnyOrderElementsOf(expected));
            }
            String topic =
                    (String) late.getSchema("city_live").getUserData().get("geomesa.kafka.topic");
            assertThat(messagesIn(topic))
                    .as("t1, t2, t2 rev 2 for Wuhua, t1, t2 for the cell; never the late t1")
                    .isEqualTo(5);
        } finally {
            late.dispose();
            early.dispose();
        }
    }

    private static ZoneAggregate cell(String start, int revision) {
        return TestAggregates.aggregate(Metric.PM25, ZoneKind.H3, TestZones.CELL, start, revision);
    }

    private static List<StoredAggregate> live(DataStore reader) throws Exception {
        List<StoredAggregate> out = new ArrayList<>();
        try (SimpleFeatureIterator it =
                reader.getFeatureSource(AggregateSchema.LIVE_TYPE).getFeatures().features()) {
            while (it.hasNext()) {
                out.add(StoredAggregate.fromFeature(it.next()));
            }
        }
        return out;
    }

    /** Records ever appended to {@code topic}, over all partitions. */
    private static long messagesIn(String topic) {
        Properties props = new Properties();
        props.putAll(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                ByteArrayDeserializer.class.getName(),
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                ByteArrayDeserializer.class.getName()));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            long total = 0;
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            for (Map.Entry<TopicPartition, Long> end : consumer.endOffsets(partitions).entrySet()) {
                total += end.getValue() - begin.get(end.getKey());
            }
            return total;
        }
    }
}
