package org.smartcity.core;

import java.util.Objects;

/**
 * A reason code with a human-readable detail, e.g. {@code OUT_OF_RANGE: value 1200.0 is outside
 * [0.0, 100.0] for humidity (%)}.
 */
public record Rejection(RejectionReason reason, String detail) {
    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
