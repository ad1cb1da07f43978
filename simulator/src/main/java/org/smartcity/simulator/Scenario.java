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
 *   <li>{@code outage}: a network outage in two steps, each longer than twice the default
 *       silent-sensor and coverage limits (10 minutes), so that their alerts open, stay open for a
 *       while and clear at known times. From minute 1 to minute 31 the sensors of one district (the
 *       one with the most sensors, {@link MessageGenerator#outageDistrict()}) send nothing; from
 *       minute 41 to minute 71 no sensor sends anything. A reading due inside a step is never sent
 *       (not delivered late): each silent sensor's alert opens at its last reading before the step
 *       plus the rule's limit and clears with its first reading after it. The silenced readings
 *       keep their sequence numbers, so the bridge counts them as lost.
 * </ul>
 *
 * <p>{@code --scenario-minute} makes the script's minute shorter, for rehearsals and tests with
 * alert rules whose limits are shortened alike: every time above is then in those minutes.
 */
public enum Scenario {
    NONE,
    POLLUTION_EPISODE,
    FLOOD,
    OUTAGE;

    static final long MINUTE = 60_000L;

    /** When the scripted part begins, after the start. */
    static final long BEGINS = MINUTE;

    /** When the outage's first step (one district silent) begins and ends, after the start. */
    static final long DISTRICT_OUTAGE_BEGINS = BEGINS;

    static final long DISTRICT_OUTAGE_ENDS = 31 * MINUTE;

    /** When the outage's second step (every sensor silent) begins and ends, after the start. */
    static final long CITY_OUTAGE_BEGINS = 41 * MINUTE;

    static final long CITY_OUTAGE_ENDS = 71 * MINUTE;

    /** The command-line name: {@code none}, {@code pollution-episode}, {@code flood}, ... */
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
                    case OUTAGE -> value;
                };
        if (shaped == value) {
            return value;
        }
        return ValueModel.round(
                metric, Math.min(Math.max(shaped, metric.minValue()), metric.maxValue()));
    }

    /**
     * Whether a sensor sends nothing at {@code timestampMillis} (script time, like {@link #apply}):
     * under {@link #OUTAGE}, every sensor in its second step and the outage district's sensors
     * ({@code inOutageDistrict}) in its first; never under the other scenarios.
     */
    boolean silences(boolean inOutageDistrict, long startMillis, long timestampMillis) {
        if (this != OUTAGE) {
            return false;
        }
        long t = timestampMillis - startMillis;
        return (t >= CITY_OUTAGE_BEGINS && t < CITY_OUTAGE_ENDS)
                || (inOutageDistrict && t >= DISTRICT_OUTAGE_BEGINS && t < DISTRICT_OUTAGE_ENDS);
    }

    /**
     * The script time of {@code timestampMillis} when a script minute lasts {@code minuteMillis}:
     * the time the scenario's schedule is read at, the same instant for {@code minuteMillis} of one
     * minute.
     */
    static long scriptTime(long startMillis, long timestampMillis, long minuteMillis) {
        if (minuteMillis == MINUTE) {
            return timestampMillis;
        }
        return startMillis + Math.floorDiv((timestampMillis - startMillis) * MINUTE, minuteMillis);
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
