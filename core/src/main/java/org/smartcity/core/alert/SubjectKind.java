package org.smartcity.core.alert;

import java.util.Locale;
import java.util.Optional;
import org.smartcity.core.zoning.ZoneKind;

/** What an alert is about: a zone (an H3 cell, a district, the city) or one sensor. */
public enum SubjectKind {
    H3,
    DISTRICT,
    CITY,
    SENSOR;

    /** The wire id: {@code h3}, {@code district}, {@code city} or {@code sensor}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The subject kind of a zone kind (the ids are the same). */
    public static SubjectKind of(ZoneKind zoneKind) {
        return valueOf(zoneKind.name());
    }

    /** The kind with a wire id, if there is one. */
    public static Optional<SubjectKind> byId(String id) {
        for (SubjectKind k : values()) {
            if (k.id().equals(id)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
