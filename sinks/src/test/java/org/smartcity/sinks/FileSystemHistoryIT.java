package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.Query;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryLayout;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoredAggregate;
import org.smartcity.store.TestAggregates;
import org.smartcity.store.TestZones;

/**
 * The history sink against GeoMesa's FileSystem data store (Parquet in a temporary directory), run
 * inside Flink jobs, and read back through {@link HistoryQueries}.
 */
class FileSystemHistoryIT {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    @TempDir Path dir;

    private StoreConfig store() {
        return StoreConfig.FileSystem.parquet(dir.resolve("history").toUri().toString());
    }

    /** Runs one Flink job that writes {@code aggregates} to the history, stamped {@code now}. */
    private void runJob(Instant now, List<ZoneAggregate> aggregates) throws Exception {
        runJob(now, aggregates, GeoMesaSink.DEFAULT_COMPACTION_QUIET);
    }

    /** The same, compacting after every batch the partitions quiet for {@code quiet}. */
    private void runJob(Instant now, List<ZoneAggregate> aggregates, Duration quiet)
            throws Exception {
        HistoryJobs.run(
                HistoryJobs.historySink(store(), now).batchSize(3).compaction(Duration.ZERO, quiet),
                aggregates);
    }

    @Test
    void writesEveryAggregateWithItsValuesAndGeometry() throws Exception {
        Instant written = Instant.parse("2026-11-24T06:00:01Z");
        List<ZoneAggregate> aggregates = new ArrayList<>();
        for (String start : List.of("2026-11-24T05:00:00Z", "2026-11-24T05:15:00Z")) {
            aggregates.add(TestAggregates.pm25District(start, 1));
            aggregates.add(
                    TestAggregates.aggregate(
                            Metric.NO2, ZoneKind.DISTRICT, TestZones.PANLONG, start, 1));
            aggregates.add(
                    TestAggregates.aggregate(Metric.PM25, ZoneKind.H3, TestZones.CELL, start, 1));
            aggregates.add(
                    TestAggregates.aggregate(
                            Metric.NOISE, ZoneKind.CITY, TestZones.CITY, start, 1));
        }
        // A day later: another partition of the daily scheme.
        aggregates.add(
                TestAggregates.aggregate(
                        Metric.TRAFFIC,
                        ZoneKind.CITY,
                        TestZones.CITY,
                        Instant.parse("2026-11-25T00:00:00Z"),
                        Duration.ofHours(1),
                        1));

        runJob(written, aggregates);

        DataStore history = DataStores.open(store(), StoreConfig.Access.READ);
        try {
            List<StoredAggregate> all =
                    HistoryQueries.latest(history, "city_aggregates", HistoryQuery.all());
            assertThat(all)
                    .containsExactlyInAnyOrderElementsOf(
                            aggregates.stream()
                                    .map(a -> TestAggregates.stored(a, written))
                                    .toList());
            assertThat(all.get(all.size() - 1).id())
                    .as("sorted by window start")
                    .isEqualTo("traffic|city|kunming|1795564800000|1h");

            assertThat(
                            HistoryQueries.latest(
                                    history,
                                    "city_aggregates",
                                    HistoryQuery.all()
                                            .bbox(102.80, 25.00, 102.90, 25.20)
                                            .windowsStarting(
                                                    Instant.parse("2026-11-24T05:15:00Z"),
                                                    Instant.parse("2026-11-24T05:30:00Z"))
                                            .zoneKind(ZoneKind.DISTRICT)))
                    .extracting(StoredAggregate::id)
                    .containsExactly("no2|district|530103|1795497300000|15m");
            assertThat(
                            HistoryQueries.latest(
                                    history,
                                    "city_aggregates",
                                    HistoryQuery.all().metric(Metric.PM25).zoneKind(ZoneKind.H3)))
                    .extracting(StoredAggregate::id)
                    .containsExactly(
                            "pm25|h3|8840d8a2d7fffff|1795496400000|15m",
                            "pm25|h3|8840d8a2d7fffff|1795497300000|15m");
        } finally {
            history.dispose();
        }
    }

    @Test
    void aQuerySeesOneRowPerWindowWithItsNewestRevision() throws Exception {
        ZoneAggregate r1 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate r2 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 2);
        ZoneAggregate other = TestAggregates.pm25District("2026-11-24T05:15:00Z", 1);
        Instant replayed = Instant.parse("2026-11-24T05:40:00Z");

        runJob(Instant.parse("2026-11-24T05:16:00Z"), List.of(r1, other));
        runJob(Instant.parse("2026-11-24T05:35:00Z"), List.of(r2));
        // A replay after a failure writes revision 2 again.
        runJob(replayed, List.of(r2));

        DataStore history = DataStores.open(store(), StoreConfig.Access.READ);
        try {
            assertThat(rawRevisions(history, r1.featureId()))
                    .as("the FileSystem store appends")
                    .containsExactlyInAnyOrder(1, 2, 2);
            assertThat(HistoryQueries.latest(history, "city_aggregates", HistoryQuery.all()))
                    .containsExactly(
                            TestAggregates.stored(r2, replayed),
                            TestAggregates.stored(other, Instant.parse("2026-11-24T05:16:00Z")));
        } finally {
            history.dispose();
        }
    }

    @Test
    void aReaderOpenedEarlierSeesLaterWrites() throws Exception {
        ZoneAggregate first = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate correction = TestAggregates.pm25District("2026-11-24T05:00:00Z", 2);
        ZoneAggregate nextDay = TestAggregates.pm25District("2026-11-25T05:00:00Z", 1);
        runJob(Instant.parse("2026-11-24T05:16:00Z"), List.of(first));

        DataStore dashboard = DataStores.open(store(), StoreConfig.Access.READ);
        try {
            assertThat(HistoryQueries.latest(dashboard, "city_aggregates", HistoryQuery.all()))
                    .extracting(StoredAggregate::aggregate)
                    .containsExactly(first);

            runJob(Instant.parse("2026-11-25T05:16:00Z"), List.of(correction, nextDay));

            assertThat(HistoryQueries.latest(dashboard, "city_aggregates", HistoryQuery.all()))
                    .extracting(StoredAggregate::aggregate)
                    .containsExactly(correction, nextDay);
        } finally {
            dashboard.dispose();
        }
    }

    @Test
    void theSinkCompactsFinishedPartitionsAndQueriesAnswerAsBefore() throws Exception {
        List<ZoneAggregate> aggregates = new ArrayList<>();
        for (int minute = 0; minute < 60; minute += 15) {
            String start = String.format("2026-11-24T05:%02d:00Z", minute);
            aggregates.add(TestAggregates.pm25District(start, 1));
            aggregates.add(
                    TestAggregates.aggregate(
                            Metric.NO2, ZoneKind.DISTRICT, TestZones.PANLONG, start, 1));
        }
        ZoneAggregate corrected = TestAggregates.pm25District("2026-11-24T05:15:00Z", 2);
        Instant written = Instant.parse("2026-11-24T06:00:01Z");
        Instant replayedAt = Instant.parse("2026-11-24T06:09:00Z");
        runJob(written, aggregates, Duration.ofDays(1));
        runJob(Instant.parse("2026-11-24T06:05:00Z"), List.of(corrected), Duration.ofDays(1));
        assertThat(parquetFiles()).as("a file per batch").isGreaterThan(2);

        // A replay; at its end subtask 0 compacts every partition quiet since (here: at once).
        runJob(replayedAt, List.of(corrected), Duration.ZERO);

        List<StoredAggregate> expected = new ArrayList<>();
        for (ZoneAggregate a : aggregates) {
            boolean isCorrected = a.featureId().equals(corrected.featureId());
            expected.add(
                    isCorrected
                            ? TestAggregates.stored(corrected, replayedAt)
                            : TestAggregates.stored(a, written));
        }
        DataStore history = DataStores.open(store(), StoreConfig.Access.READ);
        try {
            assertThat(HistoryQueries.latest(history, "city_aggregates", HistoryQuery.all()))
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(rawRevisions(history, corrected.featureId()))
                    .as("compaction keeps the newest row per window")
                    .doesNotContain(1);
        } finally {
            history.dispose();
        }
    }

    private long parquetFiles() throws Exception {
        try (var files = java.nio.file.Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".parquet")).count();
        }
    }

    private static List<Integer> rawRevisions(DataStore store, String id) throws Exception {
        List<Integer> revisions = new ArrayList<>();
        // Every physical type of the history: one per window length (HistoryLayout).
        for (String type : HistoryLayout.typesToRead(store, null)) {
            try (SimpleFeatureIterator it =
                    store.getFeatureSource(type).getFeatures(new Query(type)).features()) {
                while (it.hasNext()) {
                    SimpleFeature f = it.next();
                    if (f.getID().equals(id)) {
                        revisions.add((Integer) f.getAttribute("revision"));
                    }
                }
            }
        }
        return revisions;
    }
}
