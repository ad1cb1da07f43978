package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.TestAlerts;

/** Raised, changed and cleared alerts counted per rule and severity, and the evaluation lag. */
class AlertMetricsTest {

    /** A metric group that remembers what is registered, by its path of groups. */
    static final class RecordingGroup extends UnregisteredMetricsGroup {
        final String path;
        final Map<String, Object> metrics;

        RecordingGroup(String path, Map<String, Object> metrics) {
            this.path = path;
            this.metrics = metrics;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(path + name + ".", metrics);
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(path + key + "=" + value + ".", metrics);
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            metrics.put(path + name, counter);
            return counter;
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new org.apache.flink.metrics.SimpleCounter());
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(path + name, gauge);
            return gauge;
        }
    }

    @Test
    void countsPerRuleAndSeverity() {
        Map<String, Object> registered = new TreeMap<>();
        AlertMetrics metrics = new AlertMetrics(new RecordingGroup("", registered));
        metrics.published(alert(1, AlertStatus.ACTIVE, Severity.MODERATE, 1_000), 1_250);
        metrics.published(alert(2, AlertStatus.ACTIVE, Severity.SEVERE, 2_000), 2_100);
        metrics.published(alert(1, AlertStatus.ACTIVE, Severity.MODERATE, 3_000), 3_400);
        metrics.published(alert(3, AlertStatus.CLEARED, Severity.SEVERE, 4_000), 4_900);

        assertThat(registered.keySet())
                .containsExactly(
                        "alerts.evaluationLagMillis",
                        "alerts.rule=pm25-high.severity=moderate.raised",
                        "alerts.rule=pm25-high.severity=severe.changed",
                        "alerts.rule=pm25-high.severity=severe.cleared");
        assertThat(
                        ((Counter) registered.get("alerts.rule=pm25-high.severity=moderate.raised"))
                                .getCount())
                .isEqualTo(2);
        assertThat(
                        ((Counter) registered.get("alerts.rule=pm25-high.severity=severe.cleared"))
                                .getCount())
                .isEqualTo(1);
        assertThat(((Gauge<?>) registered.get("alerts.evaluationLagMillis")).getValue())
                .isEqualTo(900L);
    }

    private static Alert alert(int revision, AlertStatus status, Severity severity, long updated) {
        return TestAlerts.pm25("530102")
                .subjectName("Wuhua")
                .opened(0)
                .updated(updated)
                .status(status)
                .cleared(status == AlertStatus.CLEARED ? updated : null)
                .severity(severity)
                .revision(revision)
                .build();
    }
}
