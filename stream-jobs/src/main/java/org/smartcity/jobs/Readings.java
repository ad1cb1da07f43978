package org.smartcity.jobs;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.smartcity.core.Reading;

/** Where the job's readings come from and how their event time advances. */
public final class Readings {
    private Readings() {}

    /**
     * The readings topic as an unbounded source: resumes from the offsets committed on the last
     * checkpoint (or the checkpoint's own, after a failure), from the earliest record the first
     * time; undecodable records are counted and skipped. A readings topic that does not exist yet
     * is waited for ({@link AwaitedTopicSubscriber}), not a failure.
     */
    public static KafkaSource<Reading> kafkaSource(JobConfig cfg) {
        return builder(cfg).build();
    }

    /**
     * The same source, bounded: it stops at the end offsets the topic has when the job starts, so
     * the job finishes once it has read what was there (a replay of a backlog, a benchmark).
     */
    public static KafkaSource<Reading> boundedKafkaSource(JobConfig cfg) {
        return builder(cfg).setBounded(OffsetsInitializer.latest()).build();
    }

    @SuppressWarnings("deprecation") // the connector's API still takes the old enum
    private static KafkaSourceBuilder<Reading> builder(JobConfig cfg) {
        return KafkaSource.<Reading>builder()
                .setBootstrapServers(cfg.kafkaBootstrap())
                .setKafkaSubscriber(
                        new AwaitedTopicSubscriber(cfg.readingsTopic(), cfg.kafkaBootstrap()))
                .setGroupId(cfg.groupId())
                .setClientIdPrefix(cfg.groupId())
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ReadingDeserializationSchema())
                .setProperties(cfg.consumerProperties());
    }

    /**
     * Event time from {@link Reading#timestampMillis()}, with a watermark that trails the newest
     * reading by {@code outOfOrderness}, where a reading ahead of the wall clock at its arrival
     * counts as the wall clock (a device clock running fast must not move event time ahead of real
     * time: {@link WallClockBoundedWatermarks}); a source split without readings for {@code
     * idleness} stops holding the watermark back (a quiet partition must not stall every window).
     */
    public static WatermarkStrategy<Reading> watermarks(
            Duration outOfOrderness, Duration idleness) {
        return WallClockBoundedWatermarks.<Reading>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((reading, recordTimestamp) -> reading.timestampMillis())
                .withIdleness(idleness);
    }
}
