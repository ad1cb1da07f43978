package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.KafkaConfig;
import org.smartcity.core.zoning.ZoningSpec;
import org.smartcity.store.StoreConfig;

class JobConfigTest {

    @Test
    void defaultsFollowTheDesign() {
        JobConfig cfg = JobConfig.fromFlags();

        assertThat(cfg.kafkaBootstrap()).isEqualTo("localhost:9092");
        assertThat(cfg.readingsTopic()).isEqualTo(KafkaTopics.READINGS);
        assertThat(cfg.lateTopic()).isEqualTo(KafkaTopics.LATE);
        assertThat(cfg.aggregatesTopic()).isEqualTo("smartcity.aggregates.v1");
        assertThat(cfg.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(cfg.windowLengths())
                .containsExactly(
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(15),
                        Duration.ofHours(1),
                        Duration.ofDays(1));
        assertThat(cfg.aggregation().timeZone()).isEqualTo(cfg.city().timeZone());
        assertThat(cfg.outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(cfg.allowedLateness()).isEqualTo(Duration.ofMinutes(10));
        assertThat(cfg.correctionInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(cfg.zoning().cityId()).isEqualTo("kunming");
        assertThat(cfg.zoning().h3Resolution()).isEqualTo(8);
        assertThat(cfg.zoning().districts()).isEqualTo(ZoningSpec.KUNMING_DISTRICTS);
        assertThat(cfg.parallelism()).isZero();
        assertThat(cfg.aggregation().windowLengths()).isEqualTo(cfg.windowLengths());
        assertThat(cfg.aggregation().correctionInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void takesFlags() {
        JobConfig cfg =
                JobConfig.fromFlags(
                        "--kafka-bootstrap=127.0.0.1:19092",
                        "--window-lengths",
                        "1h, 30s ,PT5M",
                        "--window-allowed-lateness=2m",
                        "--window-correction-interval=250ms",
                        "--zoning-h3-resolution=9",
                        "--zoning-districts=none",
                        "--kafka-aggregates-topic=",
                        "--kafka-delivery-guarantee=exactly-once",
                        "--parallelism=4");

        assertThat(cfg.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(cfg.windowLengths())
                .containsExactly(
                        Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(1));
        assertThat(cfg.allowedLateness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(cfg.aggregation().correctionInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(cfg.zoning().h3Resolution()).isEqualTo(9);
        assertThat(cfg.zoning().districts()).isNull();
        assertThat(cfg.aggregatesTopic()).isEmpty();
        assertThat(cfg.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(cfg.parallelism()).isEqualTo(4);
    }

    @Test
    void namesTheFlagOfAWrongValue() {
        assertThatThrownBy(() -> JobConfig.fromFlags("--window-lengths=1m,90s"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--window-lengths")
                .hasMessageContaining("multiple of the shortest");
        assertThatThrownBy(() -> JobConfig.fromFlags("--window-lengths=1m,soon"))
                .hasMessageContaining("--window-lengths")
                .hasMessageContaining("'soon'");
        assertThatThrownBy(() -> JobConfig.fromFlags("--zoning-h3-resolution=16"))
                .hasMessageContaining("--zoning-h3-resolution");
        assertThatThrownBy(() -> JobConfig.fromFlags("--kafka-delivery-guarantee=maybe"))
                .hasMessageContaining("--kafka-delivery-guarantee");
        assertThatThrownBy(() -> JobConfig.fromFlags("--city-bbox=1,2,3"))
                .hasMessageContaining("--city-bbox");
        assertThatThrownBy(() -> JobConfig.fromFlags("--window-correction-interval=0s"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--window-correction-interval");
    }

    @Test
    void producerSettingsFitTheBrokersTransactionCeiling() {
        JobConfig cfg = JobConfig.fromFlags();

        assertThat(cfg.producerProperties())
                .containsEntry("acks", "all")
                .containsEntry("transaction.timeout.ms", "900000");
        assertThat(cfg.consumerProperties()).containsEntry("enable.auto.commit", "false");
    }

    @Test
    void everyOptionIsListedForHelp() {
        assertThat(JobConfig.OPTIONS)
                .extracting(o -> o.key())
                .doesNotHaveDuplicates()
                .contains(
                        "kafka.bootstrap",
                        "window.lengths",
                        "zoning.districts",
                        "store.history",
                        "store.history-layout",
                        "store.live-catalog",
                        "kafka.readings-topic",
                        "kafka.rejected-topic",
                        "kafka.late-topic",
                        "kafka.alerts-topic",
                        "city.timezone",
                        "alert-rules");
        // 21, and the groups' kafka.rejected-topic, kafka.alerts-topic and city.timezone.
        assertThat(List.copyOf(JobConfig.OPTIONS)).hasSize(24);
    }

    @Test
    void storesDefaultToTheFileSystemHistoryAndTheLiveLayerOnTheJobsKafka() {
        JobConfig cfg = JobConfig.fromFlags("--kafka-bootstrap", "kafka-1:9092");

        assertThat(cfg.historyStore()).contains(StoreConfig.FileSystem.parquet("data/history"));
        assertThat(cfg.liveStore())
                .contains(StoreConfig.Kafka.local("kafka-1:9092", "smartcity-live"));
        assertThat(JobConfig.fromFlags("--store-history", "none", "--store-live-catalog", "none"))
                .satisfies(
                        none -> {
                            assertThat(none.historyStore()).isEmpty();
                            assertThat(none.liveStore()).isEmpty();
                        });
    }

    @Test
    void takesItsTopicsAndTimeZoneFromTheSharedGroups() {
        JobConfig cfg =
                JobConfig.fromFlags(
                        "--kafka-readings-topic=north.readings",
                        "--kafka-late-topic=north.late",
                        "--city-timezone=Europe/Paris");

        assertThat(cfg.readingsTopic()).isEqualTo("north.readings");
        assertThat(cfg.lateTopic()).isEqualTo("north.late");
        assertThat(cfg.kafka().alertsTopic()).isEqualTo(KafkaTopics.ALERTS);
        assertThat(cfg.city().timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }

    @Test
    void aJobConfiguredInCodeChecksAsOneFromFlags() {
        KafkaConfig kafka = KafkaConfig.withDefaultTopics("kafka-1:9092");

        JobConfig cfg =
                JobConfig.builder()
                        .kafka(kafka)
                        .checkpointInterval(Duration.ofSeconds(10))
                        .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .history(Optional.empty())
                        .liveCatalog("live-2")
                        .build();

        assertThat(cfg.kafka()).isEqualTo(kafka);
        assertThat(cfg.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(cfg.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(JobConfig.builder().build().deliveryGuarantee())
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(cfg.historyStore()).isEmpty();
        assertThat(cfg.liveStore()).contains(StoreConfig.Kafka.local("kafka-1:9092", "live-2"));
        assertThatThrownBy(
                        () -> JobConfig.builder().checkpointInterval(Duration.ofMillis(5)).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value for --checkpoint-interval: at least 10ms");
    }
}
