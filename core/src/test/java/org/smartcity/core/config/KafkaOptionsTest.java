package org.smartcity.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaOptionsTest {

    private static KafkaConfig load(List<String> flags, Map<String, String> environment) {
        return KafkaOptions.from(Settings.load(KafkaOptions.OPTIONS, flags, environment));
    }

    @Test
    void defaultsToTheLocalBrokerAndTheDesignsTopicNames() {
        KafkaConfig kafka = KafkaOptions.defaults();

        assertThat(kafka)
                .isEqualTo(
                        new KafkaConfig(
                                "localhost:9092",
                                "smartcity.readings.v1",
                                "smartcity.readings.rejected.v1",
                                "smartcity.readings.late.v1",
                                "smartcity.alerts.v1"));
        assertThat(KafkaConfig.withDefaultTopics("localhost:9092")).isEqualTo(kafka);
    }

    @Test
    void flagsAndVariablesNameEachTopic() {
        assertThat(KafkaOptions.OPTIONS)
                .extracting(ConfigOption::flag)
                .containsExactly(
                        "--kafka-bootstrap",
                        "--kafka-readings-topic",
                        "--kafka-rejected-topic",
                        "--kafka-late-topic",
                        "--kafka-alerts-topic");

        KafkaConfig kafka =
                load(
                        List.of(
                                "--kafka-readings-topic",
                                "north.readings",
                                "--kafka-bootstrap=k1:9092,k2:9093"),
                        Map.of(
                                "SMARTCITY_KAFKA_REJECTED_TOPIC", "north.rejected",
                                "SMARTCITY_KAFKA_LATE_TOPIC", "north.late",
                                "SMARTCITY_KAFKA_ALERTS_TOPIC", "north.alerts"));

        assertThat(kafka)
                .isEqualTo(
                        new KafkaConfig(
                                "k1:9092,k2:9093",
                                "north.readings",
                                "north.rejected",
                                "north.late",
                                "north.alerts"));
        assertThat(kafka.withBootstrap("k3:9092").bootstrap()).isEqualTo("k3:9092");
        assertThat(kafka.withBootstrap("k3:9092").readingsTopic()).isEqualTo("north.readings");
    }

    @Test
    void aWrongValueNamesItsOption() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> load(List.of("--kafka-bootstrap", "k1:9092,kafka"), Map.of()))
                .withMessage(
                        "Invalid value 'k1:9092,kafka' for --kafka-bootstrap (flag): expected"
                                + " host:port, or several separated by commas; 'kafka' is not one");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(
                        () ->
                                load(
                                        List.of(),
                                        Map.of("SMARTCITY_KAFKA_LATE_TOPIC", "late readings")))
                .withMessage(
                        "Invalid value 'late readings' for --kafka-late-topic (environment"
                                + " SMARTCITY_KAFKA_LATE_TOPIC): expected a Kafka topic name: 1 to"
                                + " 249 letters, digits, '.', '_' or '-'");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> load(List.of("--kafka-alerts-topic="), Map.of()))
                .withMessageStartingWith("Invalid value '' for --kafka-alerts-topic (flag)");
    }

    @Test
    void twoTopicsMayNotShareAName() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(
                        () ->
                                load(
                                        List.of("--kafka-rejected-topic", "smartcity.readings.v1"),
                                        Map.of()))
                .withMessage(
                        "Invalid values for --kafka-readings-topic and --kafka-rejected-topic:"
                                + " each topic needs its own name, both are"
                                + " 'smartcity.readings.v1'");
    }

    @Test
    void aConfigGivenInCodeIsWhatTheRunnableReads() {
        KafkaConfig given = new KafkaConfig("127.0.0.1:19092", "r", "rejected", "late", "alerts");

        Settings settings = new TestBuilder(KafkaOptions.OPTIONS).kafka(given).build();

        assertThat(KafkaOptions.from(settings)).isEqualTo(given);
    }
}
