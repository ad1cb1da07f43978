package org.smartcity.simulator;

import java.util.Optional;
import org.smartcity.core.RejectionReason;

/**
 * The faults the simulator injects on demand, and what the bridge's {@code ReadingValidator} is
 * expected to decide for each. Faults of a reading ({@link Scope#READING}) change what is
 * published; faults of a message ({@link Scope#MESSAGE}) change when and how often it is published;
 * {@link #SILENT_SENSOR} affects whole sensors.
 */
public enum Fault {
    /**
     * The reading is not a JSON object: a CSV line, or the JSON cut short. A single payload is
     * rejected as a whole; in a gateway array only that element is.
     */
    MALFORMED("malformed", Scope.READING, RejectionReason.MALFORMED),
    /** A value no working sensor reports: the {@code -9999} sentinel, or far above the maximum. */
    OUT_OF_RANGE("out-of-range", Scope.READING, RejectionReason.OUT_OF_RANGE),
    /** The value in another unit than the catalogue's (mg/m3, degF, cm, vehicles/h, ...). */
    WRONG_UNIT("wrong-unit", Scope.READING, RejectionReason.UNIT_MISMATCH),
    /**
     * The timestamp is minutes to hours in the past (a backlog after an outage), well inside the
     * bridge's 7-day limit: accepted, but late for the stream's windows.
     */
    LATE("late", Scope.READING, null),
    /** The message is published twice, byte for byte (same {@code seq}): both are accepted. */
    DUPLICATE("duplicate", Scope.MESSAGE, null),
    /** The message is held back and published right after the sensor's next message. */
    OUT_OF_ORDER("out-of-order", Scope.MESSAGE, null),
    /** The sensor publishes its first message and then never again. */
    SILENT_SENSOR("silent-sensors", Scope.SENSOR, null);

    /** What a fault applies to, and so what its share is a share of. */
    public enum Scope {
        READING,
        MESSAGE,
        SENSOR
    }

    private final String id;
    private final Scope scope;
    private final RejectionReason rejection;

    Fault(String id, Scope scope, RejectionReason rejection) {
        this.id = id;
        this.scope = scope;
        this.rejection = rejection;
    }

    /** The lower-case name used in flags ({@code --fault-<id>}), JSON and metric tags. */
    public String id() {
        return id;
    }

    public Scope scope() {
        return scope;
    }

    /** The reason the bridge rejects an affected reading with, or empty when it accepts it. */
    public Optional<RejectionReason> expectedRejection() {
        return Optional.ofNullable(rejection);
    }
}
