package org.smartcity.core;

import java.util.Objects;

/**
 * One validated sensor reading, as it travels through Kafka and Flink.
 *
 * @param sensorId the device id, as in the MQTT topic
 * @param metric the catalogue metric
 * @param city the city id from the MQTT topic
 * @param timestampMillis event time, epoch milliseconds (UTC)
 * @param lat WGS 84 latitude in degrees
 * @param lon WGS 84 longitude in degrees
 * @param value the measured value, in the metric's canonical unit
 * @param seq the device's own message counter, or {@code null} when the device sends none
 */
public record Reading(
        String sensorId,
        Metric metric,
        String city,
        long timestampMillis,
        double lat,
        double lon,
        double value,
        Long seq) {

    public Reading {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(city, "city");
    }
}
