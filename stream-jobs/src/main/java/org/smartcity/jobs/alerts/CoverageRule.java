package org.smartcity.jobs.alerts;

import org.smartcity.core.Metric;
import org.smartcity.core.alert.Severity;

/**
 * Coverage low ("leave no one behind"): a district where fewer than {@code minShare} of the sensors
 * heard from in the last 24 hours have reported within {@code afterMillis}. A blind district is an
 * alert, not silence on the map. Evaluated every minute ({@link #checkEveryMillis()}) on the
 * TaskManager's clock, so that it fires when readings stop arriving altogether.
 *
 * @param id the rule id
 * @param metric the sensors counted: those of this metric
 * @param minShare the share of sensors, 0 to 1, below which coverage is low
 * @param afterMillis how recently a sensor must have reported to count as reporting
 * @param severity the severity of its alerts
 * @param source where the numbers come from
 */
public record CoverageRule(
        String id,
        Metric metric,
        double minShare,
        long afterMillis,
        Severity severity,
        String source)
        implements AlertRule {

    /** How often the share is computed, unless the limit is shorter. */
    public static final long EVERY_MILLIS = 60_000L;

    /**
     * How often the share is computed: every minute, or every {@code afterMillis} when that is
     * shorter (a limit of seconds, in rehearsals and tests, is not checked a minute late).
     */
    public long checkEveryMillis() {
        return Math.min(EVERY_MILLIS, afterMillis);
    }
}
