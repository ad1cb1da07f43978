package org.smartcity.jobs.alerts;

import java.io.Serializable;

/**
 * One rule of the alerts file: what it watches and when it raises and clears an alert. Each rule
 * names the source of its numbers ({@link #source}), which the README and the CAP documents repeat.
 */
public sealed interface AlertRule extends Serializable
        permits ThresholdRule, SilentSensorRule, SensorRule, CoverageRule {
    /** The rule's id, part of every alert id it raises: {@code [A-Za-z0-9._-]{1,64}}. */
    String id();

    /** Where the rule's numbers come from (a standard, a table of REFERENCE.md, a choice). */
    String source();
}
