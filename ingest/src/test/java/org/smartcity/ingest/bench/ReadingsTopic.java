package org.smartcity.ingest.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.smartcity.core.KafkaTopics;

/**
 * The benchmark's view of the readings topic: creates it with broker append timestamps, watches its
 * end offsets while a step drains, and reads a step's records back to count them and measure their
 * latency. One consumer, assigned (no group), used from one thread.
 */
public final class ReadingsTopic implements AutoCloseable {
    static final int PARTITIONS = 6;

    /** What of one step's readings is in the topic, and how late. */
    public static final class Tally {
        public final LatencyHistogram latency = new LatencyHistogram();
        public long records;
        public long duplicates;
        public long otherTimestampType;
        public long firstAppendMillis = Long.MAX_VALUE;
        public long lastAppendMillis = Long.MIN_VALUE;

        public long distinct() {
            return records - duplicates;
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> readings = new ArrayList<>();
    private final List<TopicPartition> rejected = new ArrayList<>();

    public ReadingsTopic(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-counter");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p);
        for (PartitionInfo i :
                consumer.partitionsFor(KafkaTopics.READINGS, Duration.ofSeconds(30))) {
            readings.add(new TopicPartition(i.topic(), i.partition()));
        }
        consumer.assign(readings);
    }

    /**
     * Creates the readings topic before the bridge does, with {@code LogAppendTime}: every record
     * then carries the time the broker appended it, which with {@code acks=all} on one broker is
     * when Kafka acknowledged it to the bridge.
     */
    static void create(String bootstrap) throws InterruptedException, ExecutionException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(
                                                    KafkaTopics.READINGS,
                                                    Optional.of(PARTITIONS),
                                                    Optional.empty())
                                            .configs(
                                                    Map.of(
                                                            "message.timestamp.type",
                                                            "LogAppendTime"))))
                    .all()
                    .get();
        }
    }

    /** The rejected topic exists once the bridge has started; watched for a sanity check. */
    void watchRejected() {
        for (PartitionInfo i :
                consumer.partitionsFor(KafkaTopics.REJECTED, Duration.ofSeconds(30))) {
            rejected.add(new TopicPartition(i.topic(), i.partition()));
        }
    }

    public Map<TopicPartition, Long> endOffsets() {
        return consumer.endOffsets(readings, Duration.ofSeconds(30));
    }

    long rejectedEnd() {
        if (rejected.isEmpty()) {
            return 0;
        }
        return consumer.endOffsets(rejected, Duration.ofSeconds(30)).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    public static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Reads the records between two offset snapshots and tallies those whose key (the sensor id)
     * starts with {@code prefix}.
     */
    public Tally read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to, String prefix) {
        Tally t = new Tally();
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        Map<String, BitSet> seen = new HashMap<>();
        Map<TopicPartition, Long> pending = new HashMap<>();
        for (TopicPartition tp : readings) {
            consumer.seek(tp, from.get(tp));
            if (from.get(tp) < to.get(tp)) {
                pending.put(tp, to.get(tp));
            }
        }
        while (!pending.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                Long end = pending.get(new TopicPartition(r.topic(), r.partition()));
                if (end == null || r.offset() >= end || !startsWith(r.key(), prefixBytes)) {
                    continue;
                }
                t.records++;
                if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
                    t.otherTimestampType++;
                }
                long appended = r.timestamp();
                t.latency.record(appended - longField(r.value(), TS));
                t.firstAppendMillis = Math.min(t.firstAppendMillis, appended);
                t.lastAppendMillis = Math.max(t.lastAppendMillis, appended);
                BitSet seqs =
                        seen.computeIfAbsent(
                                new String(r.key(), StandardCharsets.UTF_8), k -> new BitSet());
                int seq = (int) longField(r.value(), SEQ);
                if (seqs.get(seq)) {
                    t.duplicates++;
                } else {
                    seqs.set(seq);
                }
            }
            pending.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        }
        return t;
    }

    private static final byte[] TS = "\"ts\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.UTF_8);

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key == null || key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * An integer field of the bridge's canonical JSON ({@code ReadingJson}: compact, numbers
     * unquoted), found by scanning: decoding millions of records fully would take longer than the
     * step.
     */
    static long longField(byte[] json, byte[] name) {
        outer:
        for (int i = 0; i <= json.length - name.length; i++) {
            for (int j = 0; j < name.length; j++) {
                if (json[i + j] != name[j]) {
                    continue outer;
                }
            }
            long v = 0;
            for (int k = i + name.length; k < json.length; k++) {
                byte b = json[k];
                if (b < '0' || b > '9') {
                    break;
                }
                v = v * 10 + (b - '0');
            }
            return v;
        }
        throw new IllegalArgumentException(
                "no field " + new String(name, StandardCharsets.UTF_8) + " in a reading");
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
