package org.smartcity.jobs.alerts;

import java.io.Serializable;

/**
 * One rule of the alerts file: what it watches and when it raises and clears an alert. Each rule
 * names the source of its numbers ({@link #source}), which the README and the CAP documents repeat.
 */
public sealed interface AlertRule extends Serializable
        permits ThresholdRule, SilentSensorRule, SensorRule, CoverageRule {

    /**
     * Sensor rules watch the sensors heard from within this long (issue 11: "a sensor heard within
     * the last 24 h"): one not heard for longer is forgotten, by the silent-sensor rules (state
     * cleared, its alert cleared) and the coverage rules (no longer one of the district's).
     */
    long HEARD_WITHIN_MILLIS = 24 * 3_600_000L;

    /** The rule's id, part of every alert id it raises: {@code [A-Za-z0-9._-]{1,64}}. */
    String id();

    /** Where the rule's numbers come from (a standard, a table of REFERENCE.md, a choice). */
    String source();
}
