package org.smartcity.jobs.alerts;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimeDomain;
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
 * <p>Each sensor has at most one timer per clock and silent rule, and a reading does not touch them
 * (moving timers on every reading was once the alert stage's largest cost): a timer that fires
 * before the sensor's current deadline, because readings came after it was set, is set again at
 * that deadline. An event-time timer that fires because the input has ended (the watermark jumps to
 * the end of time) is not silence and raises nothing.
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

    private final List<SilentSensorRule> silentRules;
    private final List<SensorRule> sensorRules;

    /** The rules' ids, shared by every sensor's state ({@link SensorWatch#alignedTo}). */
    private final String[] silentIds;

    private final String[] sensorIds;

    private transient ValueState<SensorWatch> state;
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

    @Override
    public void open(OpenContext context) {
        metrics = new AlertMetrics(getRuntimeContext().getMetricGroup());
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "sensor-watch", TypeInformation.of(SensorWatch.class)));
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
                if (!heard) {
                    // Later readings leave the forget timers where they are, like the rules'
                    // timers: one that fires early is set again at the current deadline
                    // (forgetIfDue).
                    ctx.timerService().registerEventTimeTimer(SensorWatch.forgetAt(t));
                    ctx.timerService().registerProcessingTimeTimer(SensorWatch.forgetAt(now));
                }
                heard = true;
                lastMillis = t;
                lastArrival = now;
            }
            silent = silence(r, w.silent(), now, ctx, out);
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
    }

    /**
     * The silent rules' part of a reading: alerts cleared, timers for new sensors; returns the
     * rules' new states, or {@code null} when none changed.
     */
    private SilentState[] silence(
            SensorSample r, SilentState[] states, long now, Context ctx, Collector<Alert> out) {
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
            if (s == null || s.active() != null) {
                // No timer is waiting for this sensor's silence (it is new, or its timer raised
                // the alert that just cleared): set one per clock. Otherwise the waiting ones
                // fire early and are set again at the new deadline (onTimer).
                ctx.timerService().registerEventTimeTimer(t + rule.limitMillis());
                ctx.timerService().registerProcessingTimeTimer(now + rule.limitMillis());
            }
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
        SensorWatch before = watch();
        if (!before.heard()) {
            return; // forgotten (or never watched): no silence state left for a timer to find
        }
        SensorWatch w = forgetIfDue(before, timestamp, eventTime, ctx, out);
        if (w == null) {
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
            if (eventTime) {
                long deadline = s.lastMillis() + rule.limitMillis();
                due = timestamp == deadline;
                if (timestamp < deadline) {
                    // Set before the sensor's newer readings: wait for its current deadline.
                    ctx.timerService().registerEventTimeTimer(deadline);
                }
            } else {
                long deadline = s.lastArrival() + rule.limitMillis();
                due = timestamp == deadline;
                if (timestamp < deadline) {
                    ctx.timerService().registerProcessingTimeTimer(deadline);
                }
                if (due && s.lastArrival() < startedAt) {
                    // Restored from a checkpoint: wait the limit from the restart instead.
                    ctx.timerService().registerProcessingTimeTimer(startedAt + rule.limitMillis());
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
    }

    /**
     * Forgets the sensor if its forget deadline on {@code eventTime}'s clock has come: clears its
     * open silence alerts and its silence state, and returns {@code null}; otherwise the state to
     * go on with. After a restart, the processing clock counts from the start.
     */
    private SensorWatch forgetIfDue(
            SensorWatch w,
            long timestamp,
            boolean eventTime,
            OnTimerContext ctx,
            Collector<Alert> out)
            throws Exception {
        long deadline = eventTime ? w.forgetAt() : w.forgetArrival();
        if (timestamp < deadline) {
            // An earlier forget timer (the sensor was heard since) or a rule's timer: keep the
            // forget timer at the current deadline. Setting a timer that is already set adds none.
            if (eventTime) {
                ctx.timerService().registerEventTimeTimer(deadline);
            } else {
                ctx.timerService().registerProcessingTimeTimer(deadline);
            }
            return w;
        }
        if (!eventTime && w.lastArrival() < startedAt) {
            SensorWatch restarted = w.withHeard(w.lastMillis(), startedAt);
            ctx.timerService().registerProcessingTimeTimer(restarted.forgetArrival());
            return restarted;
        }
        long now = ctx.timerService().currentProcessingTime();
        for (SilentState s : w.silent()) {
            if (s != null && s.active() != null) {
                Alert cleared = forgotten(s, w.forgetAt());
                metrics.published(cleared, now);
                out.collect(cleared);
            }
        }
        // The other clock's forget timer and the rules' timers find no silence state.
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
        return new Alert(
                a.id(),
                a.rule(),
                AlertStatus.CLEARED,
                a.severity(),
                a.metric(),
                a.subjectKind(),
                a.subjectId(),
                a.subjectName(),
                a.openedAtMillis(),
                at,
                at,
                minutes,
                Math.max(a.peak(), minutes),
                a.threshold(),
                a.unit(),
                "Sensor "
                        + a.subjectId()
                        + " not heard for 24 h: no longer watched (removed or renamed?)",
                a.revision() + 1,
                List.of());
    }

    private static Alert cleared(SilentState s, SensorSample r) {
        Alert a = s.active();
        long clearedAt = Math.max(r.timestampMillis(), a.openedAtMillis());
        double minutes = (clearedAt - s.lastMillis()) / MINUTE;
        return new Alert(
                a.id(),
                a.rule(),
                AlertStatus.CLEARED,
                a.severity(),
                r.metric(),
                a.subjectKind(),
                a.subjectId(),
                a.subjectName(),
                a.openedAtMillis(),
                clearedAt,
                clearedAt,
                minutes,
                Math.max(a.peak(), minutes),
                a.threshold(),
                a.unit(),
                "Sensor "
                        + a.subjectId()
                        + " reports again after "
                        + Numbers.format(minutes)
                        + " min of silence",
                a.revision() + 1,
                List.of());
    }
}
