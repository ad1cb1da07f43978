package org.smartcity.core.zoning;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of zone readings are aggregated over. */
public enum ZoneKind {
    /** An H3 hexagonal cell (resolution 8 by default, about 0.7 km²). */
    H3("h3"),
    /** An administrative district. */
    DISTRICT("district"),
    /** The whole city. */
    CITY("city");

    private final String id;

    ZoneKind(String id) {
        this.id = id;
    }

    /** The wire id, as in feature ids and the {@code zone_kind} query parameter. */
    public String id() {
        return id;
    }

    public static Optional<ZoneKind> byId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }
}
