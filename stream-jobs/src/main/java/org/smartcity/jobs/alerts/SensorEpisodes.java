package org.smartcity.jobs.alerts;

import java.util.List;
import java.util.Optional;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.jobs.alerts.SensorRule.Gauge;
import org.smartcity.jobs.alerts.ThresholdRule.Level;

/**
 * The state machine of a sensor rule on one sensor, without Flink: one reading in, the new state
 * and at most one alert revision out. The signal is the reading's value ({@link
 * SensorRule.Mode#LEVEL}) or its value minus the lowest value of the readings within the rule's
 * span before it, once the span holds {@code minReadings} readings ({@link SensorRule.Mode#RISE}).
 * Above the lowest level: raised at the reading's time, or escalated/de-escalated to the level the
 * signal is above; between the clear level and the lowest level: unchanged (hysteresis); below the
 * clear level: cleared at the reading's time. A reading not newer than the newest one seen (a
 * repeat, an old one) changes nothing.
 */
public final class SensorEpisodes {
    private SensorEpisodes() {}

    /**
     * The outcome of one reading.
     *
     * @param state the new state
     * @param alert the revision to publish, if this reading changed the alert
     */
    public record Step(SensorAlertState state, Optional<Alert> alert) {}

    static final SensorAlertState INITIAL = new SensorAlertState(new long[0], new double[0], null);

    /**
     * Evaluates reading {@code r} of the sensor {@code state} belongs to; a repeat or an old one
     * returns {@code state} itself.
     */
    public static Step step(SensorRule rule, SensorAlertState state, SensorSample r) {
        long t = r.timestampMillis();
        int n = state.times().length;
        if (n > 0 && t <= state.times()[n - 1]) {
            return new Step(state, Optional.empty());
        }
        // Keep the readings of the span (a level rule needs only the newest).
        long from = rule.mode() == SensorRule.Mode.RISE ? t - rule.withinMillis() : t;
        int keepFrom = 0;
        while (keepFrom < n && state.times()[keepFrom] < from) {
            keepFrom++;
        }
        int kept = n - keepFrom + 1;
        long[] times = new long[kept];
        double[] values = new double[kept];
        System.arraycopy(state.times(), keepFrom, times, 0, kept - 1);
        System.arraycopy(state.values(), keepFrom, values, 0, kept - 1);
        times[kept - 1] = t;
        values[kept - 1] = r.value();

        Alert active = state.active();
        double signal;
        if (rule.mode() == SensorRule.Mode.RISE) {
            if (kept < rule.minReadings()) {
                return new Step(new SensorAlertState(times, values, active), Optional.empty());
            }
            double lowest = values[0];
            for (double v : values) {
                lowest = Math.min(lowest, v);
            }
            signal = r.value() - lowest;
        } else {
            signal = r.value();
        }
        Gauge gauge = rule.gauge(r.sensorId());
        Optional<Level> level = levelOf(gauge, signal);
        if (active == null) {
            if (level.isEmpty()) {
                return new Step(new SensorAlertState(times, values, null), Optional.empty());
            }
            Alert raised =
                    new Alert(
                            Alert.idOf(rule.id(), SubjectKind.SENSOR, r.sensorId(), t),
                            rule.id(),
                            AlertStatus.ACTIVE,
                            level.get().severity(),
                            rule.metric(),
                            SubjectKind.SENSOR,
                            r.sensorId(),
                            r.sensorId(),
                            t,
                            t,
                            null,
                            signal,
                            signal,
                            level.get().value(),
                            rule.metric().unit(),
                            aboveMessage(rule, r.sensorId(), signal, level.get().value()),
                            1,
                            List.of());
            return new Step(new SensorAlertState(times, values, raised), Optional.of(raised));
        }
        double peak = Math.max(active.peak(), signal);
        if (signal < gauge.clearBelow()) {
            Alert cleared =
                    active.cleared(
                            t,
                            t,
                            signal,
                            peak,
                            rule.title()
                                    + " at sensor "
                                    + r.sensorId()
                                    + " "
                                    + Numbers.format(signal)
                                    + " "
                                    + rule.metric().unit()
                                    + ", below "
                                    + Numbers.format(gauge.clearBelow())
                                    + " again (peak "
                                    + Numbers.format(peak)
                                    + ")");
            return new Step(new SensorAlertState(times, values, null), Optional.of(cleared));
        }
        Severity severity = level.map(Level::severity).orElse(active.severity());
        if (severity == active.severity()) {
            // Not published: the next change carries the newer value and peak.
            Alert unpublished = active.withValueAndPeak(signal, peak);
            return new Step(new SensorAlertState(times, values, unpublished), Optional.empty());
        }
        double threshold = level.orElseThrow().value();
        Alert changed =
                active.revised(
                        severity,
                        t,
                        signal,
                        peak,
                        threshold,
                        aboveMessage(rule, r.sensorId(), signal, threshold));
        return new Step(new SensorAlertState(times, values, changed), Optional.of(changed));
    }

    private static Optional<Level> levelOf(Gauge gauge, double signal) {
        Level found = null;
        for (Level level : gauge.levels()) {
            if (signal > level.value()) {
                found = level;
            }
        }
        return Optional.ofNullable(found);
    }

    private static String aboveMessage(
            SensorRule rule, String sensor, double signal, double level) {
        String span =
                rule.mode() == SensorRule.Mode.RISE
                        ? " within " + ZoneAggregate.windowLabel(rule.withinMillis())
                        : "";
        return rule.title()
                + " at sensor "
                + sensor
                + " "
                + Numbers.format(signal)
                + " "
                + rule.metric().unit()
                + span
                + ", above "
                + Numbers.format(level)
                + (rule.standard().isEmpty() ? "" : " (" + rule.standard() + ")");
    }
}
