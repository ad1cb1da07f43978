package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
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

    @Test
    void countsReadingsAndRejectionsOfTheConfiguredTopics() {
        TopicsConsumer consumer = new TopicsConsumer(NORTH.readingsTopic(), NORTH.rejectedTopic());
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
                    TopicsConsumer.record(
                            "north.readings",
                            0,
                            now,
                            "n-1".getBytes(StandardCharsets.UTF_8),
                            ReadingJson.encode(reading),
                            new RecordHeaders()));
            RecordHeaders reason = new RecordHeaders();
            reason.add(
                    KafkaTopics.HEADER_REASON,
                    RejectionReason.MALFORMED.name().getBytes(StandardCharsets.UTF_8));
            consumer.addRecord(
                    TopicsConsumer.record(
                            "north.rejected",
                            0,
                            now,
                            null,
                            "{oops".getBytes(StandardCharsets.UTF_8),
                            reason));

            await().until(() -> monitor.consumed() == 2);
            assertThat(monitor.status().sensorsTotal()).isEqualTo(1);
            assertThat(monitor.status().rejectedByReason())
                    .containsEntry(RejectionReason.MALFORMED, 1L);
        } finally {
            monitor.close();
        }
    }
}
