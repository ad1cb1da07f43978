package org.smartcity.core.zoning;

import java.io.Serializable;
import java.util.Objects;

/**
 * One zone a reading is aggregated over: an H3 cell, a district or the whole city.
 *
 * <p>Deliberately small (no geometry) because one travels with every reading through the stream
 * job; the geometry is looked up by {@link Zoning#geometry(Zone)} when an aggregate is written. A
 * record of an enum and two strings, so Flink serializes it with its POJO/record serializer, not
 * Kryo.
 *
 * @param kind h3, district or city
 * @param id the H3 cell address (e.g. {@code 8832a…}), the district code (e.g. {@code 530102}) or
 *     the city id ({@code kunming}); the {@code zoneId} part of aggregate feature ids
 * @param name a human-readable name: the cell address for a cell, e.g. {@code Wuhua District 五华区}
 *     for a district
 */
public record Zone(ZoneKind kind, String id, String name) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Zone {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }

    /** An H3 cell, named by its address. */
    public static Zone h3(String address) {
        return new Zone(ZoneKind.H3, address, address);
    }

    public static Zone district(String code, String name) {
        return new Zone(ZoneKind.DISTRICT, code, name);
    }

    public static Zone city(String id, String name) {
        return new Zone(ZoneKind.CITY, id, name);
    }
}
