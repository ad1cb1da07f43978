package org.smartcity.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.RejectionReason;
import org.smartcity.core.config.KafkaConfig;
import org.smartcity.core.http.Health;

/**
 * Follows the readings and dead-letter topics to know each sensor's newest reading and when it was
 * last heard from, how many readings arrive per minute and how many were rejected, per reason, over
 * the last hour.
 *
 * <p>The topics are followed by a {@link TopicFollower} (no consumer group, topics picked up when
 * they appear, restarts after a failure): on start the monitor seeks every partition to the first
 * record of the last hour (by record timestamp, i.e. when the bridge wrote it), so its state
 * rebuilds after a restart of the dashboard and several dashboards never share the load.
 *
 * <p>Counts are kept per second of record time in a ring covering the lookback, so a query is a sum
 * over at most 3600 slots. One thread writes; readers take a snapshot under the same lock.
 */
final class ReadingsMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadingsMonitor.class);

    /** How far back counts reach, and where the monitor starts reading. */
    static final Duration LOOKBACK = Duration.ofHours(1);

    /** At most this many silent sensors are listed in a status. */
    static final int SILENT_LISTED = 50;

    private static final int SLOTS = (int) LOOKBACK.toSeconds();

    /** The monitor's name in {@code /health}. */
    static final String NAME = "readings-monitor";

    private static final RejectionReason[] REASONS = RejectionReason.values();

    /**
     * The newest reading of a sensor.
     *
     * @param sensorId the device id
     * @param metric what it measures
     * @param lat latitude of the newest reading
     * @param lon longitude of the newest reading
     * @param value the newest reading's value, in the metric's unit
     * @param tsMillis the newest reading's event time
     * @param lastSeenMillis when the bridge last wrote a reading of this sensor (record time)
     */
    record SensorState(
            String sensorId,
            Metric metric,
            double lat,
            double lon,
            double value,
            long tsMillis,
            long lastSeenMillis) {}

    /**
     * What {@code /api/status} reports.
     *
     * @param rejectedByReason rejections per reason in the last hour, every reason present
     * @param readingsPerMinute readings written in the last 60 seconds
     * @param sensorsTotal sensors heard from since the lookback began
     * @param sensorsActive of those, the ones heard from within the silence threshold
     * @param silent the silent ones, most recently heard first, at most {@value #SILENT_LISTED}
     */
    record Status(
            Map<RejectionReason, Long> rejectedByReason,
            long readingsPerMinute,
            int sensorsTotal,
            int sensorsActive,
            List<SensorState> silent) {
        long rejectedTotal() {
            return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final String readingsTopic;
    private final Clock clock;
    private final Duration silentAfter;

    private final Map<String, SensorState> sensors = new HashMap<>();
    private final long[] slotSecond = new long[SLOTS];
    private final long[] readings = new long[SLOTS];
    private final long[][] rejections = new long[REASONS.length][SLOTS];
    private final AtomicLong consumed = new AtomicLong();

    private final TopicFollower follower;

    ReadingsMonitor(String kafkaBootstrap, Clock clock, Duration silentAfter) {
        this(KafkaConfig.withDefaultTopics(kafkaBootstrap), clock, silentAfter, null);
    }

    /** With {@code consumers} making each (re)started consumer; null for real Kafka ones. */
    ReadingsMonitor(
            String kafkaBootstrap,
            Clock clock,
            Duration silentAfter,
            Supplier<Consumer<byte[], byte[]>> consumers) {
        this(KafkaConfig.withDefaultTopics(kafkaBootstrap), clock, silentAfter, consumers);
    }

    /** Following {@code kafka}'s readings and dead-letter topics. */
    ReadingsMonitor(
            KafkaConfig kafka,
            Clock clock,
            Duration silentAfter,
            Supplier<Consumer<byte[], byte[]>> consumers) {
        this.readingsTopic = kafka.readingsTopic();
        this.clock = clock;
        this.silentAfter = silentAfter;
        java.util.Arrays.fill(slotSecond, Long.MIN_VALUE);
        Properties properties = consumerProperties(kafka.bootstrap());
        this.follower =
                new TopicFollower(
                        NAME,
                        "dashboard-readings-monitor",
                        List.of(kafka.readingsTopic(), kafka.rejectedTopic()),
                        consumers != null ? consumers : () -> new KafkaConsumer<>(properties),
                        clock,
                        this::seekToLookback,
                        this::accept);
    }

    /** {@link TopicFollower}'s consumer settings, under the monitor's client id. */
    static Properties consumerProperties(String kafkaBootstrap) {
        Properties p =
                TopicFollower.consumerProperties(kafkaBootstrap, "smartcity-dashboard-monitor");
        // Counts per minute and silence after minutes need no fresher data than every half
        // second: the broker holds a fetch until 64 KiB or 500 ms are there, instead of answering
        // every few readings (a fetch round trip per poll cost the broker and this thread more
        // than the readings themselves at the demo's rate; issue 13).
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        return p;
    }

    void start() {
        follower.start();
    }

    /** Records read from both topics since start. */
    long consumed() {
        return consumed.get();
    }

    Duration silentAfter() {
        return silentAfter;
    }

    /** The monitor as {@code /health} reports it. */
    Health.Dependency dependency() {
        return follower.dependency();
    }

    /** Times the consumer was restarted after a failure. */
    int restarts() {
        return follower.restarts();
    }

    /** Records that could not be read and were skipped. */
    long skipped() {
        return follower.skipped();
    }

    /**
     * Starts a partition at its first record of the last hour (by record timestamp), or at its end
     * if it has none, so the counts cover the lookback after a (re)start of the dashboard.
     */
    private void seekToLookback(Consumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        long since = clock.millis() - LOOKBACK.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition tp : partitions) {
            query.put(tp, since);
        }
        Map<TopicPartition, OffsetAndTimestamp> offsets =
                c.offsetsForTimes(query, Duration.ofSeconds(10));
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = offsets.get(tp);
            if (at == null) {
                c.seekToEnd(List.of(tp));
            } else {
                c.seek(tp, at.offset());
            }
        }
        LOG.info(
                "Starting {} at the first record since {}",
                partitions,
                java.time.Instant.ofEpochMilli(since));
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        consumed.incrementAndGet();
        long t = r.timestamp();
        if (r.topic().equals(readingsTopic)) {
            Reading reading;
            try {
                reading = ReadingJson.decode(r.value());
            } catch (IllegalArgumentException e) {
                return; // not written by the bridge; nothing to show
            }
            record(reading, t);
        } else {
            Header h = r.headers().lastHeader(KafkaTopics.HEADER_REASON);
            if (h == null) {
                return;
            }
            try {
                recordRejection(
                        RejectionReason.valueOf(new String(h.value(), StandardCharsets.UTF_8)), t);
            } catch (IllegalArgumentException e) {
                // a reason this version does not know
            }
        }
    }

    synchronized void record(Reading reading, long recordMillis) {
        int slot = slot(recordMillis);
        if (slot >= 0) {
            readings[slot]++;
        }
        sensors.merge(
                reading.sensorId(),
                new SensorState(
                        reading.sensorId(),
                        reading.metric(),
                        reading.lat(),
                        reading.lon(),
                        reading.value(),
                        reading.timestampMillis(),
                        recordMillis),
                ReadingsMonitor::newer);
    }

    synchronized void recordRejection(RejectionReason reason, long recordMillis) {
        int slot = slot(recordMillis);
        if (slot >= 0) {
            rejections[reason.ordinal()][slot]++;
        }
    }

    /**
     * Keeps the reading with the latest event time (a backlog upload must not replace a newer
     * value), and the latest time the sensor was heard from either way.
     */
    private static SensorState newer(SensorState kept, SensorState arriving) {
        SensorState newest = arriving.tsMillis() >= kept.tsMillis() ? arriving : kept;
        long lastSeen = Math.max(kept.lastSeenMillis(), arriving.lastSeenMillis());
        return newest.lastSeenMillis() == lastSeen
                ? newest
                : new SensorState(
                        newest.sensorId(),
                        newest.metric(),
                        newest.lat(),
                        newest.lon(),
                        newest.value(),
                        newest.tsMillis(),
                        lastSeen);
    }

    /**
     * The ring slot of a record time, cleared first if it held an older second; -1 for a time
     * before the lookback (or older than what its slot holds), which is not counted.
     */
    private int slot(long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second <= Math.floorDiv(clock.millis(), 1000) - SLOTS) {
            return -1;
        }
        int slot = (int) Math.floorMod(second, (long) SLOTS);
        if (second < slotSecond[slot]) {
            return -1;
        }
        if (slotSecond[slot] != second) {
            slotSecond[slot] = second;
            readings[slot] = 0;
            for (long[] perReason : rejections) {
                perReason[slot] = 0;
            }
        }
        return slot;
    }

    /** Sum of {@code counts} over the seconds in {@code (now - seconds, now]}. */
    private long sum(long[] counts, long nowSecond, int seconds) {
        long total = 0;
        for (int i = 0; i < SLOTS; i++) {
            long s = slotSecond[i];
            if (s > nowSecond - seconds && s <= nowSecond) {
                total += counts[i];
            }
        }
        return total;
    }

    /** Whether a sensor last heard at {@code lastSeenMillis} counts as active now. */
    boolean isActive(SensorState s, long nowMillis) {
        return nowMillis - s.lastSeenMillis() <= silentAfter.toMillis();
    }

    synchronized Status status() {
        long now = clock.millis();
        long nowSecond = Math.floorDiv(now, 1000);
        Map<RejectionReason, Long> byReason = new EnumMap<>(RejectionReason.class);
        for (RejectionReason reason : REASONS) {
            byReason.put(reason, sum(rejections[reason.ordinal()], nowSecond, SLOTS));
        }
        long perMinute = sum(readings, nowSecond, 60);
        int active = 0;
        List<SensorState> silent = new ArrayList<>();
        for (SensorState s : sensors.values()) {
            if (isActive(s, now)) {
                active++;
            } else {
                silent.add(s);
            }
        }
        silent.sort(
                Comparator.comparingLong(SensorState::lastSeenMillis)
                        .reversed()
                        .thenComparing(SensorState::sensorId));
        return new Status(
                byReason,
                perMinute,
                sensors.size(),
                active,
                List.copyOf(silent.subList(0, Math.min(SILENT_LISTED, silent.size()))));
    }

    /** Every sensor's newest state, sorted by sensor id. */
    synchronized List<SensorState> sensors() {
        List<SensorState> all = new ArrayList<>(sensors.values());
        all.sort(Comparator.comparing(SensorState::sensorId));
        return all;
    }

    synchronized SensorState sensor(String id) {
        return sensors.get(id);
    }

    long nowMillis() {
        return clock.millis();
    }

    @Override
    public void close() {
        follower.close();
    }
}
