package org.smartcity.dashboard;

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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.http.Health;

/**
 * Follows the alerts topic into an {@link AlertBook}: from the beginning (the topic is compacted,
 * so that is each alert's newest revision and whatever came after), reading only committed records
 * ({@code read_committed}: the job writes alerts in transactions, exactly once), without a consumer
 * group, so every dashboard has them all and a restarted one rebuilds its book. A topic that does
 * not exist yet (no alert raised so far) is picked up when it appears; the feed never creates it. A
 * failing consumer is restarted after a second, resuming where it was.
 */
final class AlertFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertFeed.class);

    /** The feed's name in {@code /health}. */
    static final String NAME = "alerts-feed";

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration PARTITION_CHECK = Duration.ofSeconds(10);
    private static final long RESTART_MILLIS = 1_000;

    private final String topic;
    private final AlertBook book;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong skipped = new AtomicLong();
    private final Thread thread;
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile String failure;

    AlertFeed(String kafkaBootstrap, String topic, AlertBook book) {
        this.topic = topic;
        this.book = book;
        Properties p = ReadingsMonitor.consumerProperties(kafkaBootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "smartcity-dashboard-alerts");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumers = () -> new KafkaConsumer<>(p);
        this.thread = new Thread(this::run, "dashboard-alerts-feed");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Records that were not alerts and were skipped. */
    long skipped() {
        return skipped.get();
    }

    Health.Dependency dependency() {
        String why = failure;
        if (why != null) {
            return Health.Dependency.down(NAME, why);
        }
        return thread.isAlive() || stop.getCount() == 0
                ? Health.Dependency.up(NAME)
                : Health.Dependency.down(NAME, "not running");
    }

    private void run() {
        while (stop.getCount() > 0) {
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
                LOG.warn("The alerts feed stopped ({}); restarting in 1 s", e.toString());
            }
            try {
                if (stop.await(RESTART_MILLIS, TimeUnit.MILLISECONDS)) {
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
            long nextCheck = 0;
            while (stop.getCount() > 0) {
                long now = System.currentTimeMillis();
                if (now >= nextCheck || c.assignment().isEmpty()) {
                    assignNewPartitions(c);
                    nextCheck = now + PARTITION_CHECK.toMillis();
                }
                if (c.assignment().isEmpty()) {
                    stop.await(1, TimeUnit.SECONDS); // no alert topic yet
                    continue;
                }
                failure = null;
                for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                    positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                    if (r.value() == null) {
                        continue; // a tombstone: nothing to show
                    }
                    try {
                        book.offer(AlertJson.decode(r.value()));
                    } catch (RuntimeException e) {
                        skipped.incrementAndGet();
                        LOG.debug("Skipping {}@{}: {}", r.topic(), r.offset(), e.toString());
                    }
                }
            }
        } finally {
            consumer = null;
        }
    }

    private void assignNewPartitions(Consumer<byte[], byte[]> c) {
        List<PartitionInfo> infos;
        try {
            infos = c.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return; // Kafka not reachable yet
        }
        Set<TopicPartition> all = new HashSet<>(c.assignment());
        List<TopicPartition> added = new ArrayList<>();
        for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
            TopicPartition tp = new TopicPartition(topic, info.partition());
            if (all.add(tp)) {
                added.add(tp);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        c.assign(all);
        for (TopicPartition tp : added) {
            Long next = positions.get(tp);
            if (next != null) {
                c.seek(tp, next);
            } else {
                c.seekToBeginning(List.of(tp));
            }
        }
        LOG.info("Following alerts on {}", added);
    }

    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
