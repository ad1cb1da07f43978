package org.smartcity.jobs.alerts;

import org.smartcity.core.alert.Alert;

/**
 * What a sensor rule remembers about one sensor.
 *
 * @param times event times of the readings still inside a rise rule's span, oldest first (empty for
 *     a level rule but for the newest)
 * @param values their values
 * @param active the active alert, as last published but with value and peak kept up to date; null
 *     when there is none
 */
public record SensorAlertState(long[] times, double[] values, Alert active) {}
