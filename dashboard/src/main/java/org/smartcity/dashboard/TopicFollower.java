package org.smartcity.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.http.Health;

/**
 * Follows Kafka topics on a thread of its own and hands every record to a handler: what the
 * dashboard's in-memory views (readings monitor, alerts feed) have in common.
 *
 * <p>No consumer group and no committed offsets: every dashboard needs every record to build its
 * own view, and a restarted one rebuilds it from the topics, so the follower assigns partitions
 * itself. That is also how topics that do not exist yet (the dashboard started before the bridge or
 * the job) are picked up: partitions are looked for again every 10 s; the follower never creates
 * topics. Where a newly found partition starts is the owner's choice ({@link StartPositions}).
 *
 * <p>A failure of the consumer (not of one record: those are counted and skipped, so one odd record
 * cannot stop the view) is logged and the consumer restarted after a backoff (1 s, doubling to 30
 * s), resuming from the positions it had reached, so nothing is handled twice; meanwhile {@link
 * #dependency()} is DOWN with the reason. An error that is not an exception (a bug, the heap
 * exhausted) ends the thread; {@link #dependency()} then says so, with the error, for good.
 */
final class TopicFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private static final Duration ASSIGNMENT_CHECK = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** Where the follower starts reading a partition it has not read from before. */
    @FunctionalInterface
    interface StartPositions {
        /** Seeks {@code consumer} (already assigned them) on each of {@code partitions}. */
        void seek(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions);
    }

    /** Handles one record; a {@link RuntimeException} skips the record, not the follower. */
    @FunctionalInterface
    interface RecordHandler {
        void accept(ConsumerRecord<byte[], byte[]> record);
    }

    private final String name;
    private final List<String> topics;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Clock clock;
    private final StartPositions startPositions;
    private final RecordHandler handler;

    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile Consumer<byte[], byte[]> consumer;
    private final Thread thread;

    /** The next offset to read per partition, so a restarted consumer resumes, never re-reads. */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();

    /** Why the follower is not consuming (it failed and waits to restart), or null. */
    private volatile String failure;

    /** The error that ended the thread, or null. */
    private volatile String died;

    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicLong skipped = new AtomicLong();

    /**
     * @param name the follower's name in {@code /health} and in logs
     * @param threadName its thread's name
     * @param topics the topics to follow, existing or not
     * @param consumers makes each (re)started consumer
     * @param clock times the partition checks and the backoff
     * @param startPositions where partitions not read from before start
     * @param handler called on the follower's thread for every record, in partition order
     */
    TopicFollower(
            String name,
            String threadName,
            List<String> topics,
            Supplier<Consumer<byte[], byte[]>> consumers,
            Clock clock,
            StartPositions startPositions,
            RecordHandler handler) {
        this.name = name;
        this.topics = List.copyOf(topics);
        this.consumers = consumers;
        this.clock = clock;
        this.startPositions = startPositions;
        this.handler = handler;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    /** Consumer settings: no group, no commits, never creating topics. */
    static Properties consumerProperties(String kafkaBootstrap, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
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

    /** Times the consumer was restarted after a failure. */
    int restarts() {
        return restarts.get();
    }

    /** Records the handler failed on, which were skipped. */
    long skipped() {
        return skipped.get();
    }

    private void run() {
        try {
            consumeAndRestart();
        } catch (Error e) {
            died = e.toString();
            LOG.error("The {} thread died", name, e);
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
            // A consumer that ran longer than the longest backoff counts as a fresh failure.
            failuresInARow =
                    clock.millis() - started > MAX_BACKOFF.toMillis() ? 1 : failuresInARow + 1;
            long backoff =
                    Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(failuresInARow - 1, 5));
            int n = restarts.incrementAndGet();
            String reason = failure;
            failure = "stopped (" + reason + "); restart " + n + " in " + backoff / 1000 + " s";
            LOG.error("The {} stopped: {}; restart {} in {} ms", name, reason, n, backoff);
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
                    // None of the topics exists yet: look again after a while.
                    stop.await(1, TimeUnit.SECONDS);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                    try {
                        handler.accept(r);
                    } catch (RuntimeException e) {
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
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : added) {
            Long next = positions.get(tp);
            if (next != null) {
                c.seek(tp, next); // a restart: resume
            } else {
                fresh.add(tp);
            }
        }
        if (!fresh.isEmpty()) {
            startPositions.seek(c, fresh);
        }
        LOG.info("The {} follows {}", name, added);
    }

    /** The follower as {@code /health} reports it. */
    Health.Dependency dependency() {
        if (stop.getCount() == 0) {
            return Health.Dependency.down(name, "closed");
        }
        String error = died;
        if (error != null) {
            return Health.Dependency.down(name, "thread died: " + error);
        }
        String why = failure;
        if (why != null) {
            return Health.Dependency.down(name, why);
        }
        if (!thread.isAlive()) {
            return Health.Dependency.down(
                    name, thread.getState() == Thread.State.NEW ? "not started" : "thread died");
        }
        int n = restarts.get();
        return n == 0
                ? Health.Dependency.up(name)
                : Health.Dependency.up(name, "restarted " + n + " times");
    }

    /** Stops the thread, waking a consumer blocked in a poll; waits up to 10 s for it to end. */
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
