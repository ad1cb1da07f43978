package org.smartcity.simulator;

import org.smartcity.core.Metric;

/**
 * One simulated device and the fixed traits that make its readings its own.
 *
 * @param id the device id, e.g. {@code km-pm25-0042}
 * @param metric what it measures
 * @param topic its MQTT topic
 * @param lat latitude, degrees (six decimals, as published)
 * @param lon longitude, degrees (six decimals, as published)
 * @param xKm east of the urban centre, km
 * @param yKm north of the urban centre, km
 * @param outer whether it stands in an outer district
 * @param centrality how central its position is, 0 to 1 ({@link CityLayout#centrality})
 * @param exposure how close it is to traffic, 0 (a park) to 1 (an arterial road)
 * @param bias its lasting deviation from the field (siting, calibration), in standard deviations
 */
record Sensor(
        String id,
        Metric metric,
        String topic,
        double lat,
        double lon,
        double xKm,
        double yKm,
        boolean outer,
        double centrality,
        double exposure,
        double bias) {}
