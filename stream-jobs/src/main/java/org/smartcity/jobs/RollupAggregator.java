package org.smartcity.jobs;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Rolls a longer window up from the emissions of the shorter windows inside it.
 *
 * <p>The accumulator keeps the newest statistics of each shorter window, by its start: when a late
 * reading corrects a shorter window, that window is emitted again with its complete corrected
 * statistics, which replace the earlier ones here. Adding them instead would count the window's
 * other readings twice. The newest emission is the last to arrive: all emissions of one zone's
 * window come from the same upstream subtask over one ordered channel.
 *
 * <p>The longer window's statistics are the merge of its parts, computed when it fires; nothing is
 * aggregated per reading a second time.
 *
 * <p>Its coverage ({@link org.smartcity.core.ZoneAggregate#coverage()}) is either the number of its
 * parts (every part has data, or it would not have been emitted): the hours with readings in a day
 * rolled up from {@code 1h}; or the sum of its parts' coverage, when the parts count the same
 * shorter windows it does: the minutes with readings in an hour rolled up from {@code 15m}. {@link
 * AggregationSpec#coverageCountsParts} decides which.
 */
final class RollupAggregator
        implements AggregateFunction<WindowPartial, Map<Long, ZoneStats>, ZoneStats> {
    private static final long serialVersionUID = 1L;

    private final boolean countParts;

    /**
     * @param countParts whether the coverage is the number of parts, or the sum of theirs
     */
    RollupAggregator(boolean countParts) {
        this.countParts = countParts;
    }

    @Override
    public Map<Long, ZoneStats> createAccumulator() {
        return new HashMap<>();
    }

    @Override
    public Map<Long, ZoneStats> add(WindowPartial part, Map<Long, ZoneStats> acc) {
        acc.put(part.windowStartMillis(), part.stats());
        return acc;
    }

    @Override
    public ZoneStats getResult(Map<Long, ZoneStats> acc) {
        ZoneStats total = new ZoneStats();
        long coverage = 0;
        for (ZoneStats part : acc.values()) {
            total.merge(part);
            coverage += countParts ? 1 : part.coverage();
        }
        total.setCoverage(coverage);
        return total;
    }

    /** Only merging window assigners call this; tumbling windows never do. */
    @Override
    public Map<Long, ZoneStats> merge(Map<Long, ZoneStats> a, Map<Long, ZoneStats> b) {
        a.putAll(b);
        return a;
    }
}
