package org.smartcity.core.config;

import java.util.regex.Pattern;
import org.smartcity.core.KafkaTopics;

/**
 * Where the platform's Kafka is and what its topics are called: the typed value of {@link
 * KafkaOptions}, validated when made.
 *
 * @param bootstrap bootstrap servers, {@code host:port} separated by commas
 * @param readingsTopic validated readings: the bridge writes it, the job and the dashboard read it
 * @param rejectedTopic the dead-letter topic: the bridge writes it, the dashboard counts it
 * @param lateTopic readings beyond the allowed lateness: the job writes it
 * @param alertsTopic alerts (compacted, keyed by alert id), for the alerts the job is to raise
 */
public record KafkaConfig(
        String bootstrap,
        String readingsTopic,
        String rejectedTopic,
        String lateTopic,
        String alertsTopic) {

    /** Kafka's own rule for topic names (its {@code Topic.validate}). */
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    /** {@code host:port}, the host possibly an IPv6 address in brackets. */
    private static final Pattern SERVER = Pattern.compile("\\S+:\\d{1,5}");

    public KafkaConfig {
        checkBootstrap(bootstrap);
        checkTopic(readingsTopic);
        checkTopic(rejectedTopic);
        checkTopic(lateTopic);
        checkTopic(alertsTopic);
    }

    /**
     * The default topic names of {@link KafkaOptions} ({@link KafkaTopics}) on {@code bootstrap}.
     */
    public static KafkaConfig withDefaultTopics(String bootstrap) {
        return KafkaOptions.defaults().withBootstrap(bootstrap);
    }

    /** The same topics on other servers. */
    public KafkaConfig withBootstrap(String servers) {
        return new KafkaConfig(servers, readingsTopic, rejectedTopic, lateTopic, alertsTopic);
    }

    /**
     * Checks a bootstrap server list.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    static String checkBootstrap(String servers) {
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException(
                    "expected host:port, or several separated by commas");
        }
        for (String server : servers.split(",", -1)) {
            if (!SERVER.matcher(server.trim()).matches()) {
                throw new IllegalArgumentException(
                        "expected host:port, or several separated by commas; '"
                                + server.trim()
                                + "' is not one");
            }
        }
        return servers;
    }

    /**
     * Checks a topic name against Kafka's rule.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    static String checkTopic(String name) {
        if (name == null || !TOPIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "expected a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'");
        }
        return name;
    }
}
