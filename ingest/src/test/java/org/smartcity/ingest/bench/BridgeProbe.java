package org.smartcity.ingest.bench;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the bridge's own meters during a step: how many MQTT messages it holds unacknowledged
 * ({@code ingest.messages.inflight}, sampled every millisecond) and how long a message takes from
 * its arrival in the bridge to Kafka's acknowledgement ({@code ingest.kafka.send}, mean over the
 * step). Together with the end-to-end latency they tell which side of the bridge the time goes.
 */
final class BridgeProbe {
    /** The bridge's figures over one step. */
    record Stats(double meanInFlight, long maxInFlight, double meanKafkaSendMillis, long records) {}

    private final Gauge inFlight;
    private final Timer kafkaSend;
    private volatile boolean running;
    private Thread thread;
    private long samples;
    private long sum;
    private long max;
    private long count0;
    private double total0;

    BridgeProbe(MeterRegistry registry) {
        inFlight = registry.get("ingest.messages.inflight").gauge();
        kafkaSend = registry.get("ingest.kafka.send").timer();
    }

    void start() {
        samples = 0;
        sum = 0;
        max = 0;
        count0 = kafkaSend.count();
        total0 = kafkaSend.totalTime(TimeUnit.MILLISECONDS);
        running = true;
        thread = new Thread(this::sampleUntilStopped, "bench-probe");
        thread.setDaemon(true);
        thread.start();
    }

    Stats stop() throws InterruptedException {
        running = false;
        thread.join();
        long n = kafkaSend.count() - count0;
        double total = kafkaSend.totalTime(TimeUnit.MILLISECONDS) - total0;
        return new Stats(samples == 0 ? 0 : (double) sum / samples, max, n == 0 ? 0 : total / n, n);
    }

    private void sampleUntilStopped() {
        while (running) {
            long v = (long) inFlight.value();
            samples++;
            sum += v;
            max = Math.max(max, v);
            LockSupport.parkNanos(1_000_000L);
        }
    }
}
