package org.smartcity.dashboard;

import java.util.List;
import java.util.Map;
import org.smartcity.core.Metric;

/**
 * Reference values the page marks on its colour scales and charts: the health-based guideline
 * values that say when a zone's value is a concern. One home for them, each with its source.
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

    private Guidelines() {}

    /** The reference values of {@code metric}, lowest first; empty when it has none. */
    static List<Threshold> of(Metric metric) {
        return THRESHOLDS.getOrDefault(metric, List.of());
    }
}
