package org.smartcity.core.indicators;

import java.util.List;
import java.util.Optional;
import org.smartcity.core.Metric;

/**
 * The concentrations a period's value is compared with (REFERENCE.md §2), in ug/m3: the WHO 2021
 * air quality guideline level (AQG) and interim targets, and China's GB 3095-2012 Grade II limit
 * (residential, commercial and industrial areas), for 24-hour and annual means.
 *
 * <p>A day is compared with the 24-hour values; a month and a year with the annual ones (there is
 * no monthly guideline: a month above the annual line is a warning sign, not a breach).
 */
public final class AirQualityLimits {

    /**
     * The values of one pollutant and averaging time.
     *
     * @param who the WHO 2021 guideline level
     * @param interimTargets WHO 2021 interim targets 1 to 4, loosest first
     * @param national GB 3095-2012 Grade II
     */
    public record Limits(double who, List<Double> interimTargets, double national) {}

    private static final Limits PM25_DAY = new Limits(15, List.of(75.0, 50.0, 37.5, 25.0), 75);
    private static final Limits PM25_YEAR = new Limits(5, List.of(35.0, 25.0, 15.0, 10.0), 35);
    private static final Limits PM10_DAY = new Limits(45, List.of(150.0, 100.0, 75.0, 50.0), 150);
    private static final Limits PM10_YEAR = new Limits(15, List.of(70.0, 50.0, 30.0, 20.0), 70);

    private AirQualityLimits() {}

    /** The limits for {@code metric} over periods of {@code kind}; empty for other metrics. */
    public static Optional<Limits> of(Metric metric, PeriodKind kind) {
        boolean day = kind == PeriodKind.DAY;
        return switch (metric) {
            case PM25 -> Optional.of(day ? PM25_DAY : PM25_YEAR);
            case PM10 -> Optional.of(day ? PM10_DAY : PM10_YEAR);
            default -> Optional.empty();
        };
    }
}
