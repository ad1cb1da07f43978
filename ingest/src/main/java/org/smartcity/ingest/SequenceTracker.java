package org.smartcity.ingest;

import java.util.BitSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts for lost and repeated readings from each device's {@code seq} counter.
 *
 * <p>Per device, the tracker knows which sequence numbers it has seen among the last {@value
 * #WINDOW} below the highest (a ring of bits), and the lowest one it accounts from (the first one
 * seen, or lower if older ones arrive later). A number missing between the lowest and the highest
 * is a gap: {@code ingest.sequence.lost} counts it once when it opens and takes it back when the
 * reading arrives late, so the meter is always "gaps not yet filled" and never negative. Readings
 * that arrive in descending order (10, 9, 8 from a new device) extend the accounted range downwards
 * and open no gap.
 *
 * <p>A device sending a number it already sent is a duplicate; a redelivery of the bridge's own (an
 * MQTT message that may have been taken before) is not the device's doing and counts nothing. A
 * number further below the highest than the window is a counter restart.
 *
 * <p>Memory is bounded per device (one bit per remembered number) and in the number of devices
 * ({@value #DEFAULT_MAX_DEVICES}). With several bridge instances each sees part of a device's
 * readings, so these figures are exact for one instance and indicative beyond.
 */
final class SequenceTracker {
    static final int WINDOW = 1024;

    /**
     * Devices followed at most (some 200 bytes each): beyond, readings of new devices are not
     * accounted, so a flood of made-up sensor ids cannot exhaust the heap.
     */
    static final int DEFAULT_MAX_DEVICES = 200_000;

    private static final Logger LOG = LoggerFactory.getLogger(SequenceTracker.class);

    private final ConcurrentHashMap<String, DeviceSequence> devices = new ConcurrentHashMap<>();
    private final IngestMetrics metrics;
    private final int maxDevices;
    private final AtomicBoolean fullLogged = new AtomicBoolean();

    SequenceTracker(IngestMetrics metrics) {
        this(metrics, DEFAULT_MAX_DEVICES);
    }

    SequenceTracker(IngestMetrics metrics, int maxDevices) {
        this.metrics = metrics;
        this.maxDevices = maxDevices;
    }

    /**
     * Records a reading's sequence number.
     *
     * @param redelivered the MQTT message may have reached the bridge before (DUP flag, or taken
     *     over from a dead session): seeing its number again is no device duplicate
     */
    void observe(String sensorId, long seq, boolean redelivered) {
        DeviceSequence device = devices.get(sensorId);
        if (device == null) {
            if (devices.size() >= maxDevices) {
                if (fullLogged.compareAndSet(false, true)) {
                    LOG.warn(
                            "Following the seq counters of {} devices already; readings of further"
                                    + " devices are not counted in ingest.sequence.*",
                            maxDevices);
                }
                return;
            }
            device = devices.computeIfAbsent(sensorId, id -> new DeviceSequence());
        }
        device.observe(seq, redelivered, metrics);
    }

    /** The recent sequence numbers of one device: a ring of bits indexed by seq. */
    private static final class DeviceSequence {
        private final BitSet seen = new BitSet(WINDOW);
        private long highest = -1;

        /** The lowest number accounted for: nothing below it counts as missing. */
        private long lowest;

        synchronized void observe(long seq, boolean redelivered, IngestMetrics metrics) {
            if (highest < 0) {
                start(seq);
            } else if (seq > highest) {
                // Every number in between is missing for now. Those beyond the window are lost
                // for good: a late arrival that far back is taken for a counter restart.
                long gap = seq - highest - 1;
                for (long s = highest + 1; s < seq && s - highest <= WINDOW; s++) {
                    seen.clear(slot(s));
                }
                metrics.sequenceGap(gap);
                seen.set(slot(seq));
                highest = seq;
            } else if (highest - seq >= WINDOW) {
                if (!redelivered) {
                    metrics.sequenceReset();
                    start(seq);
                }
            } else if (seq < lowest) {
                // An older reading than any seen: the range extends down to it, and only the
                // numbers strictly between it and the previous lowest are missing.
                for (long s = seq + 1; s < lowest; s++) {
                    seen.clear(slot(s));
                }
                metrics.sequenceGap(lowest - seq - 1);
                seen.set(slot(seq));
                lowest = seq;
            } else if (seen.get(slot(seq))) {
                if (!redelivered) {
                    metrics.sequenceDuplicate();
                }
            } else {
                // Between lowest and highest, inside the window, not seen: a gap counted when it
                // opened, filled now.
                seen.set(slot(seq));
                metrics.sequenceGapFilled();
            }
        }

        private void start(long seq) {
            seen.clear();
            seen.set(slot(seq));
            highest = seq;
            lowest = seq;
        }

        private static int slot(long seq) {
            return (int) (seq % WINDOW);
        }
    }
}
