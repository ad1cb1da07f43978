package org.smartcity.jobs;

/**
 * Some readings of one zone and shortest window, already aggregated where they were read: what
 * {@link LocalWindowCombiner} sends to the shortest windows instead of one record per reading.
 *
 * @param zone the metric and zone
 * @param windowStartMillis start of the shortest window the readings fall in, epoch milliseconds
 * @param stats the statistics of these readings (not of the whole window)
 */
public record ZonePartial(ZoneKey zone, long windowStartMillis, ZoneStats stats) {

    /** The Flink key of the shortest windows: {@link ZoneKey#id()}. */
    public String key() {
        return zone.id();
    }
}
