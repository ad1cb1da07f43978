package org.smartcity.jobs;

import org.smartcity.core.ZoneAggregate;

/**
 * One emission of one window: the statistics of a zone and metric over a window, and how many times
 * that window has been emitted. What every window stage emits, and what the next longer window
 * rolls up.
 *
 * @param zone the metric and zone
 * @param windowStartMillis window start, epoch milliseconds (inclusive)
 * @param windowLengthMillis window length in milliseconds
 * @param revision 1 for the first emission, +1 for each correction by late readings
 * @param stats the window's statistics, complete as of this emission (not a delta)
 */
public record WindowPartial(
        ZoneKey zone,
        long windowStartMillis,
        long windowLengthMillis,
        int revision,
        ZoneStats stats) {

    /** The Flink key of the next stage: {@link ZoneKey#id()}. */
    public String key() {
        return zone.id();
    }

    /** The aggregate this emission reports. */
    public ZoneAggregate toAggregate() {
        return stats.toAggregate(zone, windowStartMillis, windowLengthMillis, revision);
    }
}
