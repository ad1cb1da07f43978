package org.smartcity.core.indicators;

import java.util.List;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.core.config.Settings;
import org.smartcity.core.config.WindowOptions;

/** The indicator options, declared once for every runnable that computes indicators. */
public final class IndicatorOptions {

    public static final ConfigOption<IndicatorStandard> STANDARD =
            ConfigOption.custom(
                    "indicator.standard",
                    IndicatorStandard.GB_3095_2012.label(),
                    "data-validity rules of indicator values: GB 3095-2012 (hour >= 45 min, day"
                            + " >= 20 h, year >= 324 days) or EU 2008/50/EC (75% of an hour and a"
                            + " day, 90% of a year)",
                    IndicatorStandard::parse);

    /** The group, in the order {@code --help} lists it. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(STANDARD, WindowOptions.ALLOWED_LATENESS);

    private IndicatorOptions() {}

    /** The configured standard. */
    public static IndicatorStandard standard(Settings s) {
        return s.get(STANDARD);
    }

    /** The group's values. */
    public static IndicatorConfig from(Settings s) {
        return new IndicatorConfig(s.get(STANDARD), s.get(WindowOptions.ALLOWED_LATENESS));
    }
}
