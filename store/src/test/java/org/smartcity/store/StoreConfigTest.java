package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smartcity.store.StoreConfig.Access;

class StoreConfigTest {

    @Test
    void fileSystemParametersAndPartitionScheme() {
        StoreConfig fs = new StoreConfig.FileSystem("/data/history", "Parquet", "daily,z2-2bits");

        assertThat(fs.dataStoreParams(Access.WRITE))
                .isEqualTo(Map.of("fs.path", "/data/history", "fs.encoding", "parquet"))
                .isEqualTo(fs.dataStoreParams(Access.READ));
        assertThat(fs.featureTypeUserData())
                .isEqualTo(
                        Map.of(
                                "geomesa.fs.scheme",
                                "{\"name\":\"daily,z2-2bits\",\"options\":{}}"));
        assertThat(fs.overwritesById()).isFalse();
        assertThat(StoreConfig.FileSystem.parquet("/h"))
                .isEqualTo(new StoreConfig.FileSystem("/h", "parquet", "daily"));
    }

    @Test
    void fileSystemValidation() {
        assertThatThrownBy(() -> StoreConfig.FileSystem.parquet(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path must not be blank");
        assertThatThrownBy(() -> new StoreConfig.FileSystem("/h", "csv", "daily"))
                .hasMessage("encoding must be parquet or orc, was 'csv'");
        assertThatThrownBy(() -> new StoreConfig.FileSystem("/h", "parquet", null))
                .hasMessage("partitionScheme must not be blank");
        assertThatThrownBy(() -> new StoreConfig.FileSystem("/h", "parquet", "daily\"}"))
                .hasMessage(
                        "partitionScheme must be GeoMesa scheme names separated by commas, was"
                                + " 'daily\"}'");
    }

    @Test
    void kafkaWriterIsProducerOnlyAndReaderReadsBack() {
        StoreConfig kafka =
                new StoreConfig.Kafka("k1:9092,k2:9092", "smartcity-live", 3, 2, "2 hours");

        assertThat(kafka.dataStoreParams(Access.WRITE))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "kafka.brokers", "k1:9092,k2:9092",
                                "kafka.catalog.topic", "smartcity-live",
                                "kafka.topic.partitions", "3",
                                "kafka.topic.replication", "2",
                                "kafka.consumer.count", "0"));
        assertThat(kafka.dataStoreParams(Access.READ))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "kafka.brokers", "k1:9092,k2:9092",
                                "kafka.catalog.topic", "smartcity-live",
                                "kafka.topic.partitions", "3",
                                "kafka.topic.replication", "2",
                                "kafka.consumer.read-back", "2 hours",
                                "kafka.consumer.start-on-demand", "false"));
        assertThat(kafka.featureTypeUserData())
                .isEqualTo(Map.of("kafka.topic.config", "cleanup.policy=compact"));
        assertThat(kafka.overwritesById()).isTrue();
        assertThat(StoreConfig.Kafka.local("127.0.0.1:9092", "c"))
                .isEqualTo(new StoreConfig.Kafka("127.0.0.1:9092", "c", 1, 1, "Inf"));
    }

    @Test
    void kafkaValidation() {
        assertThatThrownBy(() -> new StoreConfig.Kafka("", "c", 1, 1, "Inf"))
                .hasMessage("brokers must not be blank");
        assertThatThrownBy(() -> new StoreConfig.Kafka("b:1", "c", 0, 1, "Inf"))
                .hasMessage("topicPartitions must be at least 1, was 0");
        assertThatThrownBy(() -> new StoreConfig.Kafka("b:1", "c", 1, 0, "Inf"))
                .hasMessage("topicReplication must be at least 1, was 0");
    }

    @Test
    void redisParametersAndMaskedPassword() {
        StoreConfig redis = new StoreConfig.Redis("redis://ops:s3cret@cache:6379/1", "smartcity");

        assertThat(redis.dataStoreParams(Access.WRITE))
                .isEqualTo(
                        Map.of(
                                "redis.url", "redis://ops:s3cret@cache:6379/1",
                                "redis.catalog", "smartcity"));
        assertThat(redis.overwritesById()).isFalse();
        assertThat(redis.describe())
                .isEqualTo("Redis {redis.catalog=smartcity, redis.url=redis://****@cache:6379/1}");
    }

    @Test
    void customParametersAreUsedAsGivenWithSecretsMaskedInLogs() {
        StoreConfig hbase =
                new StoreConfig.Custom(
                        Map.of(
                                "accumulo.instance.name", "smartcity",
                                "accumulo.zookeepers", "zk1:2181",
                                "accumulo.user", "ingest",
                                "accumulo.password", "hunter2",
                                "accumulo.catalog", "smartcity.aggregates"),
                        Map.of(),
                        true);

        assertThat(hbase.dataStoreParams(Access.READ))
                .containsEntry("accumulo.password", "hunter2");
        assertThat(hbase.describe())
                .isEqualTo(
                        "Custom {accumulo.catalog=smartcity.aggregates,"
                                + " accumulo.instance.name=smartcity, accumulo.password=****,"
                                + " accumulo.user=ingest, accumulo.zookeepers=zk1:2181}");
        assertThatThrownBy(() -> new StoreConfig.Custom(Map.of(), Map.of(), true))
                .hasMessage("params must not be empty");
    }
}
