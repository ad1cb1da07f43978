package org.smartcity.jobs.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;

/**
 * Writes the benchmark's readings into a readings topic as the bridge would (canonical JSON, keyed
 * by sensor id): all at once for the throughput runs ({@link #preload}), or paced at a rate with
 * event time following the wall clock for the latency run ({@link #feed}).
 */
public final class ReadingsTopic {
    /** Readings of one sensor round are spread over the interval; each is up to this late. */
    public static final long MAX_DISORDER_MILLIS = 2_000;

    /** Told of each reading {@link #feed} hands to the producer, on the feeding thread. */
    @FunctionalInterface
    public interface Sent {
        void sent(Reading reading, long sentMillis);
    }

    /**
     * What a feed wrote, and how far behind its schedule it was each time it woke up (the backlog
     * it then wrote at once, in milliseconds of readings): a feed that falls behind writes in
     * bursts, which delays readings by itself.
     *
     * @param sent readings handed to the producer
     * @param behindP99Millis p99 of the backlog over the feed's wake-ups
     * @param behindMaxMillis the largest backlog
     */
    public record Fed(long sent, double behindP99Millis, double behindMaxMillis) {}

    /** What a preload wrote. */
    record Preload(
            long readings, long bytes, long millis, long firstEventMillis, long lastEventMillis) {
        double readingsPerSecond() {
            return readings * 1000.0 / Math.max(1, millis);
        }

        Duration eventTimeSpan() {
            return Duration.ofMillis(lastEventMillis - firstEventMillis);
        }
    }

    private final String bootstrap;
    private final String topic;

    public ReadingsTopic(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    public String name() {
        return topic;
    }

    public void create(int partitions) throws InterruptedException, ExecutionException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /**
     * Writes {@code count} readings: every sensor reports once per {@code interval}, the sensors'
     * reports spread evenly over it, each up to {@link #MAX_DISORDER_MILLIS} later than its slot,
     * so event time advances in order with a little disorder, well within the job's 5 s bound.
     */
    Preload preload(
            BenchSensors sensors, long count, Duration interval, long startMillis, long seed) {
        SplittableRandom noise = new SplittableRandom(seed ^ 0x5DEECE66DL);
        long intervalMillis = interval.toMillis();
        int n = sensors.count();
        long bytes = 0;
        long last = Long.MIN_VALUE;
        long begin = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = producer(true)) {
            for (long k = 0; k < count; k++) {
                long round = k / n;
                int i = (int) (k % n);
                long slot = startMillis + round * intervalMillis + i * intervalMillis / n;
                long ts = slot + noise.nextLong(MAX_DISORDER_MILLIS + 1);
                Reading r = sensors.reading(i, ts, noise);
                byte[] value = ReadingJson.encode(r);
                bytes += value.length;
                last = Math.max(last, ts);
                producer.send(
                        new ProducerRecord<>(topic, r.sensorId(), value),
                        (meta, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                if (failure.get() != null) {
                    break;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preloading failed", failure.get());
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        return new Preload(count, bytes, millis, startMillis, last);
    }

    /**
     * Feeds readings at {@code rate} per second until {@code stop} is set, each stamped with the
     * wall clock less up to {@link #MAX_DISORDER_MILLIS}: live traffic. Runs on the calling thread;
     * returns the number of readings sent.
     */
    long feed(BenchSensors sensors, int rate, long seed, BooleanSupplier stop) {
        return feed(sensors, rate, seed, stop, (r, t) -> {}).sent();
    }

    /**
     * As {@link #feed(BenchSensors, int, long, BooleanSupplier)}, telling {@code listener} of each
     * reading as it is handed to the producer, and measuring how far behind schedule the feed runs.
     */
    public Fed feed(
            BenchSensors sensors, int rate, long seed, BooleanSupplier stop, Sent listener) {
        SplittableRandom noise = new SplittableRandom(seed);
        int n = sensors.count();
        return feed(
                rate,
                stop,
                (k, now) ->
                        sensors.reading(
                                (int) (k % n),
                                now - noise.nextLong(MAX_DISORDER_MILLIS + 1),
                                noise),
                listener);
    }

    /** The {@code k}th reading of a feed, made at wall-clock time {@code nowMillis}. */
    @FunctionalInterface
    public interface Next {
        Reading reading(long k, long nowMillis);
    }

    /**
     * Feeds the readings {@code next} makes at {@code rate} per second until {@code stop} is set,
     * on the calling thread, telling {@code listener} of each as it is handed to the producer. The
     * pace is kept by the clock: each wake-up (about every millisecond) writes what has fallen due
     * since the last, and how much that was is measured ({@link Fed}).
     */
    public Fed feed(int rate, BooleanSupplier stop, Next next, Sent listener) {
        long sent = 0;
        // Backlog at each wake-up, in readings; the newest 65,536 wake-ups (about a minute).
        long[] behind = new long[1 << 16];
        int wakeUps = 0;
        long behindMax = 0;
        long begin = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = producer(false)) {
            while (!stop.getAsBoolean() && failure.get() == null) {
                long due = (long) ((System.nanoTime() - begin) / 1e9 * rate);
                if (sent >= due) {
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                long backlog = due - sent;
                behind[wakeUps++ & (behind.length - 1)] = backlog;
                behindMax = Math.max(behindMax, backlog);
                for (; sent < due; sent++) {
                    long now = System.currentTimeMillis();
                    Reading r = next.reading(sent, now);
                    producer.send(
                            new ProducerRecord<>(topic, r.sensorId(), ReadingJson.encode(r)),
                            (meta, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                    listener.sent(r, now);
                }
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("feeding readings failed", failure.get());
        }
        long[] kept = Arrays.copyOf(behind, Math.min(wakeUps, behind.length));
        Arrays.sort(kept);
        long p99 = kept.length == 0 ? 0 : kept[(int) Math.ceil(kept.length * 0.99) - 1];
        return new Fed(sent, p99 * 1000.0 / rate, behindMax * 1000.0 / rate);
    }

    /**
     * A producer for bulk (large batches, waits for them to fill) or live (sends within a
     * millisecond) traffic; lz4 either way, as the bridge's.
     */
    private KafkaProducer<String, byte[]> producer(boolean bulk) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, bulk ? "50" : "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, bulk ? String.valueOf(512 * 1024) : "65536");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
