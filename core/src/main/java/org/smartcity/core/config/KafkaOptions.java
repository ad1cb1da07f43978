package org.smartcity.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.smartcity.core.KafkaTopics;

/**
 * The Kafka options, declared once for every runnable that talks to Kafka (the bridge, the
 * aggregation job, the dashboard): the bootstrap servers and the names of the platform's topics.
 * Each runnable lists the whole group, so one value, set once (e.g. in the {@code smartcity-kafka}
 * ConfigMap of {@code deploy/k8s}), reaches the bridge that writes a topic and every reader of it.
 */
public final class KafkaOptions {

    public static final ConfigOption<String> BOOTSTRAP =
            ConfigOption.custom(
                    "kafka.bootstrap",
                    "localhost:9092",
                    "Kafka bootstrap servers, host:port separated by commas",
                    KafkaConfig::checkBootstrap);
    public static final ConfigOption<String> READINGS_TOPIC =
            topic(
                    "kafka.readings-topic",
                    KafkaTopics.READINGS,
                    "topic of validated readings (the bridge writes it; the job and the"
                            + " dashboard read it)");
    public static final ConfigOption<String> REJECTED_TOPIC =
            topic(
                    "kafka.rejected-topic",
                    KafkaTopics.REJECTED,
                    "dead-letter topic of rejected payloads with their reason (the bridge writes"
                            + " it; the dashboard counts it)");
    public static final ConfigOption<String> LATE_TOPIC =
            topic(
                    "kafka.late-topic",
                    KafkaTopics.LATE,
                    "topic for readings beyond the allowed lateness (the job writes it)");
    public static final ConfigOption<String> ALERTS_TOPIC =
            topic(
                    "kafka.alerts-topic",
                    KafkaTopics.ALERTS,
                    "topic of alerts, compacted, keyed by alert id (for the alerts the job is to raise)");

    /** The group, in the order {@code --help} lists it. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(BOOTSTRAP, READINGS_TOPIC, REJECTED_TOPIC, LATE_TOPIC, ALERTS_TOPIC);

    private KafkaOptions() {}

    /**
     * The group's values.
     *
     * @throws ConfigException naming the flags, when two topics have the same name
     */
    public static KafkaConfig from(Settings s) {
        Map<String, ConfigOption<String>> byName = new LinkedHashMap<>();
        for (ConfigOption<String> topic :
                List.of(READINGS_TOPIC, REJECTED_TOPIC, LATE_TOPIC, ALERTS_TOPIC)) {
            ConfigOption<String> same = byName.putIfAbsent(s.get(topic), topic);
            if (same != null) {
                // Readers tell the streams apart by topic: one topic for two would mix them.
                throw new ConfigException(
                        "Invalid values for "
                                + same.flag()
                                + " and "
                                + topic.flag()
                                + ": each topic needs its own name, both are '"
                                + s.get(topic)
                                + "'");
            }
        }
        return new KafkaConfig(
                s.get(BOOTSTRAP),
                s.get(READINGS_TOPIC),
                s.get(REJECTED_TOPIC),
                s.get(LATE_TOPIC),
                s.get(ALERTS_TOPIC));
    }

    /** The defaults of the group: {@code localhost:9092} and the design's topic names. */
    public static KafkaConfig defaults() {
        return from(Settings.fromFlags(OPTIONS));
    }

    /**
     * The group's setter, for the {@link ConfigBuilder} of a runnable that lists the group.
     *
     * @param <B> the builder
     */
    public interface Setter<B> extends OptionSetter<B> {
        /** The Kafka cluster and the topic names. */
        default B kafka(KafkaConfig kafka) {
            put(BOOTSTRAP, kafka.bootstrap());
            put(READINGS_TOPIC, kafka.readingsTopic());
            put(REJECTED_TOPIC, kafka.rejectedTopic());
            put(LATE_TOPIC, kafka.lateTopic());
            return put(ALERTS_TOPIC, kafka.alertsTopic());
        }
    }

    private static ConfigOption<String> topic(String key, String name, String description) {
        return ConfigOption.custom(key, name, description, KafkaConfig::checkTopic);
    }
}
