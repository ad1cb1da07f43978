package org.smartcity.jobs.alerts;

import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;

/**
 * What a silent-sensor rule remembers about one sensor.
 *
 * @param metric the sensor's metric
 * @param lastMillis the event time of the sensor's newest reading
 * @param lastArrival the processing time that reading arrived at
 * @param active the open silence alert; {@code null} when there is none
 */
public record SilentState(Metric metric, long lastMillis, long lastArrival, Alert active) {}
