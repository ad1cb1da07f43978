package org.smartcity.jobs.alerts;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.zoning.ZoneKind;

/**
 * A threshold on the zone aggregates of one metric, zone kind and window length: a window whose
 * statistic is above a level raises (or escalates to) that level's severity. Hysteresis: an alert
 * clears only when the statistic is below a separate, lower clear level, so values wandering around
 * a level do not open and close alerts. Both need a number of consecutive windows.
 *
 * @param id the rule id
 * @param title what the statistic is called in messages, e.g. {@code PM2.5 hourly mean}
 * @param metric the metric watched
 * @param zoneKind the zones watched
 * @param windowMillis the window length watched (one of the job's)
 * @param statistic the statistic compared
 * @param levels raise levels, lowest first, with strictly increasing values and severities
 * @param clearBelow an alert clears when the statistic is below this (at most the lowest level)
 * @param raiseAfter consecutive windows above the lowest level before an alert is raised
 * @param clearAfter consecutive windows below {@code clearBelow} before it clears
 * @param standard the short name of the standard, for messages (may be empty)
 * @param source where the numbers come from
 * @param flapLimit episodes per hour of one zone beyond which it counts as flapping (0: no guard):
 *     the episode that would clear after that many openings within an hour is held open instead,
 *     marked flapping, until its statistic has stayed below the clear level for an hour
 * @param rollupCells for a rule on H3 cells, how many of one district's cells alerting at once make
 *     a district roll-up alert listing them ({@link CellRollupFunction}); 0 for none
 */
public record ThresholdRule(
        String id,
        String title,
        Metric metric,
        ZoneKind zoneKind,
        long windowMillis,
        Statistic statistic,
        List<Level> levels,
        double clearBelow,
        int raiseAfter,
        int clearAfter,
        String standard,
        String source,
        int flapLimit,
        int rollupCells)
        implements AlertRule {

    /** How long a flapping zone must stay below the clear level before its alert clears. */
    public static final long FLAP_HOLD_MILLIS = 3_600_000L;

    /**
     * One raise level: a statistic strictly above {@code value} is at least this severe.
     *
     * @param severity the severity of the level
     * @param value the level, in the metric's unit
     */
    public record Level(Severity severity, double value) implements Serializable {}

    public ThresholdRule {
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a threshold rule needs a level");
        }
    }

    /** Whether this rule watches {@code a}'s metric, zone kind and window length. */
    public boolean watches(ZoneAggregate a) {
        return a.metric() == metric
                && a.zoneKind() == zoneKind
                && a.windowLengthMillis() == windowMillis;
    }

    /** The lowest level: above it a window counts towards raising. */
    public Level lowest() {
        return levels.get(0);
    }

    /** The highest level that {@code value} is above, if any. */
    public Optional<Level> levelOf(double value) {
        Level found = null;
        for (Level level : levels) {
            if (value > level.value()) {
                found = level;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The level of a severity this rule has. */
    public Level level(Severity severity) {
        return levels.stream()
                .filter(l -> l.severity() == severity)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(id + " has no level " + severity));
    }
}
