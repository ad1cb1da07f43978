package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smartcity.core.BoundingBox;
import org.smartcity.core.CityArea;
import org.smartcity.core.config.CityConfig;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.KafkaConfig;
import org.smartcity.core.config.MqttConfig;
import org.smartcity.core.config.Settings;

/** The bridge's options that are part of its contract. */
class IngestConfigTest {

    @Test
    void subscribesToEveryTopicUnderCitySoWrongShapesAreDeadLettered() {
        assertThat(IngestConfig.fromFlags().subscription()).isEqualTo("$share/ingest/city/#");
    }

    @Test
    void theFormerSubscriptionIsDroppedUnlessItIsTheConfiguredOne() {
        assertThat(IngestConfig.fromFlags().legacySubscription())
                .isEqualTo("$share/ingest/city/+/+/+");
        assertThat(IngestConfig.fromFlags("--mqtt-topic-filter", "city/+/+/+").legacySubscription())
                .isNull();
    }

    @Test
    void theGroupAndTheFilterCanBeChanged() {
        IngestConfig config =
                IngestConfig.fromFlags(
                        "--mqtt-share-group", "north", "--mqtt-topic-filter", "city/kunming/#");

        assertThat(config.subscription()).isEqualTo("$share/north/city/kunming/#");
    }

    @Test
    void httpListensOnLoopbackUnlessTold() {
        assertThat(IngestConfig.fromFlags().httpBind()).isEqualTo("127.0.0.1");
        assertThat(IngestConfig.fromFlags("--http-bind", "0.0.0.0").httpBind())
                .isEqualTo("0.0.0.0");
        assertThat(
                        IngestConfig.from(
                                        Settings.load(
                                                IngestConfig.OPTIONS,
                                                List.of(),
                                                Map.of("SMARTCITY_HTTP_BIND", "0.0.0.0")))
                                .httpBind())
                .isEqualTo("0.0.0.0");
    }

    @Test
    void theProducerTakesTheConfiguredRecordSize() {
        assertThat(IngestConfig.fromFlags().producerProperties().get("max.request.size"))
                .isEqualTo(1024 * 1024);
        assertThat(
                        IngestConfig.fromFlags("--kafka-max-request-size", "65536")
                                .producerProperties()
                                .get("max.request.size"))
                .isEqualTo(65536);
    }

    @Test
    void theProducerCompressesWithLz4UnlessTold() {
        assertThat(IngestConfig.fromFlags().producerProperties().get("compression.type"))
                .isEqualTo("lz4");
        assertThat(
                        IngestConfig.fromFlags("--kafka-compression", "NONE")
                                .producerProperties()
                                .get("compression.type"))
                .isEqualTo("none");
        assertThat(
                        IngestConfig.builder()
                                .kafkaCompression("zstd")
                                .build()
                                .producerProperties()
                                .get("compression.type"))
                .isEqualTo("zstd");
        assertThatThrownBy(() -> IngestConfig.fromFlags("--kafka-compression", "brotli"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka-compression");
    }

    @Test
    void listsTheSharedGroupsOptions() {
        assertThat(IngestConfig.OPTIONS)
                .extracting(o -> o.flag())
                .doesNotHaveDuplicates()
                .contains(
                        "--mqtt-url",
                        "--mqtt-username",
                        "--mqtt-password",
                        "--kafka-bootstrap",
                        "--kafka-readings-topic",
                        "--kafka-rejected-topic",
                        "--kafka-late-topic",
                        "--kafka-alerts-topic",
                        "--city-id",
                        "--city-bbox",
                        "--city-timezone");
    }

    @Test
    void aBridgeConfiguredInCodeChecksAsOneFromFlags() {
        MqttConfig mqtt = new MqttConfig("tcp://127.0.0.1:18830", "bridge", "s3cret");
        KafkaConfig kafka = KafkaConfig.withDefaultTopics("127.0.0.1:19092");
        CityConfig city =
                new CityConfig(
                        "dali",
                        BoundingBox.ofEdges(25.5, 100.1, 25.8, 100.4),
                        ZoneId.of("Asia/Shanghai"));

        IngestConfig config =
                IngestConfig.builder()
                        .mqtt(mqtt)
                        .mqttClientId("bridge-1")
                        .kafka(kafka)
                        .city(city)
                        .httpPort(0)
                        .build();

        assertThat(config.mqtt()).isEqualTo(mqtt);
        assertThat(config.mqttClientId()).isEqualTo("bridge-1");
        assertThat(config.kafka()).isEqualTo(kafka);
        assertThat(config.city()).isEqualTo(city);
        assertThat(config.validation().area())
                .isEqualTo(new CityArea("dali", 25.5, 100.1, 25.8, 100.4));
        assertThat(config.httpPort()).isZero();
        assertThat(config.producerProperties().get("bootstrap.servers"))
                .isEqualTo("127.0.0.1:19092");
        assertThat(config.connectionOptions().getUserName()).isEqualTo("bridge");
        assertThatThrownBy(() -> IngestConfig.builder().httpPort(65536))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Invalid value '65536' for --http-port (set in code): expected an integer"
                                + " from 0 to 65535");
    }
}
