package org.smartcity.core.validation;

import java.time.Duration;
import java.util.Objects;
import org.smartcity.core.CityArea;

/**
 * What the bridge accepts: the city area, how far a timestamp may be ahead of the bridge's clock
 * (device clocks drift), how old a reading may be (devices upload a backlog after an outage, and
 * those readings must still count), and the largest payload.
 */
public record ValidationPolicy(
        CityArea area, Duration maxFutureSkew, Duration maxAge, int maxPayloadBytes) {

    /** DESIGN's defaults: 5 minutes ahead, 7 days old, 64 KiB. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

    public ValidationPolicy {
        Objects.requireNonNull(area, "area");
        if (maxFutureSkew.isNegative() || maxAge.isNegative() || maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }

    /** The defaults for a city area. */
    public static ValidationPolicy defaults(CityArea area) {
        return new ValidationPolicy(
                area, DEFAULT_MAX_FUTURE_SKEW, DEFAULT_MAX_AGE, DEFAULT_MAX_PAYLOAD_BYTES);
    }
}
