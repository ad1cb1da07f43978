package org.smartcity.jobs.alerts;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.smartcity.core.alert.Alert;

/**
 * The alert operators' Flink metrics, per subtask: {@code raised}, {@code changed} and {@code
 * cleared} counters per rule and severity (low cardinality: the rules file's ids and CAP's four
 * severities, never a subject), and {@code evaluationLagMillis}, how far the processing clock was
 * behind the event time of the newest change (the window end, or the reading) when it was
 * published.
 */
final class AlertMetrics {
    private final MetricGroup group;
    private final Map<String, Counter> counters = new HashMap<>();
    private volatile long lagMillis;

    AlertMetrics(MetricGroup group) {
        this.group = group.addGroup("alerts");
        this.group.gauge("evaluationLagMillis", () -> lagMillis);
    }

    /** Counts {@code a}, published at processing time {@code nowMillis}. */
    void published(Alert a, long nowMillis) {
        String what = a.isCleared() ? "cleared" : a.revision() == 1 ? "raised" : "changed";
        counters.computeIfAbsent(
                        a.rule() + "|" + a.severity().id() + "|" + what,
                        k ->
                                group.addGroup("rule", a.rule())
                                        .addGroup("severity", a.severity().id())
                                        .counter(what))
                .inc();
        lagMillis = nowMillis - a.updatedAtMillis();
    }
}
