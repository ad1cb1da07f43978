package org.smartcity.jobs.alerts;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.smartcity.core.Metric;
import org.smartcity.jobs.alerts.ThresholdRule.Level;

/**
 * A rule on each sensor's own readings, evaluated reading by reading: either the reading itself
 * ({@link Mode#LEVEL}, e.g. a river gauge above its warning level) or how much the readings rose
 * within a time span ({@link Mode#RISE}, e.g. a water level rising more than 0.30 m within 15
 * minutes, from at least 3 readings). The signal above a level raises (or escalates to) that
 * level's severity; an alert clears when the signal is below the clear level (hysteresis).
 *
 * <p>Flood signals (REFERENCE.md section 5): the Ministry of Water Resources' four colours map onto
 * CAP severities in order, blue = minor, yellow = moderate, orange = severe, red = extreme; the
 * levels themselves are set per gauge ({@link #gauges}).
 *
 * @param id the rule id
 * @param mode the reading's value, or its rise within {@code withinMillis}
 * @param title what the signal is called in messages
 * @param metric the metric watched
 * @param withinMillis for {@link Mode#RISE}: the span the rise is measured over
 * @param minReadings for {@link Mode#RISE}: readings in the span needed before a rise counts
 * @param levels the levels of every sensor not in {@code gauges}, lowest first
 * @param clearBelow the clear level of those sensors
 * @param gauges levels of their own for some sensors, by sensor id
 * @param standard the short name of the standard, for messages (may be empty)
 * @param source where the numbers come from
 */
public record SensorRule(
        String id,
        Mode mode,
        String title,
        Metric metric,
        long withinMillis,
        int minReadings,
        List<Level> levels,
        double clearBelow,
        Map<String, Gauge> gauges,
        String standard,
        String source)
        implements AlertRule {

    /** What the levels are compared with. */
    public enum Mode {
        /** The reading's value. */
        LEVEL,
        /** The reading's value minus the lowest value of the span before it. */
        RISE
    }

    /**
     * Levels of one sensor.
     *
     * @param levels lowest first
     * @param clearBelow its clear level
     */
    public record Gauge(List<Level> levels, double clearBelow) implements Serializable {
        public Gauge {
            levels = List.copyOf(levels);
        }
    }

    public SensorRule {
        levels = List.copyOf(levels);
        gauges = Map.copyOf(gauges);
    }

    /** Whether this rule watches the sensors of {@code m}. */
    public boolean watches(Metric m) {
        return m == metric;
    }

    /** The levels of a sensor: its own, or the rule's. */
    public Gauge gauge(String sensorId) {
        return Optional.ofNullable(gauges.get(sensorId)).orElse(new Gauge(levels, clearBelow));
    }
}
