package org.smartcity.core;

/**
 * The Kafka topic names and the dead-letter record layout: a contract shared by the bridge, which
 * writes them, and everything that reads them.
 *
 * <p>A dead-letter record's value is the original payload bytes (of the rejected element, for a
 * gateway array), untouched, so an operator can replay it after a fix; what went wrong travels in
 * the headers. Only an original too large to be a Kafka record ({@link RejectionReason#OVERSIZED},
 * {@link RejectionReason#UNDELIVERABLE}) is cut to its first {@link #ORIGINAL_PREFIX_BYTES} bytes,
 * with its full size and hash in headers.
 */
public final class KafkaTopics {
    /** Valid readings, canonical JSON ({@link ReadingJson}), keyed by sensor id. */
    public static final String READINGS = "smartcity.readings.v1";

    /** Rejected payloads with their reason, keyed by the topic's sensor id. */
    public static final String REJECTED = "smartcity.readings.rejected.v1";

    /** Readings that arrived after their window's allowed lateness. */
    public static final String LATE = "smartcity.readings.late.v1";

    /** Alerts raised by the stream jobs. */
    public static final String ALERTS = "smartcity.alerts.v1";

    /** Dead-letter header: the {@link RejectionReason} name. */
    public static final String HEADER_REASON = "smartcity.reason";

    /** Dead-letter header: the human-readable detail. */
    public static final String HEADER_DETAIL = "smartcity.detail";

    /** Dead-letter header: the MQTT topic the payload was published to. */
    public static final String HEADER_MQTT_TOPIC = "smartcity.mqtt.topic";

    /** Dead-letter header: the element's index in a gateway array ("-1" for a whole payload). */
    public static final String HEADER_ELEMENT_INDEX = "smartcity.element.index";

    /** Dead-letter header: when the bridge received the payload, ISO-8601 UTC. */
    public static final String HEADER_RECEIVED_AT = "smartcity.received.at";

    /**
     * Dead-letter header of a record whose value is only a prefix of the original ({@code
     * OVERSIZED}, {@code UNDELIVERABLE}): the original's size in bytes, decimal.
     */
    public static final String HEADER_ORIGINAL_SIZE = "smartcity.original.size";

    /** Dead-letter header next to {@link #HEADER_ORIGINAL_SIZE}: the original's SHA-256, hex. */
    public static final String HEADER_ORIGINAL_SHA256 = "smartcity.original.sha256";

    /** How much of an original too large to dead-letter whole is kept. */
    public static final int ORIGINAL_PREFIX_BYTES = 1024;

    private KafkaTopics() {}
}
