package org.smartcity.jobs.alerts;

import org.smartcity.core.ZoneAggregate;

/**
 * A zone aggregate on its way to the state of one threshold rule that watches it.
 *
 * @param ruleId the rule
 * @param aggregate the aggregate
 */
public record RuleAggregate(String ruleId, ZoneAggregate aggregate) {

    /** The key of the rule's state for this aggregate's zone: one writer per rule and zone. */
    public String key() {
        return ruleId + "|" + aggregate.zoneKind().id() + "|" + aggregate.zoneId();
    }
}
