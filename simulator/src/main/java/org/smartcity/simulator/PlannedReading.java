package org.smartcity.simulator;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.smartcity.core.Reading;
import org.smartcity.core.RejectionReason;

/**
 * One reading inside a {@link SimulatedMessage}, with the fault it carries, if any.
 *
 * @param seq the device's counter, as published
 * @param timestamp the reading's timestamp, as published (for a {@link Fault#LATE} reading, the
 *     shifted one)
 * @param fault the reading fault it carries ({@link Fault.Scope#READING}), or {@code null}
 * @param forwarded the reading the bridge writes to Kafka when it accepts this one, exactly as
 *     published (timestamp, coordinates and value with the device's resolution); {@code null} when
 *     the bridge rejects it
 */
public record PlannedReading(long seq, Instant timestamp, Fault fault, Reading forwarded) {

    public PlannedReading {
        Objects.requireNonNull(timestamp, "timestamp");
        if (fault != null && fault.scope() != Fault.Scope.READING) {
            throw new IllegalArgumentException(fault + " is not a fault of a reading");
        }
        boolean rejected = fault != null && fault.expectedRejection().isPresent();
        if (rejected != (forwarded == null)) {
            throw new IllegalArgumentException(
                    "a reading the bridge "
                            + (rejected ? "rejects has no" : "accepts needs its")
                            + " forwarded reading");
        }
    }

    /** The reason the bridge rejects this reading with, or empty when it accepts it. */
    public Optional<RejectionReason> expectedRejection() {
        return fault == null ? Optional.empty() : fault.expectedRejection();
    }
}
