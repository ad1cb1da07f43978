package org.smartcity.jobs.alerts;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.SubjectKind;

/**
 * Every rule on a sensor's own readings, keyed by sensor id: silent-sensor rules ({@link
 * SilentSensorRule}) and sensor rules (levels, rises: {@link SensorRule}, state machine in {@link
 * SensorEpisodes}). One operator and one state value per sensor ({@link SensorWatch}) for all of
 * them: a reading crosses the network once and costs one state read and at most one write (one
 * operator per rule kind, each with a state entry per rule, cost the job 23% of its throughput in
 * the alert benchmark). It is the one writer of these rules' alerts for the sensor, so readings a
 * millisecond apart are evaluated one after the other and cannot open two episodes.
 *
 * <p><b>Silent sensors.</b> An alert opens when a sensor has sent nothing for longer than the
 * rule's limit, and clears with its next reading. Two clocks decide when the limit has passed, and
 * whichever is first raises the alert: event time (the watermark passes the last reading's time
 * plus the limit: exact and repeatable while other sensors keep event time moving), and processing
 * time (the limit has passed on the TaskManager's clock since the reading arrived). The second is
 * what makes a network outage, when <em>every</em> sensor stops and event time stalls, an alert
 * instead of silence. Either way the alert opens at the last reading's time plus the limit, so its
 * id is the same whichever clock saw it first. After a start or a restart from a checkpoint,
 * processing time only counts from the start: the time the job was down is not the sensors'
 * silence.
 *
 * <p>Each sensor has one timer per clock, at or before its earliest deadline on that clock (each
 * waiting silent rule's, and forgetting's), and remembers where it is ({@code sensor-timers}). A
 * reading that only moves deadlines later does not touch it (moving timers on every reading was
 * once the alert stage's largest cost); one that adds an earlier deadline (a new sensor, a rule's
 * first reading, the reading that clears an alert) moves it. A timer that fires before the sensor's
 * current deadlines, because readings came after it was set, is set again at the earliest of them.
 * Keeping one timer per clock matters: a timer per rule and one for forgetting, each set again when
 * another fired early, once added about six timers per sensor, clock and hour. An event-time timer
 * that fires because the input has ended (the watermark jumps to the end of time) is not silence
 * and raises nothing.
 *
 * <p>The silent rules watch sensors heard within the last 24 hours ({@link
 * AlertRule#HEARD_WITHIN_MILLIS}, over all the sensor's readings): a sensor not heard for that
 * long, on either clock as above, is forgotten. Its silence state and timers go, and an open
 * silence alert is cleared as of the last reading plus 24 h, saying so: an alert that can no longer
 * clear by itself must not stay open for ever (a sensor taken down, a mistyped id). Its next
 * reading, if it ever comes, starts afresh. The sensor rules' states are not forgotten.
 */
public final class SensorRulesFunction extends KeyedProcessFunction<String, SensorSample, Alert> {
    private static final long serialVersionUID = 1L;

    private static final double MINUTE = 60_000.0;

    /** No timer set on that clock ({@code sensor-timers}). */
    private static final long NONE = Long.MIN_VALUE;

    private static final int EVENT = 0;
    private static final int PROCESSING = 1;

    private final List<SilentSensorRule> silentRules;
    private final List<SensorRule> sensorRules;

    /** The rules' ids, shared by every sensor's state ({@link SensorWatch#alignedTo}). */
    private final String[] silentIds;

    private final String[] sensorIds;

    private transient ValueState<SensorWatch> state;

    /**
     * Where the sensor's one timer per clock is: {@code [event time, processing time]}, {@link
     * #NONE} where there is none. Read only when a timer fires or a deadline is added.
     */
    private transient ValueState<long[]> timers;

    private transient long startedAt;
    private transient AlertMetrics metrics;

    public SensorRulesFunction(List<SilentSensorRule> silentRules, List<SensorRule> sensorRules) {
        this.silentRules = List.copyOf(silentRules);
        this.sensorRules = List.copyOf(sensorRules);
        this.silentIds = this.silentRules.stream().map(AlertRule::id).toArray(String[]::new);
        this.sensorIds = this.sensorRules.stream().map(AlertRule::id).toArray(String[]::new);
    }

    /**
     * Whether a reading of {@code metric} can matter to these rules: every reading does when there
     * are silent-sensor rules (any reading means the sensor was heard), otherwise those some sensor
     * rule watches.
     */
    public boolean needs(Metric metric) {
        if (!silentRules.isEmpty()) {
            return true;
        }
        for (SensorRule rule : sensorRules) {
            if (rule.watches(metric)) {
                return true;
            }
        }
        return false;
    }

    /**
     * For readings of {@code metric}: the shortest limit of the silent-sensor rules watching it
     * when {@link HeardCombiner} may hold such readings back, else 0. It may when a silent rule
     * watches the metric and no rate-of-rise rule does (a rise needs every reading in its span; a
     * level rule only the newest reading, and a quiet one, {@link #quietLevels}, changes nothing
     * but the last-heard times while no alert of the rule is open).
     */
    long holdLimit(Metric metric) {
        for (SensorRule rule : sensorRules) {
            if (rule.watches(metric) && rule.mode() != SensorRule.Mode.LEVEL) {
                return 0;
            }
        }
        long shortest = 0;
        for (SilentSensorRule rule : silentRules) {
            if (rule.watches(metric)) {
                shortest =
                        shortest == 0 ? rule.limitMillis() : Math.min(shortest, rule.limitMillis());
            }
        }
        return shortest;
    }

    /**
     * What the level rules watching {@code metric} make of sensor {@code sensorId}'s readings: a
     * value at or below {@code raiseAbove} raises none of them, a value below {@code clearBelow}
     * leaves none open.
     *
     * @param raiseAbove the lowest level of any of those rules (for this sensor's gauge)
     * @param clearBelow the lowest clear level of any of them; with no level rule both are
     *     infinite: no value raises, and there is never anything open
     */
    record QuietLevels(double raiseAbove, double clearBelow) {}

    /** {@link QuietLevels} of sensor {@code sensorId} for readings of {@code metric}. */
    QuietLevels quietLevels(String sensorId, Metric metric) {
        double raiseAbove = Double.POSITIVE_INFINITY;
        double clearBelow = Double.POSITIVE_INFINITY;
        for (SensorRule rule : sensorRules) {
            if (rule.watches(metric)) {
                SensorRule.Gauge gauge = rule.gauge(sensorId);
                for (ThresholdRule.Level level : gauge.levels()) {
                    raiseAbove = Math.min(raiseAbove, level.value());
                }
                clearBelow = Math.min(clearBelow, gauge.clearBelow());
            }
        }
        return new QuietLevels(raiseAbove, clearBelow);
    }

    @Override
    public void open(OpenContext context) {
        metrics = new AlertMetrics(getRuntimeContext().getMetricGroup());
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "sensor-watch",
                                        SensorWatchSerializer.forRules(silentIds, sensorIds)));
        timers =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "sensor-timers",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        startedAt = Long.MIN_VALUE;
    }

    /** The sensor's state, for these rules; a new one when it has none. */
    private SensorWatch watch() throws Exception {
        SensorWatch w = state.value();
        return w == null
                ? SensorWatch.empty(silentIds, sensorIds)
                : w.alignedTo(silentIds, sensorIds);
    }

    @Override
    public void processElement(SensorSample r, Context ctx, Collector<Alert> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        started(now);
        SensorWatch w = watch();
        // The new state is made once, at the end, from what changed: most readings change only
        // the last-heard times and one silent rule's state.
        boolean heard = w.heard();
        long lastMillis = w.lastMillis();
        long lastArrival = w.lastArrival();
        SilentState[] silent = null;
        long t = r.timestampMillis();
        if (!silentRules.isEmpty()) {
            if (!heard || t > lastMillis) {
                heard = true;
                lastMillis = t;
                lastArrival = now;
            }
            silent = silence(r, w.silent(), now, out);
        }
        SensorAlertState[] sensor = null;
        for (int i = 0; i < sensorIds.length; i++) {
            SensorRule rule = sensorRules.get(i);
            if (!rule.watches(r.metric())) {
                continue;
            }
            SensorAlertState s = w.sensor()[i];
            SensorEpisodes.Step step =
                    SensorEpisodes.step(rule, s == null ? SensorEpisodes.INITIAL : s, r);
            if (step.state() != s) {
                sensor = SensorWatch.changed(sensor, w.sensor(), i, step.state());
            }
            if (step.alert().isPresent()) {
                Alert a = step.alert().get();
                metrics.published(a, now);
                out.collect(a);
            }
        }
        SensorWatch next = w.with(heard, lastMillis, lastArrival, silent, sensor);
        if (next != w) {
            state.update(next);
        }
        if (!w.heard() && next.heard() || waitsAnew(w.silent(), silent)) {
            // A deadline that may come before the timers: a new sensor, a rule's first reading,
            // or the reading that cleared an alert. Later readings only move deadlines later.
            schedule(next, ctx.timerService());
        }
    }

    /**
     * Whether a rule that was not waiting for silence ({@code before}) waits now ({@code after}).
     */
    private static boolean waitsAnew(SilentState[] before, SilentState[] after) {
        if (after == null) {
            return false;
        }
        for (int i = 0; i < after.length; i++) {
            if (after[i] != before[i]
                    && after[i] != null
                    && after[i].active() == null
                    && (before[i] == null || before[i].active() != null)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The sensor's earliest deadline on one clock: a waiting silent rule's limit, or forgetting;
     * {@link #NONE} when it is not watched.
     */
    private long nextDeadline(SensorWatch w, int clock) {
        if (!w.heard()) {
            return NONE;
        }
        long next = clock == EVENT ? w.forgetAt() : w.forgetArrival();
        for (int i = 0; i < silentIds.length; i++) {
            SilentState s = w.silent()[i];
            if (s != null && s.active() == null) {
                long since = clock == EVENT ? s.lastMillis() : s.lastArrival();
                next = Math.min(next, since + silentRules.get(i).limitMillis());
            }
        }
        return next;
    }

    /** The timers as stored, in a copy that may be changed; {@link #NONE} on both if none. */
    private long[] pendingTimers() throws Exception {
        long[] stored = timers.value();
        return stored == null ? new long[] {NONE, NONE} : stored.clone();
    }

    /** Moves each clock's timer to the sensor's earliest deadline if that comes before it. */
    private void schedule(SensorWatch w, TimerService timerService) throws Exception {
        long[] pending = pendingTimers();
        boolean moved = false;
        for (int clock = EVENT; clock <= PROCESSING; clock++) {
            long next = nextDeadline(w, clock);
            if (next != NONE && (pending[clock] == NONE || next < pending[clock])) {
                if (pending[clock] != NONE) {
                    delete(timerService, clock, pending[clock]);
                }
                register(timerService, clock, next);
                pending[clock] = next;
                moved = true;
            }
        }
        if (moved) {
            timers.update(pending);
        }
    }

    private static void register(TimerService timerService, int clock, long at) {
        if (clock == EVENT) {
            timerService.registerEventTimeTimer(at);
        } else {
            timerService.registerProcessingTimeTimer(at);
        }
    }

    private static void delete(TimerService timerService, int clock, long at) {
        if (clock == EVENT) {
            timerService.deleteEventTimeTimer(at);
        } else {
            timerService.deleteProcessingTimeTimer(at);
        }
    }

    /**
     * The silent rules' part of a reading: alerts cleared; returns the rules' new states, or {@code
     * null} when none changed.
     */
    private SilentState[] silence(
            SensorSample r, SilentState[] states, long now, Collector<Alert> out) {
        long t = r.timestampMillis();
        SilentState[] silent = null;
        for (int i = 0; i < silentIds.length; i++) {
            SilentSensorRule rule = silentRules.get(i);
            if (!rule.watches(r.metric())) {
                continue;
            }
            SilentState s = states[i];
            if (s != null && t <= s.lastMillis()) {
                // A repeat or an older reading: it says nothing about the silence since the
                // newest one (and cannot clear an alert twice).
                continue;
            }
            if (s != null && s.active() != null) {
                Alert cleared = cleared(s, r);
                metrics.published(cleared, now);
                out.collect(cleared);
            }
            silent =
                    SensorWatch.changed(
                            silent, states, i, new SilentState(r.metric(), t, now, null));
        }
        return silent;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        boolean eventTime = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        long now = ctx.timerService().currentProcessingTime();
        if (eventTime && ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            return; // the input has ended: that is not silence
        }
        started(now);
        int clock = eventTime ? EVENT : PROCESSING;
        long[] pending = pendingTimers();
        if (pending[clock] != NONE && pending[clock] != timestamp) {
            return; // one set before the sensor's timers were kept in one per clock
        }
        pending[clock] = NONE;
        SensorWatch before = watch();
        SensorWatch w = before.heard() ? forgetIfDue(before, timestamp, eventTime, now, out) : null;
        if (w == null) {
            // Forgotten (or never watched): nothing left for the other clock's timer either.
            int other = 1 - clock;
            if (pending[other] != NONE) {
                delete(ctx.timerService(), other, pending[other]);
            }
            timers.clear();
            return;
        }
        SilentState[] silent = null;
        for (int i = 0; i < silentIds.length; i++) {
            SilentSensorRule rule = silentRules.get(i);
            SilentState s = w.silent()[i];
            if (s == null || s.active() != null) {
                continue;
            }
            SilentState next = null;
            boolean due;
            // The timer is at or before every deadline; a rule whose deadline is later waits
            // for the timer set below.
            if (eventTime) {
                due = timestamp == s.lastMillis() + rule.limitMillis();
            } else {
                due = timestamp == s.lastArrival() + rule.limitMillis();
                if (due && s.lastArrival() < startedAt) {
                    // Restored from a checkpoint: wait the limit from the restart instead.
                    next = new SilentState(s.metric(), s.lastMillis(), startedAt, null);
                    due = false;
                }
            }
            if (due) {
                Alert raised = raised(ctx.getCurrentKey(), s, rule);
                next = new SilentState(s.metric(), s.lastMillis(), s.lastArrival(), raised);
                metrics.published(raised, now);
                out.collect(raised);
            }
            if (next != null) {
                silent = SensorWatch.changed(silent, w.silent(), i, next);
            }
        }
        if (silent != null) {
            w = w.withSilent(silent);
        }
        if (w != before) {
            state.update(w);
        }
        long next = nextDeadline(w, clock);
        if (next != NONE) {
            register(ctx.timerService(), clock, next);
            pending[clock] = next;
        }
        timers.update(pending);
    }

    /**
     * Forgets the sensor if its forget deadline on {@code eventTime}'s clock has come: clears its
     * open silence alerts and its silence state, and returns {@code null}; otherwise the state to
     * go on with. After a restart, the processing clock counts from the start.
     */
    private SensorWatch forgetIfDue(
            SensorWatch w, long timestamp, boolean eventTime, long now, Collector<Alert> out)
            throws Exception {
        long deadline = eventTime ? w.forgetAt() : w.forgetArrival();
        if (timestamp < deadline) {
            return w;
        }
        if (!eventTime && w.lastArrival() < startedAt) {
            return w.withHeard(w.lastMillis(), startedAt);
        }
        for (SilentState s : w.silent()) {
            if (s != null && s.active() != null) {
                Alert cleared = forgotten(s, w.forgetAt());
                metrics.published(cleared, now);
                out.collect(cleared);
            }
        }
        SensorWatch rest = w.forgotten();
        if (rest.isEmpty()) {
            state.clear();
        } else {
            state.update(rest);
        }
        return null;
    }

    /** Remembers when this task started working: the first time it is called after opening. */
    private void started(long now) {
        if (startedAt == Long.MIN_VALUE) {
            startedAt = now;
        }
    }

    private static Alert raised(String sensorId, SilentState s, SilentSensorRule rule) {
        long openedAt = s.lastMillis() + rule.limitMillis();
        double minutes = rule.limitMillis() / MINUTE;
        return new Alert(
                Alert.idOf(rule.id(), SubjectKind.SENSOR, sensorId, openedAt),
                rule.id(),
                AlertStatus.ACTIVE,
                rule.severity(),
                s.metric(),
                SubjectKind.SENSOR,
                sensorId,
                sensorId,
                openedAt,
                openedAt,
                null,
                minutes,
                minutes,
                minutes,
                "min",
                "No reading from sensor "
                        + sensorId
                        + " for more than "
                        + Numbers.format(minutes)
                        + " min (last at "
                        + AlertJson.time(s.lastMillis())
                        + ")",
                1,
                List.of());
    }

    /** The last revision of a silence alert whose sensor is forgotten, cleared {@code at}. */
    private static Alert forgotten(SilentState s, long at) {
        Alert a = s.active();
        double minutes = (at - s.lastMillis()) / MINUTE;
        return a.cleared(
                at,
                at,
                minutes,
                Math.max(a.peak(), minutes),
                "Sensor "
                        + a.subjectId()
                        + " not heard for 24 h: no longer watched (removed or renamed?)");
    }

    /**
     * The revision that clears silence alert {@code s} on reading {@code r}. It keeps the metric
     * the alert was raised on, even when a rule on every metric hears the sensor again on another.
     */
    private static Alert cleared(SilentState s, SensorSample r) {
        Alert a = s.active();
        long clearedAt = Math.max(r.timestampMillis(), a.openedAtMillis());
        double minutes = (clearedAt - s.lastMillis()) / MINUTE;
        return a.cleared(
                clearedAt,
                clearedAt,
                minutes,
                Math.max(a.peak(), minutes),
                "Sensor "
                        + a.subjectId()
                        + " reports again after "
                        + Numbers.format(minutes)
                        + " min of silence");
    }
}
