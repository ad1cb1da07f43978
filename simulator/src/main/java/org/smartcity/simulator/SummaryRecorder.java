package org.smartcity.simulator;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.smartcity.core.Metric;
import org.smartcity.core.RejectionReason;

/**
 * Counts what was published and what the broker confirmed, and predicts the bridge's decisions from
 * the readings' planned faults. Lock-free and safe to call from any thread: the MQTT client
 * confirms deliveries on its own threads while metrics are read on others.
 */
final class SummaryRecorder {
    private final List<String> silentSensors;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLongArray messages = new AtomicLongArray(Metric.values().length);
    private final AtomicLongArray readings = new AtomicLongArray(Metric.values().length);
    private final AtomicLongArray accepted = new AtomicLongArray(Metric.values().length);
    private final AtomicLongArray rejected = new AtomicLongArray(RejectionReason.values().length);
    private final AtomicLongArray faults = new AtomicLongArray(Fault.values().length);
    private final AtomicLong acceptedRepeats = new AtomicLong();

    SummaryRecorder(List<String> silentSensors) {
        this.silentSensors = List.copyOf(silentSensors);
        faults.set(Fault.SILENT_SENSOR.ordinal(), silentSensors.size());
    }

    /** A message was handed to the broker connection. */
    void published(SimulatedMessage m) {
        published.incrementAndGet();
    }

    /** The broker has confirmed a message (QoS 1 PUBACK): it counts for the bridge. */
    void confirmed(SimulatedMessage m) {
        int metric = m.metric().ordinal();
        messages.incrementAndGet(metric);
        readings.addAndGet(metric, m.readings().size());
        if (m.duplicate()) {
            faults.addAndGet(Fault.DUPLICATE.ordinal(), m.readings().size());
        }
        if (m.outOfOrder()) {
            faults.addAndGet(Fault.OUT_OF_ORDER.ordinal(), m.readings().size());
        }
        for (PlannedReading r : m.readings()) {
            if (r.fault() != null) {
                faults.incrementAndGet(r.fault().ordinal());
            }
            r.expectedRejection()
                    .ifPresentOrElse(
                            reason -> rejected.incrementAndGet(reason.ordinal()),
                            () -> {
                                accepted.incrementAndGet(metric);
                                if (m.duplicate()) {
                                    acceptedRepeats.incrementAndGet();
                                }
                            });
        }
    }

    /** A message counted as published was not handed over after all (the run stopped). */
    void withdrawn(SimulatedMessage m) {
        published.decrementAndGet();
    }

    /**
     * The broker did not confirm a message: the bridge may or may not have it.
     *
     * @return the number of failures so far
     */
    long failed(SimulatedMessage m) {
        return failed.incrementAndGet();
    }

    /** A message published and confirmed at once: for a run without a broker. */
    void record(SimulatedMessage m) {
        published(m);
        confirmed(m);
    }

    long readingsSent(Metric metric) {
        return readings.get(metric.ordinal());
    }

    long messagesSent() {
        long sum = 0;
        for (int i = 0; i < messages.length(); i++) {
            sum += messages.get(i);
        }
        return sum;
    }

    long faults(Fault fault) {
        return faults.get(fault.ordinal());
    }

    long published() {
        return published.get();
    }

    long failed() {
        return failed.get();
    }

    /** The counts so far; after the run has drained, the final summary. */
    SimulationSummary snapshot() {
        return new SimulationSummary(
                published.get(),
                SimulationSummary.counts(Metric.class, messages),
                SimulationSummary.counts(Metric.class, readings),
                SimulationSummary.counts(Metric.class, accepted),
                SimulationSummary.counts(RejectionReason.class, rejected),
                SimulationSummary.counts(Fault.class, faults),
                silentSensors,
                acceptedRepeats.get());
    }
}
