package org.smartcity.core.indicators;

import java.util.Locale;
import java.util.Optional;

/** The local calendar periods indicators are computed over (DESIGN, "Local days"). */
public enum PeriodKind {
    DAY,
    MONTH,
    YEAR;

    /** The id in rows and query parameters: {@code day}, {@code month}, {@code year}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PeriodKind> byId(String id) {
        for (PeriodKind k : values()) {
            if (k.id().equals(id)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
