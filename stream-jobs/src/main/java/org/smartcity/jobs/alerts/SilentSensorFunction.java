package org.smartcity.jobs.alerts;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.smartcity.core.Reading;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.SubjectKind;

/**
 * Silent-sensor rules, keyed by sensor id: an alert opens when a sensor has sent nothing for longer
 * than the rule's limit, and clears with its next reading.
 *
 * <p>Two clocks decide when the limit has passed, and whichever is first raises the alert: event
 * time (the watermark passes the last reading's time plus the limit: exact and repeatable while
 * other sensors keep event time moving), and processing time (the limit has passed on the
 * TaskManager's clock since the reading arrived). The second is what makes a network outage, when
 * <em>every</em> sensor stops and event time stalls, an alert instead of silence. Either way the
 * alert opens at the last reading's time plus the limit, so its id is the same whichever clock saw
 * it first. After a start or a restart from a checkpoint, processing time only counts from the
 * start: the time the job was down is not the sensors' silence.
 *
 * <p>Each sensor has at most one timer per clock and rule, and a reading does not touch them
 * (moving timers on every reading was this stage's largest cost in the alert benchmark): a timer
 * that fires before the sensor's current deadline, because readings came after it was set, is set
 * again at that deadline. An event-time timer that fires because the input has ended (the watermark
 * jumps to the end of time) is not silence and raises nothing.
 *
 * <p>The rules watch sensors heard within the last 24 hours ({@link
 * AlertRule#HEARD_WITHIN_MILLIS}): a sensor not heard for that long, on either clock as above, is
 * forgotten. Its state and timers go, and an open silence alert is cleared as of the last reading
 * plus 24 h, saying so: an alert that can no longer clear by itself must not stay open for ever (a
 * sensor taken down, a mistyped id). Its next reading, if it ever comes, starts afresh.
 */
public final class SilentSensorFunction extends KeyedProcessFunction<String, Reading, Alert> {
    private static final long serialVersionUID = 1L;

    private static final double MINUTE = 60_000.0;

    private final List<SilentSensorRule> rules;
    private transient MapState<String, SilentState> states;

    /** The sensor's newest reading over all its metrics: when it was last heard. */
    private transient ValueState<Heard> heard;

    private transient long startedAt;
    private transient AlertMetrics metrics;

    public SilentSensorFunction(List<SilentSensorRule> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public void open(OpenContext context) {
        metrics = new AlertMetrics(getRuntimeContext().getMetricGroup());
        states =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "silent-sensor",
                                        Types.STRING,
                                        TypeInformation.of(SilentState.class)));
        heard =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "silent-sensor-heard", TypeInformation.of(Heard.class)));
        startedAt = Long.MIN_VALUE;
    }

    /**
     * When a sensor was last heard.
     *
     * @param lastMillis the event time of its newest reading
     * @param lastArrival the processing time that reading arrived at (or the task started, after a
     *     restart)
     */
    public record Heard(long lastMillis, long lastArrival) {
        long forgetAt() {
            return lastMillis + AlertRule.HEARD_WITHIN_MILLIS;
        }

        long forgetArrival() {
            return lastArrival + AlertRule.HEARD_WITHIN_MILLIS;
        }
    }

    @Override
    public void processElement(Reading r, Context ctx, Collector<Alert> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        started(now);
        Heard h = heard.value();
        if (h == null || r.timestampMillis() > h.lastMillis()) {
            Heard newest = new Heard(r.timestampMillis(), now);
            heard.update(newest);
            if (h == null) {
                // Later readings leave the forget timers where they are, like the rules' timers:
                // one that fires early is set again at the current deadline (forgetIfDue).
                ctx.timerService().registerEventTimeTimer(newest.forgetAt());
                ctx.timerService().registerProcessingTimeTimer(newest.forgetArrival());
            }
        }
        for (SilentSensorRule rule : rules) {
            if (!rule.watches(r)) {
                continue;
            }
            SilentState s = states.get(rule.id());
            if (s != null && r.timestampMillis() <= s.lastMillis()) {
                // A repeat or an older reading: it says nothing about the silence since the
                // newest one (and cannot clear an alert twice).
                continue;
            }
            if (s != null && s.active() != null) {
                Alert cleared = cleared(s, r, rule);
                metrics.published(cleared, now);
                out.collect(cleared);
            }
            states.put(rule.id(), new SilentState(r.metric(), r.timestampMillis(), now, null));
            if (s == null || s.active() != null) {
                // No timer is waiting for this sensor's silence (it is new, or its timer raised
                // the alert that just cleared): set one per clock. Otherwise the waiting ones
                // fire early and are set again at the new deadline (onTimer).
                ctx.timerService().registerEventTimeTimer(r.timestampMillis() + rule.limitMillis());
                ctx.timerService().registerProcessingTimeTimer(now + rule.limitMillis());
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        boolean eventTime = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        long now = ctx.timerService().currentProcessingTime();
        if (eventTime && ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            return; // the input has ended: that is not silence
        }
        started(now);
        // A forgotten sensor has no state left for the rules below to find.
        forgetIfDue(timestamp, eventTime, ctx, out);
        for (SilentSensorRule rule : rules) {
            SilentState s = states.get(rule.id());
            if (s == null || s.active() != null) {
                continue;
            }
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
                    states.put(
                            rule.id(),
                            new SilentState(s.metric(), s.lastMillis(), startedAt, null));
                    continue;
                }
            }
            if (due) {
                Alert raised = raised(ctx.getCurrentKey(), s, rule);
                states.put(
                        rule.id(),
                        new SilentState(s.metric(), s.lastMillis(), s.lastArrival(), raised));
                metrics.published(raised, now);
                out.collect(raised);
            }
        }
    }

    /**
     * Forgets the sensor if its forget deadline on {@code eventTime}'s clock has come: clears its
     * open alerts and all its state. After a restart, the processing clock counts from the start.
     */
    private void forgetIfDue(
            long timestamp, boolean eventTime, OnTimerContext ctx, Collector<Alert> out)
            throws Exception {
        Heard h = heard.value();
        if (h == null) {
            return;
        }
        long deadline = eventTime ? h.forgetAt() : h.forgetArrival();
        if (timestamp < deadline) {
            // An earlier forget timer (the sensor was heard since) or a rule's timer: keep the
            // forget timer at the current deadline. Setting a timer that is already set adds none.
            if (eventTime) {
                ctx.timerService().registerEventTimeTimer(deadline);
            } else {
                ctx.timerService().registerProcessingTimeTimer(deadline);
            }
            return;
        }
        if (!eventTime && h.lastArrival() < startedAt) {
            Heard restarted = new Heard(h.lastMillis(), startedAt);
            heard.update(restarted);
            ctx.timerService().registerProcessingTimeTimer(restarted.forgetArrival());
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        for (SilentSensorRule rule : rules) {
            SilentState s = states.get(rule.id());
            if (s != null && s.active() != null) {
                Alert cleared = forgotten(s, h.forgetAt());
                metrics.published(cleared, now);
                out.collect(cleared);
            }
        }
        // The other clock's forget timer finds no state and does nothing.
        states.clear();
        heard.clear();
    }

    /** Remembers when this task started working: the first time it is called after opening. */
    private void started(long now) {
        if (startedAt == Long.MIN_VALUE) {
            startedAt = now;
        }
    }

    private Alert raised(String sensorId, SilentState s, SilentSensorRule rule) {
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
                1);
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
                a.revision() + 1);
    }

    private static Alert cleared(SilentState s, Reading r, SilentSensorRule rule) {
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
                a.revision() + 1);
    }
}
