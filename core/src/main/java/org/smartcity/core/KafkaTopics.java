package org.smartcity.core;

/**
 * The Kafka topic names and the dead-letter record layout: a contract shared by the bridge, which
 * writes them, and everything that reads them.
 *
 * <p>A dead-letter record's value is the original payload bytes (of the rejected element, for a
 * gateway array), untouched, so an operator can replay it after a fix; what went wrong travels in
 * the headers.
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

    private KafkaTopics() {}
}
