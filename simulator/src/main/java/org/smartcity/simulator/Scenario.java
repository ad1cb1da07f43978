package org.smartcity.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.smartcity.core.Metric;

/**
 * A scripted event on top of the simulated city ({@code --scenario}), so that alerts open and clear
 * at known times after the simulator starts, for the demo and for tests. Times are measured from
 * the simulator's start (the first reading's time), values change in the readings themselves.
 *
 * <ul>
 *   <li>{@code pollution-episode}: from minute 1 to minute 61, every PM2.5, PM10 and NO2 reading is
 *       four times its usual value (a city-wide episode: an ordinary 30 ug/m3 PM2.5 hour becomes
 *       120, above the default rule's 75).
 *   <li>{@code flood}: from minute 1, every water level rises by 0.05 m a minute for 30 minutes
 *       (1.5 m in all: the default rate-of-rise rule fires within 7 minutes, 0.35 m in 15 minutes
 *       being above 0.30), then falls back at the same rate until minute 61.
 * </ul>
 */
public enum Scenario {
    NONE,
    POLLUTION_EPISODE,
    FLOOD;

    static final long MINUTE = 60_000L;

    /** When the scripted part begins, after the start. */
    static final long BEGINS = MINUTE;

    /** The command-line name: {@code none}, {@code pollution-episode}, {@code flood}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Scenario parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (Scenario s : values()) {
            if (s.id().equals(v)) {
                return s;
            }
        }
        throw new IllegalArgumentException("expected one of " + ids());
    }

    static String ids() {
        return Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", "));
    }

    /**
     * The value a sensor of {@code metric} reports at {@code timestampMillis} under this scenario,
     * given its usual {@code value}, rounded to the device's resolution and kept in the metric's
     * range.
     */
    double apply(Metric metric, long startMillis, long timestampMillis, double value) {
        long t = timestampMillis - startMillis - BEGINS;
        double shaped =
                switch (this) {
                    case NONE -> value;
                    case POLLUTION_EPISODE ->
                            (metric == Metric.PM25 || metric == Metric.PM10 || metric == Metric.NO2)
                                            && t >= 0
                                            && t < 60 * MINUTE
                                    ? value * 4
                                    : value;
                    case FLOOD -> metric == Metric.WATER_LEVEL ? value + floodRise(t) : value;
                };
        if (shaped == value) {
            return value;
        }
        return ValueModel.round(
                metric, Math.min(Math.max(shaped, metric.minValue()), metric.maxValue()));
    }

    /** Metres above the usual level, {@code t} milliseconds after the flood began. */
    static double floodRise(long t) {
        if (t <= 0 || t >= 60 * MINUTE) {
            return 0;
        }
        double minutes = Math.min(t, 60 * MINUTE - t) / (double) MINUTE;
        return 0.05 * minutes;
    }
}
