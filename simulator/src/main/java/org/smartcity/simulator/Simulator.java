package org.smartcity.simulator;

import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.Reading;
import org.smartcity.core.config.CommandLine;
import org.smartcity.core.config.Secrets;

/**
 * The city-sensor simulator: publishes the {@link MessageGenerator}'s messages to the MQTT broker
 * at the configured rate, then waits until the broker has acknowledged every one, and keeps a
 * {@link SimulationSummary} of what was sent and what the bridge should make of it.
 *
 * <p>{@link #run()} returns when the run is over (total or duration reached) or stopped by {@link
 * #close()} from another thread, in both cases after draining the unacknowledged messages (up to
 * the configured drain timeout). A simulator runs once. In a test:
 *
 * <pre>{@code
 * try (Simulator simulator = new Simulator(SimulatorConfig.parse(
 *         "--mqtt-url", broker.serverUri(), "--total", "5000", "--rate", "2000",
 *         "--fault-malformed", "0.02"), Clock.systemUTC())) {
 *     simulator.run();
 *     SimulationSummary expected = simulator.summary();
 *     // compare expected.acceptedByMetric() and expected.rejectionsByReason() with the bridge
 * }
 * }</pre>
 *
 * <p>To check what comes out of the pipeline against what went in, give a listener for the
 * forwarded readings ({@link #Simulator(SimulatorConfig, Clock, Consumer)}): it receives each
 * reading the bridge should accept, as the bridge writes it to Kafka, once the broker has confirmed
 * its message.
 */
public final class Simulator implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

    /** Extra time {@link #close()} allows a running {@link #run()} beyond its drain timeout. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private final SimulatorConfig config;
    private final MessageGenerator generator;
    private final SummaryRecorder recorder;
    private final Transport.Factory transports;
    private final StopSignal stop = new StopSignal();
    private final Pacer pacer;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Consumer<Reading> forwarded;

    /**
     * A simulator publishing to the configured MQTT broker. Nothing connects before {@link #run()}.
     *
     * @param clock read once, here: the readings' timestamps start at its instant
     */
    public Simulator(SimulatorConfig config, Clock clock) {
        this(config, clock, reading -> {});
    }

    /**
     * A simulator that also reports every reading the bridge should accept.
     *
     * @param forwarded called once per accepted reading (twice for a {@link Fault#DUPLICATE}
     *     message, as the bridge forwards both copies) when the broker confirms its message, on the
     *     MQTT client's thread: it must be quick and thread-safe. Readings of messages the broker
     *     did not confirm are not reported.
     */
    public Simulator(SimulatorConfig config, Clock clock, Consumer<Reading> forwarded) {
        this(config, clock, MqttTransport::open, System::nanoTime, forwarded);
    }

    /** For tests: another transport, and another time source for the rate limiter. */
    Simulator(
            SimulatorConfig config,
            Clock clock,
            Transport.Factory transports,
            LongSupplier nanoTime) {
        this(config, clock, transports, nanoTime, reading -> {});
    }

    Simulator(
            SimulatorConfig config,
            Clock clock,
            Transport.Factory transports,
            LongSupplier nanoTime,
            Consumer<Reading> forwarded) {
        this.config = config;
        this.forwarded = Objects.requireNonNull(forwarded, "forwarded");
        this.generator = new MessageGenerator(config, clock);
        this.recorder = new SummaryRecorder(generator.silentSensors());
        this.transports = transports;
        this.pacer = new Pacer(nanoTime, stop::await);
    }

    /**
     * Connects, publishes until the run is over or {@link #close()} is called, waits for the
     * broker's acknowledgements and disconnects.
     *
     * @throws IllegalStateException when the broker cannot be reached, or on a second call
     */
    @Override
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Simulator runs once");
        }
        if (config.scenario() == Scenario.OUTAGE) {
            LOG.info(
                    "Scenario outage: district {} goes silent first (null: no district)",
                    generator.outageDistrict());
        }
        try (Transport transport = open()) {
            publish(transport);
            drain(transport);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted; {} message(s) published", recorder.published());
        } finally {
            finished.countDown();
        }
    }

    /**
     * What was sent so far and what the bridge should decide; final once {@link #run()} returns.
     */
    public SimulationSummary summary() {
        return recorder.snapshot();
    }

    /** The simulator's meters, to bind to a registry (see {@link SimulatorMetrics}). */
    public MeterBinder metrics() {
        return new SimulatorMetrics(recorder);
    }

    /**
     * Stops a run: no further message is published, the ones in flight are drained, and this
     * returns when {@link #run()} has (or after the drain timeout and a grace period).
     */
    @Override
    public void close() {
        stop.request();
        if (!started.get()) {
            return;
        }
        try {
            Duration limit = config.drainTimeout().plus(CLOSE_GRACE);
            if (!finished.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("The simulator did not stop within {}", limit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Transport open() {
        try {
            return transports.open(config, stop);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot connect to the MQTT broker at "
                            + Secrets.mask(config.mqttUrl())
                            + ": "
                            + CommandLine.messageOf(e),
                    e);
        }
    }

    private void publish(Transport transport) throws InterruptedException {
        LOG.info(
                "Publishing {} readings/s from {} sensors of {}{}{}",
                config.rate(),
                config.sensors(),
                config.city(),
                config.total() > 0 ? ", " + config.total() + " readings in all" : "",
                config.duration() != null ? ", for " + config.duration() : "");
        if (generator.backfillFrom() != null) {
            LOG.info(
                    "Backfill: the PM2.5 and PM10 sensors' readings every {} from {}, oldest first,"
                            + " then live",
                    config.backfillInterval(),
                    generator.backfillFrom());
        }
        pacer.start();
        long progressNanos = config.progressInterval().toNanos();
        long nextProgress = progressNanos;
        boolean live = false;
        while (!stop.isRequested() && generator.hasNext()) {
            SimulatedMessage m = generator.next();
            if (!generator.isBackfill(m)) {
                if (!live) {
                    live = true;
                    if (generator.backfillReadings() > 0) {
                        LOG.info(
                                "Backfill published: {} readings from {} to {} in {} s; going"
                                        + " live",
                                generator.backfillReadings(),
                                generator.backfillFrom(),
                                generator.start(),
                                pacer.elapsed().toSeconds());
                        // The live part is paced from its own start.
                        pacer.start();
                        nextProgress = progressNanos;
                    }
                }
                if (!pacer.awaitOffset(Duration.between(generator.start(), m.sendTime()))) {
                    break;
                }
            }
            // Counted before it is handed over, so a fast acknowledgement never precedes it.
            recorder.published(m);
            if (!transport.send(m, delivery(m))) {
                recorder.withdrawn(m);
                break;
            }
            long elapsed = pacer.elapsed().toNanos();
            if (progressNanos > 0 && elapsed >= nextProgress) {
                // One line even after a long stall (a reconnect), not one per interval missed.
                nextProgress = (elapsed / progressNanos + 1) * progressNanos;
                logProgress();
            }
        }
    }

    private void drain(Transport transport) throws InterruptedException {
        if (!transport.awaitIdle(config.drainTimeout())) {
            LOG.warn(
                    "{} message(s) still unacknowledged after {}: they count as unconfirmed",
                    summary().unconfirmedMessages(),
                    config.drainTimeout());
        }
        logProgress();
    }

    private void logProgress() {
        SimulationSummary s = summary();
        LOG.info(
                "{} message(s) published, {} confirmed, {} reading(s) in {} s",
                s.messagesPublished(),
                s.messagesSent(),
                s.readingsSent(),
                pacer.elapsed().toSeconds());
    }

    private Transport.Delivery delivery(SimulatedMessage m) {
        return new Transport.Delivery() {
            @Override
            public void confirmed() {
                recorder.confirmed(m);
                for (PlannedReading r : m.readings()) {
                    if (r.forwarded() != null) {
                        forwarded.accept(r.forwarded());
                    }
                }
            }

            @Override
            public void failed(Throwable cause) {
                if (recorder.failed(m) == 1) {
                    LOG.warn(
                            "The broker did not confirm a message on {} ({}); such messages count"
                                    + " as unconfirmed",
                            m.topic(),
                            cause == null ? "no reason given" : CommandLine.messageOf(cause));
                }
            }
        };
    }
}
