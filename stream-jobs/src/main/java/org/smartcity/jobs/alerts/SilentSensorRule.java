package org.smartcity.jobs.alerts;

import org.smartcity.core.Metric;
import org.smartcity.core.alert.Severity;

/**
 * A sensor that has sent nothing for longer than {@code limitMillis} after its last reading. The
 * alert opens at the last reading's time plus the limit and clears with the sensor's next reading.
 *
 * @param id the rule id
 * @param metric the sensors watched: those of one metric, or of every metric when {@code null}
 * @param limitMillis how long a sensor may stay silent
 * @param severity the severity of its alerts
 * @param source where the limit comes from
 */
public record SilentSensorRule(
        String id, Metric metric, long limitMillis, Severity severity, String source)
        implements AlertRule {

    /** Whether this rule watches the sensors of {@code m}. */
    public boolean watches(Metric m) {
        return metric == null || metric == m;
    }
}
