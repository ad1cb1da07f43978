package org.smartcity.jobs.alerts;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.jobs.alerts.ThresholdRule.Level;

/**
 * The state machine of a threshold rule on one zone, without Flink: one window in, the new state
 * and at most one alert revision out.
 *
 * <ul>
 *   <li>No alert active: a window whose statistic is above the lowest level extends the raise
 *       streak (a window that does not follow the previous one starts it again); after {@code
 *       raiseAfter} windows the alert is raised (revision 1), opened at the start of the streak's
 *       first window, with the severity of the level the current value is above.
 *   <li>Active: a value above the lowest level sets the severity (escalate or de-escalate; a new
 *       revision when it changes); a value between the clear level and the lowest level keeps it
 *       (hysteresis); {@code clearAfter} consecutive windows below the clear level clear the alert,
 *       as of the start of the first of them.
 *   <li>Flap guard ({@link ThresholdRule#flapLimit}): when an alert would clear while the zone has
 *       opened that many episodes within the last hour, it is held open instead, marked flapping (a
 *       new revision), and clears only after a whole hour below the clear level: one long alert
 *       instead of a storm of short ones.
 *   <li>Only windows newer than the newest evaluated one count: late corrections of a window
 *       already evaluated do not reopen or re-clear an episode (they are in the aggregates).
 * </ul>
 */
public final class ThresholdEpisodes {
    private ThresholdEpisodes() {}

    /**
     * The outcome of one window.
     *
     * @param state the new state
     * @param alert the revision to publish, if this window changed the alert
     */
    public record Step(ThresholdState state, Optional<Alert> alert) {}

    /** Evaluates window {@code a} of the zone {@code state} belongs to. */
    public static Step step(
            ThresholdRule rule, ThresholdState state, ZoneAggregate a, String subjectName) {
        long start = a.windowStartMillis();
        if (start <= state.lastWindowStart()) {
            return new Step(state, Optional.empty());
        }
        double v = rule.statistic().of(a);
        boolean follows = start == state.lastWindowStart() + rule.windowMillis();
        Alert active = state.active();
        long[] openings = state.openings();
        boolean flapping = state.flapping();
        if (active == null) {
            if (v <= rule.lowest().value()) {
                return new Step(
                        new ThresholdState(start, 0, 0, 0, 0, 0, null, openings, flapping),
                        Optional.empty());
            }
            boolean extends_ = follows && state.raiseStreak() > 0;
            int streak = extends_ ? state.raiseStreak() + 1 : 1;
            long raiseStart = extends_ ? state.raiseStart() : start;
            double peak = extends_ ? Math.max(state.raisePeak(), v) : v;
            if (streak < rule.raiseAfter()) {
                return new Step(
                        new ThresholdState(
                                start, streak, raiseStart, peak, 0, 0, null, openings, flapping),
                        Optional.empty());
            }
            Level level = rule.levelOf(v).orElseThrow();
            openings = append(recent(openings, a.windowEndMillis()), raiseStart);
            flapping = false;
            Alert raised =
                    new Alert(
                            Alert.idOf(
                                    rule.id(),
                                    SubjectKind.of(a.zoneKind()),
                                    a.zoneId(),
                                    raiseStart),
                            rule.id(),
                            AlertStatus.ACTIVE,
                            level.severity(),
                            rule.metric(),
                            SubjectKind.of(a.zoneKind()),
                            a.zoneId(),
                            subjectName,
                            raiseStart,
                            a.windowEndMillis(),
                            null,
                            v,
                            peak,
                            level.value(),
                            rule.metric().unit(),
                            aboveMessage(rule, v, subjectName, level.value()),
                            1,
                            List.of());
            return new Step(
                    new ThresholdState(start, 0, 0, 0, 0, 0, raised, openings, flapping),
                    Optional.of(raised));
        }

        double peak = Math.max(active.peak(), v);
        if (v < rule.clearBelow()) {
            boolean extends_ = follows && state.clearStreak() > 0;
            int streak = extends_ ? state.clearStreak() + 1 : 1;
            long clearStart = extends_ ? state.clearStart() : start;
            boolean hold = streak < rule.clearAfter();
            if (!hold && flapping) {
                // Held open as flapping: it clears after a whole hour below the clear level.
                hold = a.windowEndMillis() - clearStart < ThresholdRule.FLAP_HOLD_MILLIS;
            } else if (!hold
                    && rule.flapLimit() > 0
                    && recent(openings, a.windowEndMillis()).length >= rule.flapLimit()) {
                int episodes = recent(openings, a.windowEndMillis()).length;
                Alert held =
                        active.revised(
                                active.severity(),
                                a.windowEndMillis(),
                                v,
                                peak,
                                active.threshold(),
                                rule.title()
                                        + " in "
                                        + subjectName
                                        + " is flapping: "
                                        + episodes
                                        + " episodes within an hour; held open until below "
                                        + Numbers.format(rule.clearBelow())
                                        + " for an hour");
                return new Step(
                        new ThresholdState(
                                start, 0, 0, 0, streak, clearStart, held, openings, true),
                        Optional.of(held));
            }
            if (hold) {
                return new Step(
                        new ThresholdState(
                                start,
                                0,
                                0,
                                0,
                                streak,
                                clearStart,
                                active.withValueAndPeak(v, peak),
                                openings,
                                flapping),
                        Optional.empty());
            }
            Alert cleared =
                    active.cleared(
                            a.windowEndMillis(),
                            clearStart,
                            v,
                            peak,
                            rule.title()
                                    + " "
                                    + Numbers.format(v)
                                    + " "
                                    + active.unit()
                                    + " in "
                                    + subjectName
                                    + ", below "
                                    + Numbers.format(rule.clearBelow())
                                    + " again (peak "
                                    + Numbers.format(peak)
                                    + ")");
            return new Step(
                    new ThresholdState(start, 0, 0, 0, 0, 0, null, openings, false),
                    Optional.of(cleared));
        }

        Optional<Level> level = rule.levelOf(v);
        Severity severity = level.map(Level::severity).orElse(active.severity());
        if (severity == active.severity()) {
            return new Step(
                    new ThresholdState(
                            start,
                            0,
                            0,
                            0,
                            0,
                            0,
                            active.withValueAndPeak(v, peak),
                            openings,
                            flapping),
                    Optional.empty());
        }
        double threshold = level.orElseThrow().value();
        Alert changed =
                active.revised(
                        severity,
                        a.windowEndMillis(),
                        v,
                        peak,
                        threshold,
                        aboveMessage(rule, v, subjectName, threshold));
        return new Step(
                new ThresholdState(start, 0, 0, 0, 0, 0, changed, openings, flapping),
                Optional.of(changed));
    }

    /** The openings less than an hour before {@code t}. */
    private static long[] recent(long[] openings, long t) {
        return Arrays.stream(openings)
                .filter(o -> o > t - ThresholdRule.FLAP_HOLD_MILLIS)
                .toArray();
    }

    private static long[] append(long[] a, long v) {
        long[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    private static String aboveMessage(ThresholdRule rule, double v, String name, double level) {
        return rule.title()
                + " "
                + Numbers.format(v)
                + " "
                + rule.metric().unit()
                + " in "
                + name
                + ", above "
                + Numbers.format(level)
                + (rule.standard().isEmpty() ? "" : " (" + rule.standard() + ")");
    }
}
