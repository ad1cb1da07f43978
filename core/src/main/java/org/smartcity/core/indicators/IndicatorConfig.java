package org.smartcity.core.indicators;

import java.time.Duration;
import java.util.Objects;

/**
 * How indicators are computed: the typed value of {@link IndicatorOptions}.
 *
 * @param standard the data-validity rules
 * @param allowedLateness how long after its end a period may still be corrected (the job's allowed
 *     lateness): until then its rows are provisional
 */
public record IndicatorConfig(IndicatorStandard standard, Duration allowedLateness) {
    public IndicatorConfig {
        Objects.requireNonNull(standard, "standard");
        Objects.requireNonNull(allowedLateness, "allowedLateness");
    }

    /** GB 3095-2012 and the default lateness of 10 minutes. */
    public static IndicatorConfig defaults() {
        return new IndicatorConfig(IndicatorStandard.GB_3095_2012, Duration.ofMinutes(10));
    }
}
