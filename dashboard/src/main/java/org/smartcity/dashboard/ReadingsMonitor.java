package org.smartcity.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
 * <p>No consumer group and no committed offsets: on start the monitor seeks every partition to the
 * first record of the last hour (by record timestamp, i.e. when the bridge wrote it), so its state
 * rebuilds after a restart and several dashboards never share the load. Topics that do not exist
 * yet (the dashboard started before the bridge) are picked up when they appear; the monitor never
 * creates them.
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
    private static final Duration ASSIGNMENT_CHECK = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

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

    private final Properties consumerProperties;
    private final List<String> topics;
    private final String readingsTopic;
    private final Clock clock;
    private final Duration silentAfter;

    private final Map<String, SensorState> sensors = new HashMap<>();
    private final long[] slotSecond = new long[SLOTS];
    private final long[] readings = new long[SLOTS];
    private final long[][] rejections = new long[REASONS.length][SLOTS];
    private final AtomicLong consumed = new AtomicLong();

    private final CountDownLatch stop = new CountDownLatch(1);
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private volatile Consumer<byte[], byte[]> consumer;
    private final Thread thread;

    /** The next offset to read per partition, so a restarted consumer resumes, never recounts. */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();

    /** Why the monitor is not consuming (it failed and waits to restart), or null. */
    private volatile String failure;

    /** The error that ended the thread, or null. */
    private volatile String died;

    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicLong skipped = new AtomicLong();

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
        this.consumerProperties = consumerProperties(kafka.bootstrap());
        this.consumers =
                consumers != null ? consumers : () -> new KafkaConsumer<>(consumerProperties);
        this.readingsTopic = kafka.readingsTopic();
        this.topics = List.of(kafka.readingsTopic(), kafka.rejectedTopic());
        this.clock = clock;
        this.silentAfter = silentAfter;
        java.util.Arrays.fill(slotSecond, Long.MIN_VALUE);
        this.thread = new Thread(this::run, "dashboard-readings-monitor");
        thread.setDaemon(true);
    }

    /** Consumer settings: no group, no commits, never creating topics. */
    static Properties consumerProperties(String kafkaBootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "smartcity-dashboard-monitor");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return p;
    }

    void start() {
        thread.start();
    }

    /** Records read from both topics since start. */
    long consumed() {
        return consumed.get();
    }

    Duration silentAfter() {
        return silentAfter;
    }

    /**
     * Consumes until closed. A failure of the consumer (not of one record: those are skipped) is
     * logged and the consumer restarted after a backoff (1 s, doubling to 30 s), resuming where it
     * was; meanwhile {@link #dependency()} is DOWN with the reason. An error that is not an
     * exception (a bug, the heap exhausted) ends the thread; {@link #dependency()} then says so,
     * with the error, for good.
     */
    private void run() {
        try {
            consumeAndRestart();
        } catch (Error e) {
            died = e.toString();
            LOG.error("The readings monitor's thread died", e);
        }
    }

    private void consumeAndRestart() {
        int failuresInARow = 0;
        while (stop.getCount() > 0) {
            long started = clock.millis();
            try {
                consume();
                return;
            } catch (WakeupException e) {
                if (stop.getCount() == 0) {
                    return;
                }
                failure = "consumer woken up unexpectedly";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (stop.getCount() == 0) {
                    return;
                }
                failure = e.toString();
            }
            failuresInARow =
                    clock.millis() - started > MAX_BACKOFF.toMillis() ? 1 : failuresInARow + 1;
            long backoff =
                    Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(failuresInARow - 1, 5));
            int n = restarts.incrementAndGet();
            String reason = failure;
            failure = "stopped (" + reason + "); restart " + n + " in " + backoff / 1000 + " s";
            LOG.error("The readings monitor stopped: {}; restart {} in {} ms", reason, n, backoff);
            try {
                if (stop.await(backoff, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void consume() throws InterruptedException {
        try (Consumer<byte[], byte[]> c = consumers.get()) {
            consumer = c;
            if (stop.getCount() == 0) {
                return;
            }
            failure = null;
            long nextCheck = 0;
            while (stop.getCount() > 0) {
                long now = clock.millis();
                if (now >= nextCheck || c.assignment().isEmpty()) {
                    assignNewPartitions(c);
                    nextCheck = now + ASSIGNMENT_CHECK.toMillis();
                }
                if (c.assignment().isEmpty()) {
                    // Neither topic exists yet: look again after a while.
                    stop.await(1, TimeUnit.SECONDS);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                    try {
                        accept(r);
                    } catch (RuntimeException e) {
                        // One odd record (a tombstone, a bad header) must not stop the monitor.
                        skipped.incrementAndGet();
                        LOG.debug("Skipping {}@{}: {}", r.topic(), r.offset(), e.toString());
                    }
                    positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                }
            }
        } finally {
            consumer = null;
        }
    }

    /** The monitor as {@code /health} reports it. */
    Health.Dependency dependency() {
        if (stop.getCount() == 0) {
            return Health.Dependency.down(NAME, "closed");
        }
        String error = died;
        if (error != null) {
            return Health.Dependency.down(NAME, "thread died: " + error);
        }
        String why = failure;
        if (why != null) {
            return Health.Dependency.down(NAME, why);
        }
        if (!thread.isAlive()) {
            return Health.Dependency.down(
                    NAME, thread.getState() == Thread.State.NEW ? "not started" : "thread died");
        }
        int n = restarts.get();
        return n == 0
                ? Health.Dependency.up(NAME)
                : Health.Dependency.up(NAME, "restarted " + n + " times");
    }

    /** Times the consumer was restarted after a failure. */
    int restarts() {
        return restarts.get();
    }

    /** Records that could not be read and were skipped. */
    long skipped() {
        return skipped.get();
    }

    private void assignNewPartitions(Consumer<byte[], byte[]> c) {
        Set<TopicPartition> all = new HashSet<>(c.assignment());
        List<TopicPartition> added = new ArrayList<>();
        try {
            for (String topic : topics) {
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
                for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
                    TopicPartition tp = new TopicPartition(topic, info.partition());
                    if (all.add(tp)) {
                        added.add(tp);
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debug("Kafka not reachable yet: {}", e.toString());
            return;
        }
        if (added.isEmpty()) {
            return;
        }
        c.assign(all);
        long since = clock.millis() - LOOKBACK.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition tp : added) {
            Long next = positions.get(tp);
            if (next != null) {
                c.seek(tp, next); // a restart: resume
            } else {
                query.put(tp, since);
            }
        }
        Map<TopicPartition, OffsetAndTimestamp> offsets =
                query.isEmpty() ? Map.of() : c.offsetsForTimes(query, Duration.ofSeconds(10));
        for (TopicPartition tp : query.keySet()) {
            OffsetAndTimestamp at = offsets.get(tp);
            if (at == null) {
                c.seekToEnd(List.of(tp));
            } else {
                c.seek(tp, at.offset());
            }
        }
        LOG.info("Following {} from {}", added, java.time.Instant.ofEpochMilli(since));
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
        stop.countDown();
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
