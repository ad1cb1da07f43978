package org.smartcity.core;

import java.util.regex.Pattern;

/**
 * The MQTT topic contract {@code city/{city}/{metric}/{sensorId}}: building topics for publishers
 * and taking them apart for the bridge.
 *
 * @param city the city id
 * @param metric the metric id as written (it may not be in the catalogue)
 * @param sensorId the device id
 */
public record SensorTopic(String city, String metric, String sensorId) {

    /** Sensor ids: 1 to 64 characters of {@code [A-Za-z0-9._-]}. */
    public static final Pattern SENSOR_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The filter matching every reading topic of every city. */
    public static final String FILTER = "city/+/+/+";

    private static final String PREFIX = "city/";

    /** The topic a sensor publishes its readings of a metric to. */
    public static String of(String city, Metric metric, String sensorId) {
        return PREFIX + city + '/' + metric.id() + '/' + sensorId;
    }

    /**
     * Splits a topic into its parts.
     *
     * @return the parts, or {@code null} when the topic does not have the contract's shape
     */
    public static SensorTopic parse(String topic) {
        if (topic == null || !topic.startsWith(PREFIX)) {
            return null;
        }
        int cityEnd = topic.indexOf('/', PREFIX.length());
        if (cityEnd < 0) {
            return null;
        }
        int metricEnd = topic.indexOf('/', cityEnd + 1);
        if (metricEnd < 0 || topic.indexOf('/', metricEnd + 1) >= 0) {
            return null;
        }
        SensorTopic parts =
                new SensorTopic(
                        topic.substring(PREFIX.length(), cityEnd),
                        topic.substring(cityEnd + 1, metricEnd),
                        topic.substring(metricEnd + 1));
        return parts.city.isEmpty() || parts.metric.isEmpty() ? null : parts;
    }

    public boolean hasValidSensorId() {
        return SENSOR_ID.matcher(sensorId).matches();
    }
}
