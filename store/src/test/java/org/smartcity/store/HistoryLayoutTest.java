package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.zoning.ZoneKind;

class HistoryLayoutTest {

    @Test
    void oneTypePerWindowLength() {
        assertThat(HistoryLayout.typeName("15m")).isEqualTo("city_aggregates_15m");
        assertThat(
                        HistoryLayout.typeOf(
                                TestAggregates.aggregate(
                                        Metric.PM25,
                                        ZoneKind.CITY,
                                        TestZones.CITY,
                                        TestAggregates.T0,
                                        Duration.ofDays(1),
                                        1)))
                .isEqualTo("city_aggregates_1d");
        assertThat(HistoryLayout.windowLengthOf("city_aggregates_1h")).isEqualTo("1h");
        assertThat(HistoryLayout.windowLengthOf("city_aggregates")).isNull();
        assertThat(HistoryLayout.windowLengthOf("city_aggregates_60m")).isNull();
        assertThat(HistoryLayout.windowLengthOf("city_aggregates_x")).isNull();
        assertThat(HistoryLayout.windowLengthOf("city_live")).isNull();
        assertThatThrownBy(() -> HistoryLayout.typeName("1 h"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 h");
    }

    @Test
    void longerWindowsGetLongerTimePartitions() {
        assertThat(HistoryLayout.timeScheme("1m")).isEqualTo("daily");
        assertThat(HistoryLayout.timeScheme("15m")).isEqualTo("daily");
        assertThat(HistoryLayout.timeScheme("1h")).isEqualTo("monthly");
        assertThat(HistoryLayout.timeScheme("6h")).isEqualTo("monthly");
        assertThat(HistoryLayout.timeScheme("1d")).isEqualTo("datetime");
    }

    @Test
    void theSchemeIsGeoMesasCompositeOfMetricAndTime() {
        assertThat(HistoryLayout.schemeUserData("1h"))
                .containsExactly(
                        java.util.Map.entry(
                                "geomesa.fs.scheme",
                                "{\"name\":\"attribute,monthly\",\"options\":"
                                        + "{\"partitioned-attribute\":\"metric\"}}"));
        assertThat(HistoryLayout.schemeUserData("1d").get("geomesa.fs.scheme"))
                .isEqualTo(
                        "{\"name\":\"attribute,datetime\",\"options\":"
                                + "{\"partitioned-attribute\":\"metric\",\"datetime-format\":\"yyyy\","
                                + "\"step-unit\":\"years\",\"step\":\"1\"}}");
    }

    @Test
    void aFileSystemStoreSplitsItsHistoryWhenAskedAndGivesEachTypeItsScheme() {
        assertThat(StoreConfig.FileSystem.parquet("/tmp/history").historyByWindowLength())
                .as("opt-in")
                .isFalse();
        StoreConfig.FileSystem fs =
                new StoreConfig.FileSystem(
                        "/tmp/history", "parquet", StoreConfig.FileSystem.BY_WINDOW_LENGTH);
        assertThat(fs.historyByWindowLength()).isTrue();
        assertThat(fs.featureTypeUserData("city_aggregates"))
                .isEqualTo(StoreConfig.FileSystem.parquet("/tmp/history").featureTypeUserData());
        assertThat(fs.featureTypeUserData("city_aggregates_15m"))
                .isEqualTo(HistoryLayout.schemeUserData("15m"));
        assertThat(
                        new StoreConfig.Redis("redis://localhost:6379", "smartcity")
                                .historyByWindowLength())
                .isFalse();
    }

    @Test
    void aNewHistorySplitOnCompactionIsMarkedSoAndNoOtherIs() {
        StoreConfig.FileSystem byDefault =
                new StoreConfig.FileSystem(
                        "/tmp/history", "parquet", StoreConfig.FileSystem.SPLIT_ON_COMPACTION);
        StoreConfig.FileSystem single =
                new StoreConfig.FileSystem(
                        "/tmp/history", "parquet", StoreConfig.FileSystem.SINGLE_TYPE);
        StoreConfig.FileSystem direct =
                new StoreConfig.FileSystem(
                        "/tmp/history", "parquet", StoreConfig.FileSystem.BY_WINDOW_LENGTH);

        assertThat(byDefault.featureTypeUserData("city_aggregates"))
                .containsAllEntriesOf(byDefault.featureTypeUserData())
                .containsEntry("smartcity.history.layout", "split-on-compaction")
                .containsEntry("geomesa.user-data.prefix", "smartcity");
        assertThat(single.featureTypeUserData("city_aggregates"))
                .isEqualTo(byDefault.featureTypeUserData())
                .isEqualTo(Map.of("geomesa.fs.scheme", "{\"name\":\"daily\",\"options\":{}}"));
        assertThat(direct.featureTypeUserData("city_aggregates"))
                .doesNotContainKey("smartcity.history.layout");
        assertThat(byDefault.featureTypeUserData("city_live"))
                .doesNotContainKey("smartcity.history.layout");

        assertThat(
                        HistoryLayout.splitsOnCompaction(
                                AggregateSchema.featureType(
                                        "city_aggregates",
                                        byDefault.featureTypeUserData("city_aggregates"))))
                .isTrue();
        assertThat(
                        HistoryLayout.splitsOnCompaction(
                                AggregateSchema.featureType(
                                        "city_aggregates",
                                        single.featureTypeUserData("city_aggregates"))))
                .isFalse();
    }
}
