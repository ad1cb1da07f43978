package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.Settings;

class StoreOptionsTest {

    @Test
    void aDirectoryOrHadoopUriIsAFileSystemStore() {
        assertThat(StoreOptions.parseHistory("data/history"))
                .contains(StoreConfig.FileSystem.parquet("data/history"));
        assertThat(StoreOptions.parseHistory(" s3a://bucket/smartcity "))
                .contains(StoreConfig.FileSystem.parquet("s3a://bucket/smartcity"));
    }

    @Test
    void redisUrlIsARedisStore() {
        assertThat(StoreOptions.parseHistory("redis://localhost:6379"))
                .contains(new StoreConfig.Redis("redis://localhost:6379", "smartcity"));
    }

    @Test
    void geomesaParametersAreACustomStore() {
        assertThat(
                        StoreOptions.parseHistory(
                                "geomesa:hbase.catalog=smartcity; hbase.zookeepers=zk1:2181,zk2:2181;"))
                .contains(
                        new StoreConfig.Custom(
                                Map.of(
                                        "hbase.catalog", "smartcity",
                                        "hbase.zookeepers", "zk1:2181,zk2:2181"),
                                Map.of(),
                                false));
    }

    @Test
    void noneTurnsAStoreOff() {
        assertThat(StoreOptions.parseHistory("NONE")).isEmpty();
        assertThat(StoreOptions.live("localhost:9092", "none")).isEmpty();
        assertThat(StoreOptions.live("localhost:9092", "smartcity-live"))
                .isEqualTo(
                        Optional.of(StoreConfig.Kafka.local("localhost:9092", "smartcity-live")));
    }

    @Test
    void badValuesNameTheFlag() {
        assertThatThrownBy(() -> load("--store-history", "geomesa:no-equals-sign"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--store-history")
                .hasMessageContaining("no-equals-sign");
        assertThatThrownBy(() -> load("--store-live-catalog", "two words"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--store-live-catalog");
    }

    private static Settings load(String... flags) {
        return Settings.load(
                List.of(StoreOptions.HISTORY, StoreOptions.LIVE_CATALOG), List.of(flags), Map.of());
    }
}
