package org.smartcity.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.smartcity.core.Metric;
import org.smartcity.core.RejectionReason;

/**
 * The bridge's meters. Tags stay low-cardinality (metric, reason), never a sensor id.
 *
 * <ul>
 *   <li>{@code ingest.messages.received}: MQTT messages taken from the broker
 *   <li>{@code ingest.readings.accepted{metric}}: readings written to the readings topic
 *   <li>{@code ingest.readings.rejected{reason}}: payloads or elements dead-lettered
 *   <li>{@code ingest.kafka.send}: from an MQTT message's arrival to Kafka's acknowledgement
 *   <li>{@code ingest.messages.inflight}: messages received and not yet acknowledged to MQTT
 *   <li>{@code ingest.sequence.lost}, {@code ingest.sequence.duplicates}: per-device {@code seq}
 *       gaps still open and repeats, as this instance sees them
 *   <li>{@code ingest.redeliveries.suppressed}: redelivered readings already in Kafka, not written
 *       again
 *   <li>{@code ingest.kafka.errors}: sends that failed for a passing reason (timeouts, Kafka
 *       unreachable; the bridge then reconnects and the broker redelivers)
 *   <li>{@code ingest.deadletters.dropped}: messages acknowledged without any record, because Kafka
 *       refused their record and then its UNDELIVERABLE dead letter
 *   <li>{@code ingest.mqtt.heartbeats}: heartbeats received back through the subscription (not
 *       counted in {@code ingest.messages.received})
 *   <li>{@code ingest.mqtt.stalls}: times the broker delivered nothing, not even an acknowledged
 *       heartbeat, and the bridge reconnected ({@link DeliveryWatchdog})
 * </ul>
 */
public final class IngestMetrics implements MeterBinder {
    private final Map<Metric, Counter> accepted = new EnumMap<>(Metric.class);
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
    private final AtomicLong lost = new AtomicLong();
    private final AtomicInteger connected = new AtomicInteger();
    private Counter received;
    private Counter duplicates;
    private Counter sequenceResets;
    private Counter redeliveriesChecked;
    private Counter redeliveriesSuppressed;
    private Counter kafkaErrors;
    private Counter deadLettersDropped;
    private Counter heartbeats;
    private Counter stalls;
    private Timer kafkaSend;
    private IntSupplier inFlight = () -> 0;

    /** Registers the meters on a registry; call once, before the bridge starts. */
    @Override
    public void bindTo(MeterRegistry registry) {
        received = counter(registry, "ingest.messages.received", "MQTT messages received");
        for (Metric m : Metric.values()) {
            accepted.put(
                    m,
                    Counter.builder("ingest.readings.accepted")
                            .description("readings written to the readings topic")
                            .tag("metric", m.id())
                            .register(registry));
        }
        for (RejectionReason r : RejectionReason.values()) {
            rejected.put(
                    r,
                    Counter.builder("ingest.readings.rejected")
                            .description("payloads or elements written to the dead-letter topic")
                            .tag("reason", r.name())
                            .register(registry));
        }
        kafkaSend =
                Timer.builder("ingest.kafka.send")
                        .description("MQTT message arrival to Kafka acknowledgement")
                        .publishPercentiles(0.5, 0.99)
                        .publishPercentileHistogram()
                        .register(registry);
        Gauge.builder("ingest.messages.inflight", () -> inFlight.getAsInt())
                .description("MQTT messages received and not yet acknowledged")
                .register(registry);
        Gauge.builder("ingest.mqtt.connected", connected, AtomicInteger::get)
                .description("1 while connected to the MQTT broker")
                .register(registry);
        Gauge.builder("ingest.sequence.lost", lost, AtomicLong::get)
                .description("readings missing from device seq counters (gaps not yet filled)")
                .register(registry);
        duplicates =
                counter(
                        registry,
                        "ingest.sequence.duplicates",
                        "readings repeating a seq already seen from the device");
        sequenceResets =
                counter(
                        registry,
                        "ingest.sequence.resets",
                        "device seq counters that restarted (e.g. after a reboot)");
        redeliveriesChecked =
                counter(
                        registry,
                        "ingest.redeliveries.checked",
                        "redelivered readings looked up in Kafka");
        redeliveriesSuppressed =
                counter(
                        registry,
                        "ingest.redeliveries.suppressed",
                        "redelivered readings already in Kafka, not written again");
        kafkaErrors =
                counter(registry, "ingest.kafka.errors", "records Kafka did not accept in time");
        deadLettersDropped =
                counter(
                        registry,
                        "ingest.deadletters.dropped",
                        "messages acknowledged without any record: Kafka refused their"
                                + " record and then its UNDELIVERABLE dead letter");
        heartbeats =
                counter(
                        registry,
                        "ingest.mqtt.heartbeats",
                        "the bridge's heartbeats received back from the broker");
        stalls =
                counter(
                        registry,
                        "ingest.mqtt.stalls",
                        "reconnects because the broker delivered nothing, not even an"
                                + " acknowledged heartbeat");
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    void inFlightFrom(IntSupplier supplier) {
        this.inFlight = supplier;
    }

    void received() {
        received.increment();
    }

    void accepted(Metric metric) {
        accepted.get(metric).increment();
    }

    void rejected(RejectionReason reason) {
        rejected.get(reason).increment();
    }

    void kafkaAcknowledged(long arrivalNanos) {
        kafkaSend.record(System.nanoTime() - arrivalNanos, TimeUnit.NANOSECONDS);
    }

    void kafkaError() {
        kafkaErrors.increment();
    }

    void deadLetterDropped() {
        deadLettersDropped.increment();
    }

    void heartbeatReceived() {
        heartbeats.increment();
    }

    void deliveryStalled() {
        stalls.increment();
    }

    void connected(boolean up) {
        connected.set(up ? 1 : 0);
    }

    boolean isConnected() {
        return connected.get() == 1;
    }

    void sequenceGap(long missing) {
        lost.addAndGet(missing);
    }

    void sequenceGapFilled() {
        lost.decrementAndGet();
    }

    void sequenceDuplicate() {
        duplicates.increment();
    }

    void sequenceReset() {
        sequenceResets.increment();
    }

    void redeliveryChecked(int readings, int suppressed) {
        redeliveriesChecked.increment(readings);
        redeliveriesSuppressed.increment(suppressed);
    }
}
