package org.smartcity.ingest;

import java.util.BitSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts for lost and repeated readings from each device's {@code seq} counter: a jump opens a
 * gap (readings lost so far), a late arrival inside the recent window fills it again, a repeat is a
 * duplicate, and a large step back is a counter restart.
 *
 * <p>Memory is bounded per device: only the last {@value #WINDOW} sequence numbers are remembered.
 * With several bridge instances each sees part of a device's readings, so these figures are exact
 * for one instance and indicative beyond.
 */
final class SequenceTracker {
    static final int WINDOW = 1024;

    private final ConcurrentHashMap<String, DeviceSequence> devices = new ConcurrentHashMap<>();
    private final IngestMetrics metrics;

    SequenceTracker(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    void observe(String sensorId, long seq) {
        devices.computeIfAbsent(sensorId, id -> new DeviceSequence()).observe(seq, metrics);
    }

    /** The recent sequence numbers of one device: a ring of bits indexed by seq. */
    private static final class DeviceSequence {
        private final BitSet seen = new BitSet(WINDOW);
        private long highest = -1;

        synchronized void observe(long seq, IngestMetrics metrics) {
            if (highest < 0) {
                start(seq);
            } else if (seq > highest) {
                long gap = seq - highest - 1;
                if (gap >= WINDOW) {
                    // Too far ahead to keep the bits in between: count them lost at once.
                    metrics.sequenceGap(gap);
                    start(seq);
                    return;
                }
                for (long s = highest + 1; s < seq; s++) {
                    seen.clear(slot(s));
                }
                metrics.sequenceGap(gap);
                seen.set(slot(seq));
                highest = seq;
            } else if (highest - seq < WINDOW) {
                if (seen.get(slot(seq))) {
                    metrics.sequenceDuplicate();
                } else {
                    seen.set(slot(seq));
                    metrics.sequenceGapFilled();
                }
            } else {
                metrics.sequenceReset();
                start(seq);
            }
        }

        private void start(long seq) {
            seen.clear();
            seen.set(slot(seq));
            highest = seq;
        }

        private static int slot(long seq) {
            return (int) (seq % WINDOW);
        }
    }
}
