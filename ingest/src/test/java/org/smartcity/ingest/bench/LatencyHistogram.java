package org.smartcity.ingest.bench;

import org.smartcity.core.bench.Percentiles;

/**
 * Latencies in whole milliseconds (the resolution of both ends: the reading's epoch-millisecond
 * {@code ts} and Kafka's append time), counted per millisecond up to {@link #LIMIT_MS}.
 */
public final class LatencyHistogram {
    static final int LIMIT_MS = 600_000;

    private final long[] counts = new long[LIMIT_MS + 1];
    private long total;
    private long max = Long.MIN_VALUE;
    private long negative;

    public void record(long millis) {
        if (millis < 0) {
            negative++;
        }
        counts[(int) Math.max(0, Math.min(LIMIT_MS, millis))]++;
        total++;
        max = Math.max(max, millis);
    }

    public long count() {
        return total;
    }

    /** Latencies below zero (a clock step); recorded as 0. */
    public long negative() {
        return negative;
    }

    public long max() {
        return total == 0 ? -1 : max;
    }

    /** The nearest-rank percentile, {@code p} in (0, 100]; -1 when empty. */
    public long percentile(double p) {
        if (total == 0) {
            return -1;
        }
        long rank = Percentiles.rank(total, p);
        long seen = 0;
        for (int ms = 0; ms < counts.length; ms++) {
            seen += counts[ms];
            if (seen >= rank) {
                return ms;
            }
        }
        return LIMIT_MS;
    }
}
