package org.smartcity.dashboard;

import java.util.List;
import java.util.Map;
import org.smartcity.core.Aggregation;
import org.smartcity.core.Metric;

/**
 * What the page knows about each metric, served in {@code /api/config} so that the page holds no
 * copy: the health-based guideline values that say when a zone's value is a concern, China's AQI
 * bands, and how a metric is named, formatted and coloured. One home for them, each with its
 * source.
 *
 * <ul>
 *   <li>Air: WHO Global Air Quality Guidelines 2021 (ISBN 978-92-4-003422-8), the air quality
 *       guideline levels (AQG): PM2.5 24-h 15 µg/m³, PM10 24-h 45 µg/m³, NO2 24-h 25 µg/m³, O3 8-h
 *       daily maximum 100 µg/m³; and China's GB 3095-2012 Grade II 24-h limits (residential,
 *       commercial and industrial areas): PM2.5 75, PM10 150, NO2 80, O3 8-h 160 µg/m³.
 *   <li>Noise: WHO Environmental Noise Guidelines for the European Region 2018, road traffic Lden
 *       53 dB; China's GB 3096-2008 class 1 (residential) daytime limit, LAeq 55 dB(A).
 * </ul>
 *
 * <p>The guideline values are for 24-hour (or 8-hour, or yearly) averages, while the dashboard's
 * windows are minutes to an hour long: a window above a line is a warning sign, not a breach.
 *
 * <p>AQI bands: China's Technical Regulation on Ambient Air Quality Index, HJ 633-2012: the six
 * levels with their official colours, and the individual AQI breakpoints of the 24-hour means of
 * PM2.5 (35, 75, 115, 150, 250 µg/m³) and PM10 (50, 150, 250, 350, 420 µg/m³) where a level ends.
 */
final class Guidelines {

    /**
     * One reference value.
     *
     * @param value in the metric's unit
     * @param label what it is, with its averaging time
     */
    record Threshold(double value, String label) {}

    private static final Map<Metric, List<Threshold>> THRESHOLDS =
            Map.of(
                    Metric.PM25,
                    List.of(
                            new Threshold(15, "WHO AQG 2021 24-h"),
                            new Threshold(75, "GB 3095-2012 Grade II 24-h")),
                    Metric.PM10,
                    List.of(
                            new Threshold(45, "WHO AQG 2021 24-h"),
                            new Threshold(150, "GB 3095-2012 Grade II 24-h")),
                    Metric.NO2,
                    List.of(
                            new Threshold(25, "WHO AQG 2021 24-h"),
                            new Threshold(80, "GB 3095-2012 Grade II 24-h")),
                    Metric.O3,
                    List.of(
                            new Threshold(100, "WHO AQG 2021 8-h"),
                            new Threshold(160, "GB 3095-2012 Grade II 8-h")),
                    Metric.NOISE,
                    List.of(
                            new Threshold(53, "WHO 2018 road traffic Lden"),
                            new Threshold(55, "GB 3096-2008 class 1 day")));

    /** Where the AQI bands come from, as the page's legend cites it. */
    static final String AQI_SOURCE = "China AQI bands (HJ 633-2012, 24-h breakpoints)";

    /**
     * One AQI level of HJ 633-2012.
     *
     * @param name the English name
     * @param nameZh the official Chinese name
     * @param colour the official colour, {@code #rrggbb}
     */
    record AqiLevel(String name, String nameZh, String colour) {}

    /** The six levels, cleanest first: a value below the n-th breakpoint is in level n. */
    static final List<AqiLevel> AQI_LEVELS =
            List.of(
                    new AqiLevel("Good", "优", "#00e400"),
                    new AqiLevel("Moderate", "良", "#ffff00"),
                    new AqiLevel("Lightly polluted", "轻度污染", "#ff7e00"),
                    new AqiLevel("Moderately polluted", "中度污染", "#ff0000"),
                    new AqiLevel("Heavily polluted", "重度污染", "#99004c"),
                    new AqiLevel("Severely polluted", "严重污染", "#7e0023"));

    private static final Map<Metric, List<Double>> AQI_BREAKPOINTS =
            Map.of(
                    Metric.PM25, List.of(35.0, 75.0, 115.0, 150.0, 250.0),
                    Metric.PM10, List.of(50.0, 150.0, 250.0, 350.0, 420.0));

    /** A closed range of values in a metric's unit. */
    record Range(double min, double max) {}

    /**
     * How the page shows one metric.
     *
     * @param label its name on screen ({@code PM2.5}, {@code NO₂})
     * @param unitLabel its unit as printed ({@code µg/m³} for {@code ug/m3})
     * @param decimals decimals of a value
     * @param zeroBaseline whether its zero means "none" (amounts, counts), so that a chart's axis
     *     starts there; not for levels on an interval or logarithmic scale (°C, dB)
     * @param colourRange the usual range, over which the colour ramp is fixed so that colours stay
     *     comparable from one window to the next (the page widens it for a value outside); null to
     *     scale to the data (totals and levels that depend on the site)
     */
    record Display(
            String label,
            String unitLabel,
            int decimals,
            boolean zeroBaseline,
            Range colourRange) {}

    private Guidelines() {}

    /** The reference values of {@code metric}, lowest first; empty when it has none. */
    static List<Threshold> of(Metric metric) {
        return THRESHOLDS.getOrDefault(metric, List.of());
    }

    /**
     * The AQI breakpoints of {@code metric}, one fewer than {@link #AQI_LEVELS}; empty when the AQI
     * does not cover it.
     */
    static List<Double> aqiBreakpoints(Metric metric) {
        return AQI_BREAKPOINTS.getOrDefault(metric, List.of());
    }

    /** How the page shows {@code metric}; a new catalogue entry does not compile without one. */
    static Display display(Metric metric) {
        return switch (metric) {
            case PM25 -> new Display("PM2.5", "µg/m³", 1, true, null);
            case PM10 -> new Display("PM10", "µg/m³", 1, true, null);
            case NO2 -> new Display("NO₂", "µg/m³", 1, true, new Range(0, 200));
            case O3 -> new Display("O₃", "µg/m³", 1, true, new Range(0, 240));
            case NOISE -> new Display("Noise", "dB(A)", 1, false, new Range(35, 85));
            case TEMPERATURE -> new Display("Temperature", "°C", 1, false, new Range(-5, 35));
            case HUMIDITY -> new Display("Humidity", "%", 1, false, new Range(0, 100));
            case TRAFFIC -> new Display("Traffic", "vehicles", 0, true, null);
            case WATER_LEVEL -> new Display("Water level", "m", 2, false, null);
        };
    }

    /**
     * The aggregate property that is a zone's value of a metric aggregated this way ({@code mean},
     * which is the Leq for an energetic mean, {@code sum} or {@code max}).
     */
    static String valueProperty(Aggregation aggregation) {
        return switch (aggregation) {
            case MEAN, ENERGETIC_MEAN -> "mean";
            case SUM -> "sum";
            case MAX -> "max";
        };
    }

    /** What that value is called on screen. */
    static String valueLabel(Aggregation aggregation) {
        return switch (aggregation) {
            case MEAN -> "mean";
            case ENERGETIC_MEAN -> "Leq (energetic mean)";
            case SUM -> "total";
            case MAX -> "maximum";
        };
    }
}
