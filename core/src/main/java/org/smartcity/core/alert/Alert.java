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
}
