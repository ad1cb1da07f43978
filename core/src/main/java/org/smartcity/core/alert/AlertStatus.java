package org.smartcity.core.alert;

import java.util.Locale;
import java.util.Optional;

/** Whether an alert's episode is still going on ({@code active}) or over ({@code cleared}). */
public enum AlertStatus {
    ACTIVE,
    CLEARED;

    /** The wire id: {@code active} or {@code cleared}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status with a wire id, if there is one. */
    public static Optional<AlertStatus> byId(String id) {
        for (AlertStatus s : values()) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
