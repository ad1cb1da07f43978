package org.smartcity.core.config;

import java.time.ZoneId;
import java.util.List;
import org.smartcity.core.BoundingBox;
import org.smartcity.core.CityArea;

/**
 * The city options, declared once for every runnable (the bridge, the aggregation job, the
 * dashboard, the simulator): the city id, its bounding box and its time zone. Kunming by default.
 *
 * <p>{@code --city-bbox} is written latitude first, {@code minLat,minLon,maxLat,maxLon} (the order
 * of a reading's coordinates; a contract of the command line), unlike the OGC API's {@code bbox}
 * (longitude first); its value is a {@link BoundingBox}, whose edges have names.
 */
public final class CityOptions {

    public static final ConfigOption<String> ID =
            ConfigOption.custom(
                    "city.id",
                    CityArea.KUNMING.city(),
                    "city id: the {city} segment of the MQTT topics and the id of the city zone",
                    CityConfig::checkId);
    public static final ConfigOption<BoundingBox> BBOX =
            ConfigOption.boundingBox(
                    "city.bbox",
                    CityArea.KUNMING.box(),
                    "city area in degrees, latitude first: minLat,minLon,maxLat,maxLon (the OGC API"
                            + " bbox is lon,lat). The bridge rejects readings outside it"
                            + " (OUT_OF_AREA); it is the city zone's outline when there are no"
                            + " districts; the simulator places its sensors in it");
    public static final ConfigOption<ZoneId> TIMEZONE =
            ConfigOption.custom(
                    "city.timezone",
                    "Asia/Shanghai",
                    "the city's time zone, a java.time zone id such as Asia/Shanghai (local days"
                            + " and calendar periods; the simulator's daily patterns)",
                    CityConfig::parseTimeZone);

    /** The group, in the order {@code --help} lists it. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(ID, BBOX, TIMEZONE);

    private CityOptions() {}

    /** The group's values. */
    public static CityConfig from(Settings s) {
        return new CityConfig(s.get(ID), s.get(BBOX), s.get(TIMEZONE));
    }

    /** The defaults of the group: Kunming. */
    public static CityConfig defaults() {
        return from(Settings.fromFlags(OPTIONS));
    }

    /**
     * The group's setter, for the {@link ConfigBuilder} of a runnable that lists the group.
     *
     * @param <B> the builder
     */
    public interface Setter<B> extends OptionSetter<B> {
        /** The city: its id, bounding box and time zone. */
        default B city(CityConfig city) {
            put(ID, city.id());
            put(BBOX, city.bbox());
            return put(TIMEZONE, city.timeZone());
        }
    }
}
