package org.smartcity.jobs;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.smartcity.core.Aggregation;

/**
 * Incremental aggregation of readings into the shortest windows: each reading is folded into its
 * window's {@link ZoneStats} as it arrives, so a window holds one accumulator, not its readings.
 */
final class ZoneStatsAggregator implements AggregateFunction<ZoneReading, ZoneStats, ZoneStats> {
    private static final long serialVersionUID = 1L;

    @Override
    public ZoneStats createAccumulator() {
        return new ZoneStats();
    }

    @Override
    public ZoneStats add(ZoneReading reading, ZoneStats acc) {
        acc.add(
                reading.sensorId(),
                reading.value(),
                reading.zone().metric().aggregation() == Aggregation.ENERGETIC_MEAN);
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
