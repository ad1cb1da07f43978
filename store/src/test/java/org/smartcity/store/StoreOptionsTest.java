package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.ConfigOption;
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

    @Test
    void aNewFileSystemHistoryIsSplitUnlessTheSingleLayoutIsAsked() {
        List<ConfigOption<?>> options = List.of(StoreOptions.HISTORY, StoreOptions.HISTORY_LAYOUT);
        assertThat(StoreOptions.history(Settings.load(options, List.of(), Map.of())))
                .contains(StoreConfig.FileSystem.parquet("data/history"));
        assertThat(
                        StoreOptions.history(
                                Settings.load(
                                        options,
                                        List.of("--store-history-layout", "single"),
                                        Map.of())))
                .contains(
                        new StoreConfig.FileSystem(
                                "data/history", "parquet", StoreConfig.FileSystem.SINGLE_TYPE));
        assertThat(
                        StoreOptions.history(
                                Settings.load(
                                        options,
                                        List.of(),
                                        Map.of(
                                                "SMARTCITY_STORE_HISTORY_LAYOUT",
                                                "single",
                                                "SMARTCITY_STORE_HISTORY",
                                                "redis://localhost:6379"))))
                .as("other stores have one type")
                .contains(new StoreConfig.Redis("redis://localhost:6379", "smartcity"));
        assertThatThrownBy(
                        () ->
                                Settings.load(
                                        options,
                                        List.of("--store-history-layout", "by-length"),
                                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--store-history-layout")
                .hasMessageContaining("split or single");
    }

    private static Settings load(String... flags) {
        return Settings.load(
                List.of(StoreOptions.HISTORY, StoreOptions.LIVE_CATALOG), List.of(flags), Map.of());
    }
}
