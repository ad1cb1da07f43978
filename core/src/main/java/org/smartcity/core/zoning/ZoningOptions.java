package org.smartcity.core.zoning;

import static org.smartcity.core.config.ConfigOption.integer;
import static org.smartcity.core.config.ConfigOption.string;

import java.util.List;
import org.smartcity.core.config.CityConfig;
import org.smartcity.core.config.CityOptions;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.core.config.Settings;

/**
 * The settings that say how a city is divided into zones, shared by every runnable that needs the
 * same {@link ZoningSpec} (the aggregation job, which assigns readings to zones, and the dashboard,
 * which draws them): one definition, so the keys, defaults and checks cannot drift apart. The city
 * itself (id, box) comes from {@link CityOptions}, which such a runnable lists too.
 */
public final class ZoningOptions {

    public static final ConfigOption<Integer> H3_RESOLUTION =
            integer(
                    "zoning.h3-resolution",
                    ZoningSpec.DEFAULT_H3_RESOLUTION,
                    ZoningSpec.MIN_H3_RESOLUTION,
                    ZoningSpec.MAX_H3_RESOLUTION,
                    "H3 resolution of the cell zones (8: about 0.74 km² per cell)");
    public static final ConfigOption<String> DISTRICTS =
            string(
                    "zoning.districts",
                    ZoningSpec.KUNMING_DISTRICTS,
                    "districts GeoJSON: classpath:... or a file path present on every machine"
                            + " that runs the job or the dashboard; 'none' for no district"
                            + " zones");

    /** The zoning's own options, in the order {@code --help} lists them. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(H3_RESOLUTION, DISTRICTS);

    private ZoningOptions() {}

    /**
     * The zoning spec of the resolved settings (the districts file is not read yet); the settings
     * hold {@link CityOptions} too.
     *
     * @throws ConfigException naming the flags, when the values do not fit together
     */
    public static ZoningSpec spec(Settings s) {
        CityConfig city = CityOptions.from(s);
        String districts = s.get(DISTRICTS).trim();
        if (districts.equalsIgnoreCase("none")) {
            districts = null;
        }
        try {
            return ZoningSpec.builder(city.id())
                    .h3Resolution(s.get(H3_RESOLUTION))
                    .districts(districts)
                    .bounds(city.area())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "Invalid zoning ("
                            + CityOptions.ID.flag()
                            + ", "
                            + CityOptions.BBOX.flag()
                            + ", "
                            + DISTRICTS.flag()
                            + "): "
                            + e.getMessage());
        }
    }
}
