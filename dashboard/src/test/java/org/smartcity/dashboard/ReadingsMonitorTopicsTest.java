package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.RejectionReason;
import org.smartcity.core.config.KafkaConfig;

/** The monitor follows the readings and dead-letter topics its {@link KafkaConfig} names. */
class ReadingsMonitorTopicsTest {
    private static final KafkaConfig NORTH =
            new KafkaConfig(
                    "unused:1", "north.readings", "north.rejected", "north.late", "north.alerts");

    /** A consumer without Kafka that knows the northern topics only. */
    private static final class NorthConsumer extends MockConsumer<byte[], byte[]> {
        NorthConsumer() {
            super("earliest");
            for (String topic : List.of(NORTH.readingsTopic(), NORTH.rejectedTopic())) {
                updatePartitions(
                        topic,
                        List.of(new PartitionInfo(topic, 0, null, new Node[0], new Node[0])));
                updateEndOffsets(Map.of(new TopicPartition(topic, 0), 0L));
            }
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
                Map<TopicPartition, Long> query, Duration timeout) {
            Map<TopicPartition, OffsetAndTimestamp> none = new HashMap<>();
            query.keySet().forEach(tp -> none.put(tp, null));
            return none;
        }
    }

    @Test
    void countsReadingsAndRejectionsOfTheConfiguredTopics() {
        NorthConsumer consumer = new NorthConsumer();
        ReadingsMonitor monitor =
                new ReadingsMonitor(
                        NORTH, Clock.systemUTC(), Duration.ofMinutes(2), () -> consumer);
        long now = Instant.now().toEpochMilli();
        monitor.start();
        try {
            await().until(
                            () ->
                                    consumer.assignment()
                                            .containsAll(
                                                    List.of(
                                                            new TopicPartition("north.readings", 0),
                                                            new TopicPartition(
                                                                    "north.rejected", 0))));
            Reading reading =
                    new Reading("n-1", Metric.PM25, "kunming", now, 25.04, 102.7, 12.0, null);
            consumer.addRecord(
                    new ConsumerRecord<>(
                            "north.readings",
                            0,
                            0,
                            now,
                            TimestampType.CREATE_TIME,
                            -1,
                            -1,
                            "n-1".getBytes(StandardCharsets.UTF_8),
                            ReadingJson.encode(reading),
                            new RecordHeaders(),
                            Optional.empty()));
            RecordHeaders reason = new RecordHeaders();
            reason.add(
                    KafkaTopics.HEADER_REASON,
                    RejectionReason.MALFORMED.name().getBytes(StandardCharsets.UTF_8));
            consumer.addRecord(
                    new ConsumerRecord<>(
                            "north.rejected",
                            0,
                            0,
                            now,
                            TimestampType.CREATE_TIME,
                            -1,
                            -1,
                            null,
                            "{oops".getBytes(StandardCharsets.UTF_8),
                            reason,
                            Optional.empty()));

            await().until(() -> monitor.consumed() == 2);
            assertThat(monitor.status().sensorsTotal()).isEqualTo(1);
            assertThat(monitor.status().rejectedByReason())
                    .containsEntry(RejectionReason.MALFORMED, 1L);
        } finally {
            monitor.close();
        }
    }
}
