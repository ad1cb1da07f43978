package org.smartcity.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.geotools.api.filter.Filter;
import org.geotools.api.filter.FilterFactory;
import org.geotools.factory.CommonFactoryFinder;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;

/**
 * What a reader asks of the stored alerts: the filters of the {@code alerts} collection
 * (DESIGN.md), each optional (null). {@code from}/{@code to} select the alerts whose episode
 * ({@code opened_at} to {@code cleared_at}, still open while active) overlaps {@code [from, to)}.
 *
 * <p>Only the criteria that every revision of an alert shares (rule, subject, opening time) go to
 * the store ({@link #storeFilter()}); status, severity and the end of the episode change from one
 * revision to the next, so they are checked after the newest revision is chosen ({@link #matches}):
 * filtering them in the store could show an older revision of an alert whose newest one does not
 * match.
 *
 * @param rule the rule id
 * @param subjectKind the subject kind
 * @param subjectId the subject id
 * @param status active or cleared
 * @param severity the current severity
 * @param from the episode ends at or after this, or is active
 * @param to the episode opened before this
 */
public record AlertQuery(
        String rule,
        SubjectKind subjectKind,
        String subjectId,
        AlertStatus status,
        Severity severity,
        Instant from,
        Instant to) {

    private static final FilterFactory FF = CommonFactoryFinder.getFilterFactory();

    /** Every alert. */
    public static AlertQuery all() {
        return new AlertQuery(null, null, null, null, null, null, null);
    }

    /** Only alerts of this rule. */
    public AlertQuery rule(String value) {
        return new AlertQuery(value, subjectKind, subjectId, status, severity, from, to);
    }

    /** Only alerts about this kind of subject. */
    public AlertQuery subjectKind(SubjectKind value) {
        return new AlertQuery(rule, value, subjectId, status, severity, from, to);
    }

    /** Only alerts about this subject. */
    public AlertQuery subjectId(String value) {
        return new AlertQuery(rule, subjectKind, value, status, severity, from, to);
    }

    /** Only active, or only cleared alerts. */
    public AlertQuery status(AlertStatus value) {
        return new AlertQuery(rule, subjectKind, subjectId, value, severity, from, to);
    }

    /** Only alerts whose current severity is this. */
    public AlertQuery severity(Severity value) {
        return new AlertQuery(rule, subjectKind, subjectId, status, value, from, to);
    }

    /** Only episodes still open at or after this. */
    public AlertQuery from(Instant value) {
        return new AlertQuery(rule, subjectKind, subjectId, status, severity, value, to);
    }

    /** Only episodes opened before this. */
    public AlertQuery to(Instant value) {
        return new AlertQuery(rule, subjectKind, subjectId, status, severity, from, value);
    }

    /** The criteria that all revisions of one alert share, for the store. */
    public Filter storeFilter() {
        List<Filter> parts = new ArrayList<>();
        if (rule != null) {
            parts.add(FF.equals(FF.property(AlertSchema.RULE), FF.literal(rule)));
        }
        if (subjectKind != null) {
            parts.add(
                    FF.equals(FF.property(AlertSchema.SUBJECT_KIND), FF.literal(subjectKind.id())));
        }
        if (subjectId != null) {
            parts.add(FF.equals(FF.property(AlertSchema.SUBJECT_ID), FF.literal(subjectId)));
        }
        if (to != null) {
            parts.add(FF.before(FF.property(AlertSchema.OPENED_AT), FF.literal(Date.from(to))));
        }
        return parts.isEmpty() ? Filter.INCLUDE : parts.size() == 1 ? parts.get(0) : FF.and(parts);
    }

    /** Whether the newest revision of an alert matches every criterion. */
    public boolean matches(Alert a) {
        return (rule == null || rule.equals(a.rule()))
                && (subjectKind == null || subjectKind == a.subjectKind())
                && (subjectId == null || subjectId.equals(a.subjectId()))
                && (status == null || status == a.status())
                && (severity == null || severity == a.severity())
                && (to == null || a.openedAtMillis() < to.toEpochMilli())
                && (from == null
                        || a.clearedAtMillis() == null
                        || a.clearedAtMillis() >= from.toEpochMilli());
    }
}
