package org.smartcity.jobs;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incremental aggregation into the shortest windows: each {@link ZonePartial} (the readings of one
 * zone and window that one source subtask pre-aggregated) is merged into its window's {@link
 * ZoneStats} as it arrives, so a window holds one accumulator, not its readings.
 */
final class ZoneStatsAggregator implements AggregateFunction<ZonePartial, ZoneStats, ZoneStats> {
    private static final long serialVersionUID = 1L;

    @Override
    public ZoneStats createAccumulator() {
        return new ZoneStats();
    }

    /**
     * Merges the partial in; a window's first partial becomes its accumulator as it is, since
     * nothing else holds it (it was deserialized for this operator, or handed over by the combiner
     * that no longer keeps it).
     */
    @Override
    public ZoneStats add(ZonePartial partial, ZoneStats acc) {
        if (acc.count() == 0) {
            return partial.stats();
        }
        acc.merge(partial.stats());
        return acc;
    }

    /**
     * The accumulator itself, not a copy: the window function emits it at once, and Flink copies
     * (or serializes) it before the next reading can change it.
     */
    @Override
    public ZoneStats getResult(ZoneStats acc) {
        return acc;
    }

    @Override
    public ZoneStats merge(ZoneStats a, ZoneStats b) {
        a.merge(b);
        return a;
    }
}
