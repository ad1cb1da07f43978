package org.smartcity.dashboard;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;

/**
 * A consumer without Kafka for the readings monitor's tests: it knows the given topics, each with
 * one empty partition, finds no offset for any time (so the monitor reads from the start), and its
 * poll waits a little, as a real one does, rather than letting the monitor's loop spin.
 */
final class TopicsConsumer extends MockConsumer<byte[], byte[]> {

    TopicsConsumer(String... topics) {
        super("earliest");
        for (String topic : topics) {
            updatePartitions(
                    topic, List.of(new PartitionInfo(topic, 0, null, new Node[0], new Node[0])));
            updateEndOffsets(Map.of(new TopicPartition(topic, 0), 0L));
        }
    }

    /**
     * A record of partition 0 of {@code topic}, stamped at creation with {@code timestampMillis}.
     */
    static ConsumerRecord<byte[], byte[]> record(
            String topic,
            long offset,
            long timestampMillis,
            byte[] key,
            byte[] value,
            Headers headers) {
        return new ConsumerRecord<>(
                topic,
                0,
                offset,
                timestampMillis,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                key,
                value,
                headers,
                Optional.empty());
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
            Map<TopicPartition, Long> query, Duration timeout) {
        Map<TopicPartition, OffsetAndTimestamp> none = new HashMap<>();
        query.keySet().forEach(tp -> none.put(tp, null));
        return none;
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        return super.poll(timeout);
    }
}
