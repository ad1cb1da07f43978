package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.geotools.api.data.DataStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;

/**
 * The layout split on compaction (issue 10): the sink writes into {@value
 * AggregateSchema#HISTORY_TYPE} as before, and compaction moves each finished day into the
 * per-length types ({@link HistoryLayout}). Against a store that keeps the single type ({@link
 * StoreConfig.FileSystem#SINGLE_TYPE}), written the same way: every query answers the same before,
 * during and after the move, after a move that crashed at any step, and after a late correction.
 */
class HistorySplitIT {

    private static final Instant FIRST = Instant.parse("2026-12-01T02:00:00Z");
    private static final Instant CORRECTED = Instant.parse("2026-12-01T02:05:00Z");
    private static final Instant LATE = Instant.parse("2026-12-02T09:00:00Z");

    @TempDir Path dir;

    /** Windows of four lengths over two days (a month's end), two metrics, three zones. */
    private static List<ZoneAggregate> firstEmissions() {
        return TestAggregates.firstEmissions(
                List.of(
                        Instant.parse("2026-11-30T16:00:00Z"),
                        Instant.parse("2026-12-01T03:00:00Z")),
                List.of(
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(15),
                        Duration.ofHours(1),
                        Duration.ofDays(1)),
                List.of(Metric.PM25, Metric.NO2),
                List.of(
                        new TestZones.Zone(ZoneKind.DISTRICT, TestZones.WUHUA),
                        new TestZones.Zone(ZoneKind.CITY, TestZones.CITY),
                        new TestZones.Zone(ZoneKind.H3, TestZones.CELL)));
    }

    /** Writes as the sink does with either configuration: batches of 11 into the single type. */
    private static void write(DataStore store, List<ZoneAggregate> rows, Instant updated)
            throws Exception {
        int batch = 11;
        for (int from = 0; from < rows.size(); from += batch) {
            TestAggregates.append(
                    store,
                    AggregateSchema.HISTORY_TYPE,
                    rows.subList(from, Math.min(rows.size(), from + batch)),
                    updated);
        }
    }

    private static List<HistoryQuery> queries() {
        return List.of(
                HistoryQuery.all(),
                HistoryQuery.all().metric(Metric.NO2),
                HistoryQuery.all().zoneKind(ZoneKind.CITY).windowLength("1d"),
                HistoryQuery.all().zoneId(TestZones.WUHUA).windowLength("1h"),
                HistoryQuery.all()
                        .windowsStarting(
                                Instant.parse("2026-11-30T20:00:00Z"),
                                Instant.parse("2026-12-01T03:00:00Z")),
                HistoryQuery.all().windowsStarting(Instant.parse("2026-12-01T00:00:00Z"), null),
                HistoryQuery.all().bbox(102.80, 25.00, 102.90, 25.20).metric(Metric.PM25));
    }

    private static List<List<StoredAggregate>> answers(DataStore store) throws Exception {
        List<List<StoredAggregate>> out = new ArrayList<>();
        for (HistoryQuery q : queries()) {
            out.add(HistoryQueries.latest(store, AggregateSchema.HISTORY_TYPE, q));
        }
        return out;
    }

    private DataStore written(String name, String scheme) throws Exception {
        StoreConfig config =
                new StoreConfig.FileSystem(dir.resolve(name).toUri().toString(), "parquet", scheme);
        DataStore store =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.WRITE, AggregateSchema.HISTORY_TYPE);
        writeEmissions(store);
        return store;
    }

    /** The first emissions, then a quarter of them corrected, twice (a replay). */
    private static void writeEmissions(DataStore store) throws Exception {
        List<ZoneAggregate> first = firstEmissions();
        List<ZoneAggregate> corrected = TestAggregates.corrections(first, 4);
        write(store, first, FIRST);
        write(store, corrected, CORRECTED);
        write(store, corrected, CORRECTED);
    }

    /** {@link TestCompactions#listedFiles} as {@code type:partition=files}. */
    private static List<String> listed(DataStore store) throws Exception {
        return TestCompactions.listedFiles(store).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList();
    }

    private long parquetFiles(String name) throws Exception {
        return TestCompactions.parquetFiles(dir.resolve(name));
    }

    @Test
    void aNewStoreSplitsByWindowLengthOnCompactionAndAnswersAsTheSingleType() throws Exception {
        DataStore single = written("single", StoreConfig.FileSystem.SINGLE_TYPE);
        DataStore split = written("split", StoreConfig.FileSystem.SPLIT_ON_COMPACTION);
        try {
            List<List<StoredAggregate>> expected = answers(single);
            assertThat(expected.get(0)).hasSize(firstEmissions().size());
            assertThat(answers(split)).isEqualTo(expected);
            assertThat(HistoryLayout.splitsOnCompaction(split.getSchema("city_aggregates")))
                    .isTrue();
            assertThat(HistoryLayout.splitsOnCompaction(single.getSchema("city_aggregates")))
                    .isFalse();

            Instant now = Instant.now();
            HistoryCompactor.Result r = TestCompactions.at(now).run(split);
            TestCompactions.at(now).run(single);

            assertThat(r.rowsWritten()).as("each window once").isEqualTo(firstEmissions().size());
            // 1m and 15m by metric and day, 1h by metric and month, 1d by metric and year; the
            // single type's days are unlisted. The year of 1d got a file from each day moved.
            assertThat(listed(split))
                    .containsExactlyInAnyOrder(
                            "city_aggregates_15m:no2/2026/11/30=1",
                            "city_aggregates_15m:no2/2026/12/01=1",
                            "city_aggregates_15m:pm25/2026/11/30=1",
                            "city_aggregates_15m:pm25/2026/12/01=1",
                            "city_aggregates_1d:no2/2026=2",
                            "city_aggregates_1d:pm25/2026=2",
                            "city_aggregates_1h:no2/2026/11=1",
                            "city_aggregates_1h:no2/2026/12=1",
                            "city_aggregates_1h:pm25/2026/11=1",
                            "city_aggregates_1h:pm25/2026/12=1",
                            "city_aggregates_1m:no2/2026/11/30=1",
                            "city_aggregates_1m:no2/2026/12/01=1",
                            "city_aggregates_1m:pm25/2026/11/30=1",
                            "city_aggregates_1m:pm25/2026/12/01=1");
            assertThat(r.partitions()).isEqualTo(16);
            assertThat(answers(split)).isEqualTo(expected);
            // Once quiet, such a partition is compacted in place.
            assertThat(TestCompactions.at(now.plusSeconds(60)).run(split).partitions())
                    .isEqualTo(2);
            assertThat(listed(split)).hasSize(14).allMatch(p -> p.endsWith("=1"));
            assertThat(listed(single))
                    .containsExactlyInAnyOrder(
                            "city_aggregates:2026/11/30=1", "city_aggregates:2026/12/01=1");
            assertThat(answers(split)).isEqualTo(expected);

            // A store opened afresh (the dashboard, a restarted job) reads the same layout.
            DataStore reopened =
                    DataStores.open(
                            StoreConfig.FileSystem.parquet(dir.resolve("split").toUri().toString()),
                            StoreConfig.Access.READ);
            try {
                assertThat(HistoryLayout.splitsOnCompaction(reopened.getSchema("city_aggregates")))
                        .isTrue();
                assertThat(answers(reopened)).isEqualTo(expected);
            } finally {
                reopened.dispose();
            }

            // A late correction of a moved day lands in the single type and wins at once; the
            // next compaction moves it next to the older revision, which it replaces.
            ZoneAggregate late = TestAggregates.revised(firstEmissions().get(5), 3);
            write(split, List.of(late), LATE);
            write(single, List.of(late), LATE);
            List<List<StoredAggregate>> afterLate = answers(single);
            assertThat(afterLate.get(0)).contains(TestAggregates.stored(late, LATE));
            assertThat(answers(split)).isEqualTo(afterLate);
            TestCompactions.at(now.plusSeconds(120)).run(split);
            TestCompactions.at(now.plusSeconds(120)).run(split);
            assertThat(answers(split)).isEqualTo(afterLate);
            assertThat(listed(split)).allMatch(p -> p.endsWith("=1"));

            // Past the grace period the replaced files go.
            TestCompactions.at(now.plus(TestCompactions.GRACE).plusSeconds(60)).run(split);
            assertThat(parquetFiles("split")).isEqualTo(listed(split).size());
            assertThat(answers(split)).isEqualTo(afterLate);
        } finally {
            single.dispose();
            split.dispose();
        }
    }

    @Test
    void aMoveThatCrashedAtAnyStepLosesNothingAndIsFinishedByTheNext() throws Exception {
        DataStore single = written("reference", StoreConfig.FileSystem.SINGLE_TYPE);
        List<List<StoredAggregate>> expected;
        try {
            expected = answers(single);
        } finally {
            single.dispose();
        }
        for (HistoryCompactor.Step step : HistoryCompactor.Step.values()) {
            String name = "crash-" + step;
            DataStore split = written(name, StoreConfig.FileSystem.SPLIT_ON_COMPACTION);
            try {
                Instant now = Instant.now();
                assertThatThrownBy(() -> TestCompactions.crashingAt(now, step).run(split))
                        .isInstanceOf(HistoryCompactor.Crash.class);
                assertThat(answers(split)).as("%s", step).isEqualTo(expected);

                TestCompactions.runAfterCrash(split, now);
                assertThat(answers(split)).as("%s", step).isEqualTo(expected);
                List<String> listed = listed(split);
                assertThat(listed).as("%s", step).allMatch(p -> p.endsWith("=1"));
                assertThat(listed).as("%s", step).noneMatch(p -> p.startsWith("city_aggregates:"));
                assertThat(parquetFiles(name)).as("%s", step).isEqualTo(listed.size());
            } finally {
                split.dispose();
            }
        }
    }

    /**
     * The split is the default of a new store only: a store created before it, with the single type
     * (type user data as {@code FileSystem.parquet} gave it then: the daily scheme, no layout
     * mark), opened with today's default configuration keeps its single type, answers as before and
     * is compacted in place; a store created now with the same configuration is split.
     */
    @Test
    void theDefaultSplitsNewStoresOnlyAndAnOlderSingleTypeStoreKeepsItsLayout() throws Exception {
        DataStore reference = written("reference", StoreConfig.FileSystem.SINGLE_TYPE);
        String olderUri = dir.resolve("older").toUri().toString();
        StoreConfig.FileSystem byDefault = StoreConfig.FileSystem.parquet(olderUri);
        DataStore created = DataStores.open(byDefault, StoreConfig.Access.WRITE);
        try {
            created.createSchema(
                    AggregateSchema.featureType(
                            AggregateSchema.HISTORY_TYPE,
                            Map.of(
                                    StoreConfig.FileSystem.SCHEME_KEY,
                                    "{\"name\":\"daily\",\"options\":{}}")));
        } finally {
            created.dispose();
        }
        DataStore older =
                DataStores.openWithSchema(
                        byDefault, StoreConfig.Access.WRITE, AggregateSchema.HISTORY_TYPE);
        DataStore fresh = written("fresh", StoreConfig.FileSystem.DEFAULT_SCHEME);
        try {
            writeEmissions(older);
            List<List<StoredAggregate>> expected = answers(reference);

            assertThat(HistoryLayout.splitsOnCompaction(older.getSchema("city_aggregates")))
                    .isFalse();
            assertThat(HistoryLayout.splitsOnCompaction(fresh.getSchema("city_aggregates")))
                    .isTrue();
            assertThat(answers(older)).isEqualTo(expected);
            assertThat(answers(fresh)).isEqualTo(expected);

            Instant now = Instant.now();
            TestCompactions.at(now).run(older);
            TestCompactions.at(now).run(fresh);
            assertThat(listed(older))
                    .containsExactlyInAnyOrder(
                            "city_aggregates:2026/11/30=1", "city_aggregates:2026/12/01=1");
            assertThat(listed(fresh)).noneMatch(p -> p.startsWith("city_aggregates:"));
            assertThat(answers(older)).isEqualTo(expected);
            assertThat(answers(fresh)).isEqualTo(expected);

            DataStore reopened =
                    DataStores.openWithSchema(
                            byDefault, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
            try {
                assertThat(HistoryLayout.splitsOnCompaction(reopened.getSchema("city_aggregates")))
                        .isFalse();
                assertThat(HistoryLayout.typesToRead(reopened, null))
                        .containsExactly("city_aggregates");
                assertThat(answers(reopened)).isEqualTo(expected);
            } finally {
                reopened.dispose();
            }
        } finally {
            reference.dispose();
            older.dispose();
            fresh.dispose();
        }
    }
}
