package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.geotools.api.data.DataStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryLayout;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoredAggregate;
import org.smartcity.store.TestAggregates;
import org.smartcity.store.TestZones;

/**
 * The FileSystem history's layout by window length, metric and time ({@link HistoryLayout}) against
 * the single daily-partitioned type it replaces: the same writes (first emissions, late
 * corrections, a replay) must give the same answer to every query, and a data directory of the old
 * layout written on with the new one must still show each window once at its newest revision.
 */
class HistoryLayoutIT {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    private static final Instant FIRST = Instant.parse("2026-12-01T02:00:00Z");
    private static final Instant CORRECTED = Instant.parse("2026-12-01T02:05:00Z");
    private static final Instant REPLAYED = Instant.parse("2026-12-01T02:09:00Z");

    @TempDir Path dir;

    /** The default layout: one type, daily partitions. */
    private static StoreConfig oldLayout(Path root) {
        return new StoreConfig.Custom(
                Map.of("fs.path", root.toUri().toString(), "fs.encoding", "parquet"),
                Map.of("geomesa.fs.scheme", "{\"name\":\"daily\",\"options\":{}}"),
                false);
    }

    private static StoreConfig newLayout(Path root) {
        return new StoreConfig.FileSystem(
                root.toUri().toString(), "parquet", StoreConfig.FileSystem.BY_WINDOW_LENGTH);
    }

    private static void runJob(StoreConfig store, Instant now, List<ZoneAggregate> aggregates)
            throws Exception {
        HistoryJobs.run(HistoryJobs.historySink(store, now).batchSize(7), aggregates);
    }

    /**
     * Windows of every length across a month's and a year's end, of two metrics and every zone
     * kind: each length lands in its own type and time partitions.
     */
    private static List<ZoneAggregate> firstEmissions() {
        List<ZoneAggregate> out = new ArrayList<>();
        Map<Duration, List<String>> starts =
                Map.of(
                        Duration.ofMinutes(1),
                        List.of("2026-11-30T23:59:00Z", "2026-12-01T00:00:00Z"),
                        Duration.ofMinutes(15),
                        List.of("2026-11-30T23:45:00Z", "2026-12-01T00:00:00Z"),
                        Duration.ofHours(1),
                        List.of(
                                "2026-11-30T23:00:00Z", "2026-12-01T00:00:00Z",
                                "2026-12-31T23:00:00Z", "2027-01-01T00:00:00Z"),
                        Duration.ofDays(1),
                        List.of("2026-11-29T16:00:00Z", "2026-12-31T16:00:00Z"));
        for (Map.Entry<Duration, List<String>> e : starts.entrySet()) {
            out.addAll(
                    TestAggregates.firstEmissions(
                            e.getValue().stream().map(Instant::parse).toList(),
                            List.of(e.getKey()),
                            List.of(Metric.PM25, Metric.NO2),
                            TestZones.ALL));
        }
        return out;
    }

    /** Queries on every filter the history has, alone and combined, closed and open ranges. */
    private static List<HistoryQuery> queries() {
        Instant from = Instant.parse("2026-11-30T23:50:00Z");
        Instant to = Instant.parse("2026-12-01T00:30:00Z");
        return List.of(
                HistoryQuery.all(),
                HistoryQuery.all().metric(Metric.PM25),
                HistoryQuery.all().zoneKind(ZoneKind.DISTRICT),
                HistoryQuery.all().zoneId(TestZones.PANLONG),
                HistoryQuery.all().windowLength("1m"),
                HistoryQuery.all().windowLength("1h"),
                HistoryQuery.all().windowLength("1d"),
                HistoryQuery.all().windowLength("30m"),
                HistoryQuery.all().windowsStarting(from, to),
                HistoryQuery.all().windowsStarting(from, null),
                HistoryQuery.all().windowsStarting(null, to),
                HistoryQuery.all().bbox(102.80, 25.00, 102.90, 25.20),
                HistoryQuery.all()
                        .metric(Metric.NO2)
                        .zoneKind(ZoneKind.CITY)
                        .windowLength("15m")
                        .windowsStarting(from, to),
                HistoryQuery.all()
                        .metric(Metric.PM25)
                        .zoneKind(ZoneKind.DISTRICT)
                        .zoneId(TestZones.WUHUA)
                        .windowLength("1h")
                        .windowsStarting(
                                Instant.parse("2026-11-01T00:00:00Z"),
                                Instant.parse("2027-02-01T00:00:00Z")));
    }

    @Test
    void theNewLayoutAnswersEveryQueryAsTheOldOneDid() throws Exception {
        List<ZoneAggregate> first = firstEmissions();
        List<ZoneAggregate> corrected = TestAggregates.corrections(first, 3);
        Path oldRoot = dir.resolve("old");
        Path newRoot = dir.resolve("new");
        for (StoreConfig store : List.of(oldLayout(oldRoot), newLayout(newRoot))) {
            runJob(store, FIRST, first);
            runJob(store, CORRECTED, corrected);
            // A replay after a failure writes the corrections again.
            runJob(store, REPLAYED, corrected);
        }
        Map<String, StoredAggregate> expected =
                TestAggregates.newest(first, FIRST, corrected, REPLAYED);

        DataStore before = DataStores.open(oldLayout(oldRoot), StoreConfig.Access.READ);
        DataStore after = DataStores.open(newLayout(newRoot), StoreConfig.Access.READ);
        try {
            assertThat(HistoryLayout.typesToRead(after, null))
                    .containsExactly(
                            "city_aggregates",
                            "city_aggregates_15m",
                            "city_aggregates_1d",
                            "city_aggregates_1h",
                            "city_aggregates_1m");
            assertThat(
                            HistoryQueries.latest(
                                    after, AggregateSchema.HISTORY_TYPE, HistoryQuery.all()))
                    .containsExactlyInAnyOrderElementsOf(expected.values());
            for (HistoryQuery q : queries()) {
                List<StoredAggregate> old =
                        HistoryQueries.latest(before, AggregateSchema.HISTORY_TYPE, q);
                assertThat(HistoryQueries.latest(after, AggregateSchema.HISTORY_TYPE, q))
                        .as("%s", q)
                        .containsExactlyElementsOf(old);
            }
        } finally {
            before.dispose();
            after.dispose();
        }
        // One type per length, partitioned by metric, then daily / monthly / yearly (GeoMesa
        // keeps the last level of a partition as the files' name prefix).
        assertThat(parquetFiles(newRoot))
                .anyMatch(f -> f.startsWith("city_aggregates_1m/pm25/2026/11/30"))
                .anyMatch(f -> f.startsWith("city_aggregates_15m/no2/2026/12/01"))
                .anyMatch(f -> f.startsWith("city_aggregates_1h/pm25/2026/12_"))
                .anyMatch(f -> f.startsWith("city_aggregates_1h/pm25/2027/01_"))
                .anyMatch(f -> f.startsWith("city_aggregates_1d/no2/2026_"))
                .noneMatch(f -> f.startsWith("city_aggregates/"));
    }

    /** The Parquet files under {@code root}, relative, with forward slashes. */
    private static List<String> parquetFiles(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".parquet"))
                    .map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .toList();
        }
    }

    @Test
    void aDataDirectoryOfTheOldLayoutKeepsWorkingWhenWrittenOnWithTheNew() throws Exception {
        List<ZoneAggregate> first = firstEmissions();
        List<ZoneAggregate> corrected = TestAggregates.corrections(first, 3);
        Path root = dir.resolve("demo");
        runJob(oldLayout(root), FIRST, first);
        runJob(newLayout(root), CORRECTED, corrected);
        runJob(newLayout(root), REPLAYED, corrected);

        DataStore history = DataStores.open(newLayout(root), StoreConfig.Access.READ);
        try {
            assertThat(
                            HistoryQueries.latest(
                                    history, AggregateSchema.HISTORY_TYPE, HistoryQuery.all()))
                    .containsExactlyInAnyOrderElementsOf(
                            TestAggregates.newest(first, FIRST, corrected, REPLAYED).values());
        } finally {
            history.dispose();
        }
    }
}
