package org.smartcity.core;

/**
 * Why a payload or one element of a gateway array was not accepted. The names are a public
 * contract: devices and operators look them up, and dead-letter records carry them.
 */
public enum RejectionReason {
    /** Not UTF-8 JSON, or neither an object nor an array of objects. */
    MALFORMED,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type or an unparseable value (e.g. a timestamp). */
    WRONG_TYPE,
    /** The metric is not in the catalogue. */
    UNKNOWN_METRIC,
    /** The unit given is not the catalogue unit of the metric. */
    UNIT_MISMATCH,
    /** The value lies outside what a working sensor of that metric can report. */
    OUT_OF_RANGE,
    /** Latitude or longitude outside the globe, or the (0, 0) position of a missing fix. */
    BAD_COORDINATES,
    /** A valid position outside the configured city area. */
    OUT_OF_AREA,
    /** The timestamp is further ahead of the bridge's clock than the allowed skew. */
    FUTURE_TIMESTAMP,
    /** The timestamp is older than the accepted backlog. */
    STALE_TIMESTAMP,
    /** A field that the MQTT topic also carries (city, metric, sensor id) disagrees with it. */
    TOPIC_MISMATCH,
    /**
     * The payload is larger than the configured maximum. Its dead letter carries only the first
     * {@link KafkaTopics#ORIGINAL_PREFIX_BYTES} bytes, with the full size and SHA-256 in headers.
     */
    OVERSIZED,
    /**
     * Kafka refused the record for good (too large for it, invalid): not a validation result, but
     * what the bridge writes instead, with the Kafka error as the detail and, like {@link
     * #OVERSIZED}, a prefix of the record's bytes and their full size and SHA-256. The message is
     * then acknowledged, so no message is retried forever.
     */
    UNDELIVERABLE
}
