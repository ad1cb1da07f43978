package org.smartcity.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The metric catalogue: every quantity the platform accepts, with its canonical unit, the range a
 * working sensor can physically report, and how readings aggregate.
 *
 * <p>The ranges reject values no real sensor produces (a negative concentration, a humidity over
 * 100 %), not unusual ones: a PM2.5 of 800 µg/m³ happens during fires and must reach the map.
 */
public enum Metric {
    PM25("pm25", "ug/m3", 0, 2_000, Aggregation.MEAN, "µg/m³", "µg/m3", "ug/m³"),
    PM10("pm10", "ug/m3", 0, 5_000, Aggregation.MEAN, "µg/m³", "µg/m3", "ug/m³"),
    NO2("no2", "ug/m3", 0, 4_000, Aggregation.MEAN, "µg/m³", "µg/m3", "ug/m³"),
    O3("o3", "ug/m3", 0, 2_000, Aggregation.MEAN, "µg/m³", "µg/m3", "ug/m³"),
    NOISE("noise", "dB(A)", 0, 160, Aggregation.ENERGETIC_MEAN, "dBA", "dB"),
    TEMPERATURE("temperature", "degC", -60, 70, Aggregation.MEAN, "°C", "C"),
    HUMIDITY("humidity", "%", 0, 100, Aggregation.MEAN, "percent"),
    TRAFFIC("traffic", "vehicles", 0, 100_000, Aggregation.SUM, "vehicle", "veh"),
    WATER_LEVEL("water_level", "m", -50, 500, Aggregation.MAX, "metre", "meter");

    private static final Map<String, Metric> BY_ID =
            Arrays.stream(values()).collect(Collectors.toMap(Metric::id, Function.identity()));

    private final String id;
    private final String unit;
    private final double minValue;
    private final double maxValue;
    private final Aggregation aggregation;
    private final Set<String> unitAliases;

    Metric(
            String id,
            String unit,
            double minValue,
            double maxValue,
            Aggregation aggregation,
            String... unitAliases) {
        this.id = id;
        this.unit = unit;
        this.minValue = minValue;
        this.maxValue = maxValue;
        this.aggregation = aggregation;
        this.unitAliases = Set.of(unitAliases);
    }

    /** The catalogue entry for a wire id such as {@code pm25}, if there is one. */
    public static Optional<Metric> byId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** The ids of all metrics, in catalogue order, for messages and help texts. */
    public static String ids() {
        return Arrays.stream(values()).map(Metric::id).collect(Collectors.joining(", "));
    }

    /** The id used in MQTT topics, payloads, Kafka records and feature attributes. */
    public String id() {
        return id;
    }

    /** The canonical unit; readings are stored in it. */
    public String unit() {
        return unit;
    }

    public double minValue() {
        return minValue;
    }

    public double maxValue() {
        return maxValue;
    }

    public Aggregation aggregation() {
        return aggregation;
    }

    /** Whether a unit written by a device means this metric's canonical unit. */
    public boolean acceptsUnit(String candidate) {
        return unit.equals(candidate)
                || unitAliases.contains(candidate)
                || unit.toLowerCase(Locale.ROOT).equals(candidate.toLowerCase(Locale.ROOT));
    }

    public boolean inRange(double value) {
        return value >= minValue && value <= maxValue;
    }
}
