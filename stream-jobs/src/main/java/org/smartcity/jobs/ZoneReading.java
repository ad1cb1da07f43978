package org.smartcity.jobs;

/**
 * One reading as counted in one of its zones: the element of the shortest windows. A reading in
 * three zones (cell, district, city) becomes three of these.
 *
 * @param zone the metric and zone it counts in
 * @param sensor the device, for the distinct-sensor count: its id's hash ({@link SensorIds#hash})
 * @param timestampMillis event time, epoch milliseconds
 * @param value the measured value in the metric's canonical unit
 */
public record ZoneReading(ZoneKey zone, long sensor, long timestampMillis, double value) {

    /** The Flink key: {@link ZoneKey#id()}. */
    public String key() {
        return zone.id();
    }
}
