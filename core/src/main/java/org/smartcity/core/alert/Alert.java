package org.smartcity.core.alert;

import java.util.List;
import java.util.Objects;
import org.smartcity.core.Metric;

/**
 * One revision of one alert: an <em>episode</em> of one rule on one subject, from the moment it is
 * raised until it clears (DESIGN.md, Alerts). Every change is published again, whole, with {@code
 * revision + 1}; readers keep, per {@link #id}, the highest revision (upsert, like aggregates).
 * Times are event time, epoch milliseconds.
 *
 * @param id {@code {rule}|{subjectKind}|{subjectId}|{openedAtMillis}} (see {@link #idOf})
 * @param rule the id of the rule that raised it
 * @param status active, or cleared (the last revision of an episode)
 * @param severity the current severity (CAP's)
 * @param metric the metric the rule watches
 * @param subjectKind what the alert is about: a zone kind or a sensor
 * @param subjectId the cell address, district code, city id or sensor id
 * @param subjectName a name people recognise (a district's name; the id where there is none)
 * @param openedAtMillis when the episode began
 * @param updatedAtMillis when this revision's change happened
 * @param clearedAtMillis when the episode ended; {@code null} while active
 * @param value the value that caused this revision, in {@code unit}
 * @param peak the worst value of the episode so far, in {@code unit}
 * @param threshold the level that {@code severity} stands for, in {@code unit}
 * @param unit the unit of value, peak and threshold
 * @param message one human-readable sentence for people and CAP's {@code description}
 * @param revision 1 when raised, +1 for each change
 * @param cells for a district roll-up of a rule on H3 cells, the district's cells alerting on it
 *     (sorted); empty for every other alert
 */
public record Alert(
        String id,
        String rule,
        AlertStatus status,
        Severity severity,
        Metric metric,
        SubjectKind subjectKind,
        String subjectId,
        String subjectName,
        long openedAtMillis,
        long updatedAtMillis,
        Long clearedAtMillis,
        double value,
        double peak,
        double threshold,
        String unit,
        String message,
        int revision,
        List<String> cells) {

    public Alert {
        cells = cells == null ? List.of() : List.copyOf(cells);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(subjectKind, "subjectKind");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(subjectName, "subjectName");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(message, "message");
        if ((status == AlertStatus.CLEARED) != (clearedAtMillis != null)) {
            throw new IllegalArgumentException(
                    "clearedAt is set exactly when the alert is cleared");
        }
    }

    /**
     * The alert id of DESIGN.md: {@code {rule}|{subjectKind}|{subjectId}|{openedAtMillis}}, e.g.
     * {@code pm25-high|district|530102|1796342400000}. One id per episode: a replay after a failure
     * computes the same id again, and a new episode of the same rule and subject has a later
     * opening time.
     */
    public static String idOf(
            String rule, SubjectKind subjectKind, String subjectId, long openedAtMillis) {
        return rule + "|" + subjectKind.id() + "|" + subjectId + "|" + openedAtMillis;
    }

    /** Whether this is a district roll-up of cell alerts. */
    public boolean isRollup() {
        return !cells.isEmpty();
    }

    /** Whether the episode is over. */
    public boolean isCleared() {
        return status == AlertStatus.CLEARED;
    }

    /** Whether this revision supersedes {@code other} of the same alert. */
    public boolean isNewerThan(Alert other) {
        return revision > other.revision;
    }

    /**
     * The next revision of this alert, still active: {@code revision + 1} with the given severity,
     * time, values and message. The episode's identity stays as it is: {@link #id}, rule, metric,
     * subject (kind, id and name), opening time, unit and {@link #cells}.
     *
     * @param severity the severity from now on (the same one, e.g. when an alert is held open)
     * @param updatedAtMillis when this revision's change happened
     * @param value the value that caused it
     * @param peak the worst value of the episode so far
     * @param threshold the level {@code severity} stands for
     * @param message the sentence for people, as of this revision
     * @throws IllegalStateException if this alert is cleared: a cleared revision is an episode's
     *     last
     */
    public Alert revised(
            Severity severity,
            long updatedAtMillis,
            double value,
            double peak,
            double threshold,
            String message) {
        return next(
                AlertStatus.ACTIVE,
                severity,
                updatedAtMillis,
                null,
                value,
                peak,
                threshold,
                message);
    }

    /**
     * The last revision of this alert's episode: {@code revision + 1}, cleared, at the severity and
     * threshold it had; its identity stays as it is (see {@link #revised}).
     *
     * @param updatedAtMillis when this revision's change happened
     * @param clearedAtMillis when the episode ended (a rule may date it before {@code
     *     updatedAtMillis}, e.g. to the first of the windows that cleared it)
     * @param value the value that cleared it
     * @param peak the worst value of the episode
     * @param message the sentence for people
     * @throws IllegalStateException if this alert is already cleared
     */
    public Alert cleared(
            long updatedAtMillis, long clearedAtMillis, double value, double peak, String message) {
        return next(
                AlertStatus.CLEARED,
                severity,
                updatedAtMillis,
                clearedAtMillis,
                value,
                peak,
                threshold,
                message);
    }

    /**
     * This same revision with a newer value and peak: what a rule keeps in its state between
     * published revisions, so that the next one it publishes carries them. Not a change to publish
     * (the revision stays as it is).
     */
    public Alert withValueAndPeak(double value, double peak) {
        return new Alert(
                id,
                rule,
                status,
                severity,
                metric,
                subjectKind,
                subjectId,
                subjectName,
                openedAtMillis,
                updatedAtMillis,
                clearedAtMillis,
                value,
                peak,
                threshold,
                unit,
                message,
                revision,
                cells);
    }

    private Alert next(
            AlertStatus nextStatus,
            Severity nextSeverity,
            long nextUpdatedAt,
            Long nextClearedAt,
            double nextValue,
            double nextPeak,
            double nextThreshold,
            String nextMessage) {
        if (isCleared()) {
            throw new IllegalStateException("alert " + id + " is cleared: it has no next revision");
        }
        return new Alert(
                id,
                rule,
                nextStatus,
                nextSeverity,
                metric,
                subjectKind,
                subjectId,
                subjectName,
                openedAtMillis,
                nextUpdatedAt,
                nextClearedAt,
                nextValue,
                nextPeak,
                nextThreshold,
                unit,
                nextMessage,
                revision + 1,
                cells);
    }
}
