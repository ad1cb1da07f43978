package org.smartcity.deploy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.geotools.api.data.DataStore;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.jobs.JobConfig;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoredAggregate;

/** What the platform tests look at from outside: the stores and the Kafka topics. */
final class PipelineProbes {
    private PipelineProbes() {}

    /**
     * Every window in the history store, once, with its newest revision (as the dashboard reads
     * it), keyed by feature id. Opens the store afresh: a FileSystem store sees files written by
     * others only when reopened.
     */
    static Map<String, ZoneAggregate> history(StoreConfig store) throws IOException {
        DataStore ds = DataStores.open(store, StoreConfig.Access.READ);
        try {
            Map<String, ZoneAggregate> byId = new TreeMap<>();
            for (StoredAggregate a :
                    HistoryQueries.latest(ds, AggregateSchema.HISTORY_TYPE, HistoryQuery.all())) {
                byId.put(a.id(), a.aggregate());
            }
            return byId;
        } finally {
            ds.dispose();
        }
    }

    /** The live layer as {@code reader} sees it now, keyed by live feature id. */
    static Map<String, ZoneAggregate> live(DataStore reader) throws IOException {
        Map<String, ZoneAggregate> byId = new TreeMap<>();
        try (SimpleFeatureIterator it =
                reader.getFeatureSource(AggregateSchema.LIVE_TYPE).getFeatures().features()) {
            while (it.hasNext()) {
                StoredAggregate a = StoredAggregate.fromFeature(it.next());
                byId.put(a.id(), a.aggregate());
            }
        }
        return byId;
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** Writes readings as the bridge does (canonical JSON keyed by sensor id). */
    static void send(String bootstrap, String topic, List<Reading> readings) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            for (Reading r : readings) {
                producer.send(new ProducerRecord<>(topic, r.sensorId(), ReadingJson.encode(r)));
            }
            producer.flush();
        }
    }

    /**
     * Writes one reading at {@code timestampMillis} into every partition of {@code topic}, after
     * whatever is there: each partition's watermark then passes everything before it, so every
     * earlier window closes without waiting for the job's idleness timeout. Their own windows never
     * close, so they appear in no aggregate.
     */
    static void closeWindows(String bootstrap, String topic, long timestampMillis)
            throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            int partitions = producer.partitionsFor(topic).size();
            for (int p = 0; p < partitions; p++) {
                Reading marker =
                        new Reading(
                                "watermark-" + p,
                                Metric.PM25,
                                "kunming",
                                timestampMillis,
                                25.04,
                                102.71,
                                10,
                                null);
                producer.send(
                        new ProducerRecord<>(
                                topic, p, marker.sensorId(), ReadingJson.encode(marker)));
            }
            producer.flush();
        }
    }

    /** Records in {@code topic}, over all partitions. */
    static long records(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, null)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            long total = 0;
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            for (Map.Entry<TopicPartition, Long> e : consumer.endOffsets(partitions).entrySet()) {
                total += e.getValue() - begin.get(e.getKey());
            }
            return total;
        }
    }

    /** The values of every record now in {@code topic}, partition by partition. */
    static List<byte[]> values(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, null)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<byte[]> values = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            // Without a group there is nothing to commit; do not wait for fetches in flight.
            consumer.close(Duration.ZERO);
            return values;
        }
    }

    /**
     * Sends readings to the job's readings topic and waits until a checkpoint holds them (the job's
     * group has committed offsets at the end of the topic).
     */
    static void sendAndAwaitCheckpoint(JobConfig job, List<Reading> readings) throws Exception {
        send(job.kafkaBootstrap(), job.readingsTopic(), readings);
        await("a checkpoint after the readings")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                committedToEnd(
                                        job.kafkaBootstrap(), job.groupId(), job.readingsTopic()));
    }

    /**
     * Waits until the job's history store holds every window of {@code windows} (feature ids), and
     * returns all it holds then ({@link #history}).
     */
    static Map<String, ZoneAggregate> awaitHistory(JobConfig job, Set<String> windows)
            throws IOException {
        StoreConfig store = job.historyStore().orElseThrow();
        await("history holds every window")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> history(store).keySet().containsAll(windows));
        return history(store);
    }

    /** Whether {@code group} has committed offsets at the end of every partition of the topic. */
    static boolean committedToEnd(String bootstrap, String group, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, group)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    consumer.committed(new java.util.HashSet<>(partitions));
            for (Map.Entry<TopicPartition, Long> e : consumer.endOffsets(partitions).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long at = c == null ? 0 : c.offset();
                if (at < e.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        return partitions;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
