package org.smartcity.core.alert;

import static java.util.Objects.requireNonNullElse;

import java.time.Instant;
import java.util.List;
import org.smartcity.core.Metric;

/**
 * Alerts for tests, so that a test names only the fields it is about. Each factory starts a {@link
 * Builder} for one kind of alert, with the rule, metric, subject, unit, severity and levels that
 * kind has; everything else has a default: revision 1, raised at {@link #OPENED}, active, not
 * updated since, its peak its value, the subject's name its id, no cells, and the id {@link
 * Alert#idOf} gives. A cleared time makes the alert cleared and, unless set, its update time.
 *
 * <pre>{@code
 * Alert raised = TestAlerts.pm25("530102").value(96.4).build();
 * Alert cleared = TestAlerts.pm25("530102").value(60).peak(96.4).cleared(at).revision(2).build();
 * }</pre>
 */
public final class TestAlerts {
    /** 2026-12-04T07:00:00Z: when an alert opens unless a test says otherwise. */
    public static final long OPENED = Instant.parse("2026-12-04T07:00:00Z").toEpochMilli();

    private TestAlerts() {}

    /**
     * An alert of any rule on one subject, in the metric's unit: minor, value and threshold 0, the
     * message naming the rule and the subject.
     */
    public static Builder alert(
            String rule, Metric metric, SubjectKind subjectKind, String subjectId) {
        return new Builder(rule, metric, subjectKind, subjectId, metric.unit());
    }

    /** PM2.5 above GB 3095-2012's Grade II in a district: pm25-high, moderate, 80 against 75. */
    public static Builder pm25(String district) {
        return new Builder("pm25-high", Metric.PM25, SubjectKind.DISTRICT, district, "ug/m3")
                .severity(Severity.MODERATE)
                .value(80)
                .threshold(75);
    }

    /**
     * Noise above 70 dB(A) in an H3 cell or, rolled up, a district: noise-high, minor, 71 against
     * 70.
     */
    public static Builder noise(SubjectKind subjectKind, String subjectId) {
        return new Builder("noise-high", Metric.NOISE, subjectKind, subjectId, "dB(A)")
                .value(71)
                .threshold(70);
    }

    /**
     * A PM2.5 sensor that has sent nothing for longer than its limit: sensor-silent, minor, 10
     * against 10 min.
     */
    public static Builder silentSensor(String sensor) {
        return new Builder("sensor-silent", Metric.PM25, SubjectKind.SENSOR, sensor, "min")
                .value(10)
                .threshold(10)
                .message("No reading from sensor " + sensor + " for more than 10 min");
    }

    /** One alert's fields, each set at most once and the rest defaulted by {@link #build}. */
    public static final class Builder {
        private final Metric metric;
        private final SubjectKind subjectKind;
        private final String subjectId;
        private String id;
        private String rule;
        private AlertStatus status;
        private Severity severity = Severity.MINOR;
        private String subjectName;
        private long opened = OPENED;
        private Long updated;
        private Long cleared;
        private double value;
        private Double peak;
        private double threshold;
        private String unit;
        private String message;
        private int revision = 1;
        private List<String> cells = List.of();

        private Builder(
                String rule,
                Metric metric,
                SubjectKind subjectKind,
                String subjectId,
                String unit) {
            this.rule = rule;
            this.metric = metric;
            this.subjectKind = subjectKind;
            this.subjectId = subjectId;
            this.unit = unit;
        }

        /** An id of the test's own instead of {@link Alert#idOf}'s. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder rule(String rule) {
            this.rule = rule;
            return this;
        }

        /** A status other than the cleared time implies (the constructor rejects a mismatch). */
        public Builder status(AlertStatus status) {
            this.status = status;
            return this;
        }

        public Builder severity(Severity severity) {
            this.severity = severity;
            return this;
        }

        public Builder subjectName(String subjectName) {
            this.subjectName = subjectName;
            return this;
        }

        public Builder opened(long openedAtMillis) {
            this.opened = openedAtMillis;
            return this;
        }

        public Builder updated(long updatedAtMillis) {
            this.updated = updatedAtMillis;
            return this;
        }

        /** When the episode ended; {@code null} keeps it active. */
        public Builder cleared(Long clearedAtMillis) {
            this.cleared = clearedAtMillis;
            return this;
        }

        public Builder value(double value) {
            this.value = value;
            return this;
        }

        public Builder peak(double peak) {
            this.peak = peak;
            return this;
        }

        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        public Builder unit(String unit) {
            this.unit = unit;
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        public Builder revision(int revision) {
            this.revision = revision;
            return this;
        }

        public Builder cells(List<String> cells) {
            this.cells = cells;
            return this;
        }

        public Alert build() {
            AlertStatus derived = cleared == null ? AlertStatus.ACTIVE : AlertStatus.CLEARED;
            return new Alert(
                    requireNonNullElse(id, Alert.idOf(rule, subjectKind, subjectId, opened)),
                    rule,
                    requireNonNullElse(status, derived),
                    severity,
                    metric,
                    subjectKind,
                    subjectId,
                    requireNonNullElse(subjectName, subjectId),
                    opened,
                    requireNonNullElse(updated, requireNonNullElse(cleared, opened)),
                    cleared,
                    value,
                    requireNonNullElse(peak, value),
                    threshold,
                    unit,
                    requireNonNullElse(message, rule + " on " + subjectId),
                    revision,
                    cells);
        }
    }
}
