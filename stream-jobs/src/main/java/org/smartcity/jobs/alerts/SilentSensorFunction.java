package org.smartcity.jobs.alerts;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
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
 */
public final class SilentSensorFunction extends KeyedProcessFunction<String, Reading, Alert> {
    private static final long serialVersionUID = 1L;

    private static final double MINUTE = 60_000.0;

    private final List<SilentSensorRule> rules;
    private transient MapState<String, SilentState> states;
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
        startedAt = Long.MIN_VALUE;
    }

    @Override
    public void processElement(Reading r, Context ctx, Collector<Alert> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        started(now);
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
