package org.smartcity.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds records in Kafka by scanning the recent part of their topics. The bridge stamps each record
 * with its send time, so "recent" is found with {@code offsetsForTimes}; the scan is bounded by the
 * end offsets taken when it starts, which include everything a crashed instance had written.
 *
 * <p>Scans are rare (only after a crash or a lost connection) and batched: one scan answers every
 * redelivered message that is waiting.
 */
final class KafkaWrittenRecords implements WrittenRecords {
    private static final Duration POLL = Duration.ofMillis(200);

    private final Supplier<Consumer<byte[], byte[]>> consumerFactory;
    private final Duration lookback;
    private final Clock clock;
    private Consumer<byte[], byte[]> consumer;

    KafkaWrittenRecords(
            Supplier<Consumer<byte[], byte[]>> consumerFactory, Duration lookback, Clock clock) {
        this.consumerFactory = consumerFactory;
        this.lookback = lookback;
        this.clock = clock;
    }

    @Override
    public Set<Identity> findWritten(Collection<ProducerRecord<byte[], byte[]>> candidates)
            throws InterruptedException {
        if (consumer == null) {
            consumer = consumerFactory.get();
        }
        Set<Identity> wanted = new HashSet<>();
        Set<String> topics = new HashSet<>();
        for (ProducerRecord<byte[], byte[]> r : candidates) {
            wanted.add(Identity.of(r));
            topics.add(r.topic());
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo p : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        consumer.assign(partitions);
        long from = clock.millis() - lookback.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, from));
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(query);
        Set<TopicPartition> unfinished = new HashSet<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = start.get(tp);
            long offset = o == null ? end.get(tp) : o.offset();
            consumer.seek(tp, offset);
            if (offset < end.get(tp)) {
                unfinished.add(tp);
            }
        }
        Set<Identity> found = new HashSet<>();
        while (!unfinished.isEmpty()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                Identity id = Identity.of(r.topic(), r.key(), r.value(), r.headers());
                if (wanted.contains(id)) {
                    found.add(id);
                }
            }
            unfinished.removeIf(tp -> consumer.position(tp) >= end.get(tp));
        }
        return found;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
