package org.smartcity.ingest;

import static org.smartcity.core.config.ConfigOption.bool;
import static org.smartcity.core.config.ConfigOption.duration;
import static org.smartcity.core.config.ConfigOption.integer;
import static org.smartcity.core.config.ConfigOption.port;
import static org.smartcity.core.config.ConfigOption.string;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.smartcity.core.SensorTopic;
import org.smartcity.core.config.CityConfig;
import org.smartcity.core.config.CityOptions;
import org.smartcity.core.config.ConfigBuilder;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.core.config.KafkaConfig;
import org.smartcity.core.config.KafkaOptions;
import org.smartcity.core.config.MqttConfig;
import org.smartcity.core.config.MqttOptions;
import org.smartcity.core.config.Settings;
import org.smartcity.core.http.HttpService;
import org.smartcity.core.mqtt.NoDelaySocketFactory;
import org.smartcity.core.validation.ValidationPolicy;

/**
 * The bridge's settings, resolved once at start. The Kafka and Paho property sets are built here,
 * at the library boundary, and nowhere else.
 */
public record IngestConfig(
        MqttConfig mqtt,
        String mqttClientId,
        String shareGroup,
        String topicFilter,
        int receiveMaximum,
        Duration sessionExpiry,
        KafkaConfig kafka,
        Duration kafkaDeliveryTimeout,
        Duration kafkaLinger,
        String kafkaCompression,
        int kafkaMaxRequestSize,
        int topicPartitions,
        boolean createTopics,
        CityConfig city,
        ValidationPolicy validation,
        Duration redeliveryLookback,
        String httpBind,
        int httpPort,
        Duration kafkaHealthInterval,
        Duration heartbeatInterval,
        Duration stallTimeout) {

    static final ConfigOption<String> MQTT_CLIENT_ID =
            string(
                    "mqtt.client-id",
                    null,
                    "MQTT client id; keep it stable across restarts so the broker redelivers"
                            + " unacknowledged readings (default: smartcity-ingest-<hostname>)");
    static final ConfigOption<String> SHARE_GROUP =
            string(
                    "mqtt.share-group",
                    "ingest",
                    "shared-subscription group; instances in one group split the load");
    static final ConfigOption<String> TOPIC_FILTER =
            string(
                    "mqtt.topic-filter",
                    "city/#",
                    "topics the group subscribes to; wider than city/+/+/+ so that readings on a"
                            + " topic of the wrong shape are dead-lettered (TOPIC_MISMATCH), not"
                            + " dropped by the broker");
    static final ConfigOption<Integer> RECEIVE_MAXIMUM =
            integer(
                    "mqtt.receive-maximum",
                    2000,
                    1,
                    65535,
                    "unacknowledged QoS 1 messages the broker may send at once");
    static final ConfigOption<Duration> SESSION_EXPIRY =
            duration(
                    "mqtt.session-expiry",
                    "1d",
                    "how long the broker keeps the session (and queues readings) while the bridge"
                            + " is away");
    static final ConfigOption<Duration> HEARTBEAT_INTERVAL =
            duration(
                    "mqtt.heartbeat-interval",
                    "5s",
                    "how often the bridge sends itself a heartbeat through its subscription, to"
                            + " notice a broker that stops delivering on a live connection (0 ="
                            + " off)");
    static final ConfigOption<Duration> STALL_TIMEOUT =
            duration(
                    "mqtt.stall-timeout",
                    "20s",
                    "how long after the broker acknowledged a heartbeat the bridge waits for any"
                            + " message before it reconnects");
    static final ConfigOption<Duration> KAFKA_DELIVERY_TIMEOUT =
            duration(
                    "kafka.delivery-timeout",
                    "10m",
                    "how long the producer retries a record through a Kafka outage before the"
                            + " bridge reconnects to have MQTT redeliver it");
    static final ConfigOption<Duration> KAFKA_LINGER =
            duration(
                    "kafka.linger",
                    "1ms",
                    "producer batching delay; every MQTT acknowledgement waits for it, so keep it"
                            + " short");

    /** The compression codecs of the Kafka producer. */
    static final List<String> COMPRESSIONS = List.of("none", "lz4", "zstd", "snappy", "gzip");

    static final ConfigOption<String> KAFKA_COMPRESSION =
            ConfigOption.custom(
                    "kafka.compression",
                    "lz4",
                    "producer compression: "
                            + String.join(", ", COMPRESSIONS)
                            + "; none saves"
                            + " CPU on both ends (and a 64 KiB buffer per lz4 batch) where the"
                            + " network and Kafka's disk are not the limit, e.g. all on one machine",
                    v -> {
                        String c = v.trim().toLowerCase(Locale.ROOT);
                        if (!COMPRESSIONS.contains(c)) {
                            throw new IllegalArgumentException(
                                    "expected one of " + String.join(", ", COMPRESSIONS));
                        }
                        return c;
                    });
    static final ConfigOption<Integer> KAFKA_MAX_REQUEST_SIZE =
            integer(
                    "kafka.max-request-size",
                    1024 * 1024,
                    4 * 1024,
                    Integer.MAX_VALUE,
                    "largest record (in bytes) the producer sends; keep it within the brokers'"
                            + " message.max.bytes. A record over it is dead-lettered as"
                            + " UNDELIVERABLE with a prefix of its bytes");
    static final ConfigOption<Integer> TOPIC_PARTITIONS =
            integer(
                    "kafka.topic-partitions",
                    6,
                    1,
                    10_000,
                    "partitions of the topics the bridge creates when they are missing");
    static final ConfigOption<Boolean> CREATE_TOPICS =
            bool(
                    "kafka.create-topics",
                    true,
                    "create the readings and dead-letter topics if missing");
    static final ConfigOption<Duration> MAX_FUTURE =
            duration(
                    "validation.max-future",
                    "5m",
                    "how far ahead of this clock a timestamp may be (else FUTURE_TIMESTAMP)");
    static final ConfigOption<Duration> MAX_AGE =
            duration(
                    "validation.max-age",
                    "7d",
                    "how old a reading may be, for backlogs after outages (else STALE_TIMESTAMP)");
    static final ConfigOption<Integer> MAX_PAYLOAD =
            integer(
                    "validation.max-payload-bytes",
                    ValidationPolicy.DEFAULT_MAX_PAYLOAD_BYTES,
                    64,
                    16 * 1024 * 1024,
                    "largest payload accepted (else OVERSIZED)");
    static final ConfigOption<Duration> REDELIVERY_LOOKBACK =
            duration(
                    "ingest.redelivery-lookback",
                    "5m",
                    "how far back in Kafka a redelivered MQTT message is looked for, so a reading"
                            + " written before a crash is not written twice");
    static final ConfigOption<String> HTTP_BIND =
            string(
                    "http.bind",
                    HttpService.LOOPBACK,
                    "address the HTTP port listens on (0.0.0.0 in a container whose probes and"
                            + " scrapes come from outside)");
    static final ConfigOption<Duration> KAFKA_HEALTH_INTERVAL =
            duration(
                    "kafka.health-interval",
                    "5s",
                    "how often /health asks Kafka whether it answers, readings flowing or not");
    static final ConfigOption<Integer> HTTP_PORT =
            port("http.port", 8081, true, "port of /metrics and /health (0 = off)");

    /** Every option, in the order {@code --help} lists them. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    MqttOptions.URL,
                    MQTT_CLIENT_ID,
                    MqttOptions.USERNAME,
                    MqttOptions.PASSWORD,
                    SHARE_GROUP,
                    TOPIC_FILTER,
                    RECEIVE_MAXIMUM,
                    SESSION_EXPIRY,
                    HEARTBEAT_INTERVAL,
                    STALL_TIMEOUT,
                    KafkaOptions.BOOTSTRAP,
                    KafkaOptions.READINGS_TOPIC,
                    KafkaOptions.REJECTED_TOPIC,
                    KafkaOptions.LATE_TOPIC,
                    KafkaOptions.ALERTS_TOPIC,
                    KAFKA_DELIVERY_TIMEOUT,
                    KAFKA_LINGER,
                    KAFKA_COMPRESSION,
                    KAFKA_MAX_REQUEST_SIZE,
                    TOPIC_PARTITIONS,
                    CREATE_TOPICS,
                    CityOptions.ID,
                    CityOptions.BBOX,
                    CityOptions.TIMEZONE,
                    MAX_FUTURE,
                    MAX_AGE,
                    MAX_PAYLOAD,
                    REDELIVERY_LOOKBACK,
                    KAFKA_HEALTH_INTERVAL,
                    HTTP_BIND,
                    HTTP_PORT);

    /** Builds the configuration from resolved settings. */
    public static IngestConfig from(Settings s) {
        String clientId = s.getOrNull(MQTT_CLIENT_ID);
        CityConfig city = CityOptions.from(s);
        return new IngestConfig(
                MqttOptions.from(s),
                clientId != null ? clientId : "smartcity-ingest-" + hostName(),
                s.get(SHARE_GROUP),
                s.get(TOPIC_FILTER),
                s.get(RECEIVE_MAXIMUM),
                s.get(SESSION_EXPIRY),
                KafkaOptions.from(s),
                s.get(KAFKA_DELIVERY_TIMEOUT),
                s.get(KAFKA_LINGER),
                s.get(KAFKA_COMPRESSION),
                s.get(KAFKA_MAX_REQUEST_SIZE),
                s.get(TOPIC_PARTITIONS),
                s.get(CREATE_TOPICS),
                city,
                new ValidationPolicy(
                        city.area(), s.get(MAX_FUTURE), s.get(MAX_AGE), s.get(MAX_PAYLOAD)),
                s.get(REDELIVERY_LOOKBACK),
                s.get(HTTP_BIND),
                s.get(HTTP_PORT),
                s.get(KAFKA_HEALTH_INTERVAL),
                s.get(HEARTBEAT_INTERVAL),
                s.get(STALL_TIMEOUT));
    }

    /**
     * The configuration given by command-line flags over the defaults (environment and files
     * ignored): for embedding a bridge in the local platform and in tests.
     *
     * @throws org.smartcity.core.config.ConfigException naming a wrong flag
     */
    public static IngestConfig fromFlags(String... flags) {
        return from(Settings.fromFlags(OPTIONS, flags));
    }

    /** A bridge configured in code, the defaults for what is not set: for embedding. */
    public static Builder builder() {
        return new Builder();
    }

    /** The MQTT broker URL. */
    public String mqttUrl() {
        return mqtt.url();
    }

    /** The Kafka bootstrap servers. */
    public String kafkaBootstrap() {
        return kafka.bootstrap();
    }

    /**
     * The shared subscription all instances of the group make: by default every topic under {@code
     * city/}, so a reading on a topic of the wrong shape reaches the bridge and is dead-lettered
     * instead of being dropped by the broker for want of a subscriber.
     */
    public String subscription() {
        return "$share/" + shareGroup + "/" + topicFilter;
    }

    /**
     * The subscription bridges made before they took {@code city/#} ({@code city/+/+/+}), or {@code
     * null} when it is the configured one. A session resumed from such a bridge (one that died
     * without unsubscribing) would otherwise hold both, and get every reading twice.
     */
    public String legacySubscription() {
        String legacy = "$share/" + shareGroup + "/" + SensorTopic.FILTER;
        return legacy.equals(subscription()) ? null : legacy;
    }

    /** Paho options: a persistent session, so the broker keeps unacknowledged readings. */
    public MqttConnectionOptions connectionOptions() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setServerURIs(new String[] {mqtt.url()});
        if (NoDelaySocketFactory.appliesTo(mqtt.url())) {
            o.setSocketFactory(new NoDelaySocketFactory());
        }
        o.setCleanStart(false);
        o.setSessionExpiryInterval(sessionExpiry.toSeconds());
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 30);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        o.setReceiveMaximum(receiveMaximum);
        // One subscription per client: identifiers would only add bytes to every message.
        o.setUseSubscriptionIdentifiers(false);
        if (mqtt.username() != null) {
            o.setUserName(mqtt.username());
        }
        if (mqtt.password() != null) {
            o.setPassword(mqtt.password().getBytes(StandardCharsets.UTF_8));
        }
        return o;
    }

    /**
     * Producer settings for "exactly once into Kafka": every record acknowledged by all in-sync
     * replicas, idempotent so retries through an outage never duplicate.
     */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, mqttClientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) kafkaDeliveryTimeout.toMillis());
        p.put(ProducerConfig.LINGER_MS_CONFIG, (int) kafkaLinger.toMillis());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, kafkaMaxRequestSize);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, kafkaCompression);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Consumer settings for looking up what was already written (no group, no commits). */
    public Properties lookupConsumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, mqttClientId + "-redelivery-check");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Admin settings, for creating the topics. */
    public Properties adminProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        return p;
    }

    /**
     * Sets what an embedding program decides (the broker and login, the client id, Kafka, the city,
     * the HTTP port) as typed values; {@link #build()} checks them as a start from flags would.
     */
    public static final class Builder extends ConfigBuilder<IngestConfig, Builder>
            implements MqttOptions.Setter<Builder>,
                    KafkaOptions.Setter<Builder>,
                    CityOptions.Setter<Builder> {

        private Builder() {
            super(OPTIONS, IngestConfig::from);
        }

        /**
         * A stable client id, so the broker keeps the session (and queued readings) across
         * restarts.
         */
        public Builder mqttClientId(String clientId) {
            return put(MQTT_CLIENT_ID, clientId);
        }

        /**
         * How old a reading may be ({@code --validation-max-age}): the demo raises it to cover its
         * backfill.
         */
        public Builder maxAge(Duration maxAge) {
            return put(MAX_AGE, maxAge);
        }

        /** The producer's compression codec (default lz4; see {@code --kafka-compression}). */
        public Builder kafkaCompression(String codec) {
            return put(KAFKA_COMPRESSION, codec);
        }

        /** Port of {@code /metrics} and {@code /health}, 0 for none. */
        public Builder httpPort(int port) {
            return put(HTTP_PORT, port);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "local";
        }
    }
}
