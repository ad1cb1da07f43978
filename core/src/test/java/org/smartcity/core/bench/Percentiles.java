package org.smartcity.core.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The nearest-rank percentile every benchmark reports: the value at rank {@code ceil(p / 100 * n)}
 * of the {@code n} sorted samples (at least rank 1), so a reported p99 is always a measured value.
 * One rule for the benchmarks' latency tables, whether the samples are a list or a histogram.
 */
public final class Percentiles {
    private Percentiles() {}

    /**
     * The 1-based rank of percentile {@code p} (in (0, 100]) among {@code n >= 1} sorted samples,
     * kept within 1 and {@code n}.
     */
    public static long rank(long n, double p) {
        if (n < 1) {
            throw new IllegalArgumentException("no samples to rank, n = " + n);
        }
        return Math.max(1, Math.min(n, (long) Math.ceil(p / 100.0 * n)));
    }

    /** The nearest-rank percentile {@code p} of {@code samples}; null when there are none. */
    public static <T extends Comparable<? super T>> T nearestRank(List<T> samples, double p) {
        if (samples.isEmpty()) {
            return null;
        }
        List<T> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return sorted.get((int) rank(sorted.size(), p) - 1);
    }
}
