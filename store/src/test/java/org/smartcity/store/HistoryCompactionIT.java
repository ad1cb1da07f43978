package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.Query;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.filter.Filter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;

/**
 * {@link HistoryCompactor} on a GeoMesa FileSystem history written in many small files, with late
 * corrections and a replay: every query answers the same before, during and after a compaction, and
 * after a compaction that crashed at any step, and no file is left behind or lost.
 */
class HistoryCompactionIT {

    private static final Instant FIRST = Instant.parse("2026-12-01T02:00:00Z");
    private static final Instant CORRECTED = Instant.parse("2026-12-01T02:05:00Z");
    private static final Instant REPLAYED = Instant.parse("2026-12-01T02:09:00Z");

    @TempDir Path dir;

    private static StoreConfig config(Path root, boolean byLength) {
        return new StoreConfig.FileSystem(
                root.toUri().toString(),
                "parquet",
                byLength ? StoreConfig.FileSystem.BY_WINDOW_LENGTH : "daily");
    }

    /** Windows of three lengths over two days, two metrics, every zone kind. */
    private static List<ZoneAggregate> firstEmissions() {
        List<Instant> starts = new ArrayList<>();
        for (String day : List.of("2026-11-30", "2026-12-01")) {
            for (int h = 0; h < 3; h++) {
                starts.add(Instant.parse(day + "T0" + h + ":00:00Z"));
            }
        }
        return TestAggregates.firstEmissions(
                starts,
                List.of(Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofHours(1)),
                List.of(Metric.PM25, Metric.NO2),
                TestZones.ALL);
    }

    /** Writes as the sink does, in batches of {@code batch}: a file per partition per batch. */
    private static void write(
            DataStore store, StoreConfig config, List<ZoneAggregate> rows, Instant updated)
            throws Exception {
        int batch = 17;
        for (int from = 0; from < rows.size(); from += batch) {
            Map<String, List<ZoneAggregate>> byType = new HashMap<>();
            for (ZoneAggregate a : rows.subList(from, Math.min(rows.size(), from + batch))) {
                String type =
                        config.historyByWindowLength()
                                ? HistoryLayout.typeOf(a)
                                : AggregateSchema.HISTORY_TYPE;
                byType.computeIfAbsent(type, t -> new ArrayList<>()).add(a);
            }
            for (Map.Entry<String, List<ZoneAggregate>> e : byType.entrySet()) {
                DataStores.ensureType(store, config, e.getKey());
                TestAggregates.append(store, e.getKey(), e.getValue(), updated);
            }
        }
    }

    private static List<HistoryQuery> queries() {
        return List.of(
                HistoryQuery.all(),
                HistoryQuery.all().metric(Metric.NO2),
                HistoryQuery.all().zoneKind(ZoneKind.CITY),
                HistoryQuery.all().zoneId(TestZones.PANLONG).windowLength("15m"),
                HistoryQuery.all()
                        .windowsStarting(
                                Instant.parse("2026-11-30T01:30:00Z"),
                                Instant.parse("2026-12-01T01:00:00Z")),
                HistoryQuery.all().bbox(102.80, 25.00, 102.90, 25.20).metric(Metric.PM25));
    }

    /** A prepared store and the answers every query must keep giving. */
    private record Fixture(
            DataStore store,
            Map<String, StoredAggregate> expected,
            List<List<StoredAggregate>> answers) {}

    private Fixture written(Path root, boolean byLength) throws Exception {
        StoreConfig config = config(root, byLength);
        DataStore store =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.WRITE, AggregateSchema.HISTORY_TYPE);
        List<ZoneAggregate> first = firstEmissions();
        List<ZoneAggregate> corrected = TestAggregates.corrections(first, 3);
        write(store, config, first, FIRST);
        write(store, config, corrected, CORRECTED);
        // A replay after a failure writes the corrections again.
        write(store, config, corrected, REPLAYED);
        Map<String, StoredAggregate> expected =
                TestAggregates.newest(first, FIRST, corrected, REPLAYED);
        assertThat(HistoryQueries.latest(store, AggregateSchema.HISTORY_TYPE, HistoryQuery.all()))
                .containsExactlyInAnyOrderElementsOf(expected.values());
        List<List<StoredAggregate>> answers = new ArrayList<>();
        for (HistoryQuery q : queries()) {
            answers.add(HistoryQueries.latest(store, AggregateSchema.HISTORY_TYPE, q));
        }
        return new Fixture(store, expected, answers);
    }

    private static void assertSameAnswers(Fixture f) throws Exception {
        List<HistoryQuery> qs = queries();
        for (int i = 0; i < qs.size(); i++) {
            assertThat(HistoryQueries.latest(f.store(), AggregateSchema.HISTORY_TYPE, qs.get(i)))
                    .as("%s", qs.get(i))
                    .containsExactlyElementsOf(f.answers().get(i));
        }
    }

    @Test
    void compactsEachPartitionIntoOneFileAndAnswersAsBefore() throws Exception {
        for (boolean byLength : List.of(false, true)) {
            Path root = dir.resolve(byLength ? "by-length" : "single");
            Fixture f = written(root, byLength);
            try {
                long before = TestCompactions.parquetFiles(root);
                assertThat(TestCompactions.listedFiles(f.store()).values()).allMatch(n -> n > 1);

                Instant now = Instant.now();
                HistoryCompactor.Result r = TestCompactions.at(now).run(f.store());

                assertThat(r.partitions()).isEqualTo(TestCompactions.listedFiles(f.store()).size());
                assertThat(r.rowsWritten()).as("each window once").isEqualTo(f.expected().size());
                assertThat(TestCompactions.listedFiles(f.store()).values()).allMatch(n -> n == 1);
                assertSameAnswers(f);
                assertThat(TestCompactions.parquetFiles(root))
                        .as("replaced files stay for readers that listed them")
                        .isEqualTo(before + r.partitions());

                HistoryCompactor.Result later =
                        TestCompactions.at(now.plus(TestCompactions.GRACE).plusSeconds(60))
                                .run(f.store());
                assertThat(later.partitions()).isZero();
                assertThat(later.filesDeleted()).isEqualTo((int) before);
                assertThat(TestCompactions.parquetFiles(root)).isEqualTo(r.partitions());
                assertSameAnswers(f);
            } finally {
                f.store().dispose();
            }
        }
    }

    /** The newest rows as GeoMesa's own (threaded, polling) reader returns them. */
    private static List<StoredAggregate> throughGeoMesa(DataStore store, HistoryQuery q)
            throws Exception {
        List<SimpleFeature> rows = new ArrayList<>();
        Filter filter = q.toFilter();
        for (String type : HistoryLayout.typesToRead(store, q.windowLength())) {
            try (var it =
                    store.getFeatureSource(type).getFeatures(new Query(type, filter)).features()) {
                while (it.hasNext()) {
                    SimpleFeature f = it.next();
                    if (filter.evaluate(f)) {
                        rows.add(f);
                    }
                }
            }
        }
        return HistoryQueries.keepLatest(rows.iterator()).stream()
                .map(StoredAggregate::fromFeature)
                .toList();
    }

    @Test
    void readsAnswerAsGeoMesasOwnReaderBeforeAndAfterCompaction() throws Exception {
        for (boolean byLength : List.of(false, true)) {
            Fixture f = written(dir.resolve(byLength ? "gm-by-length" : "gm-single"), byLength);
            try {
                for (int round = 0; round < 2; round++) {
                    for (HistoryQuery q : queries()) {
                        assertThat(
                                        HistoryQueries.latest(
                                                f.store(), AggregateSchema.HISTORY_TYPE, q))
                                .as("%s", q)
                                .containsExactlyElementsOf(throughGeoMesa(f.store(), q));
                    }
                    TestCompactions.at(Instant.now()).run(f.store());
                }
            } finally {
                f.store().dispose();
            }
        }
    }

    @Test
    void aReaderDuringCompactionSeesEveryWindowOnce() throws Exception {
        Fixture f = written(dir.resolve("busy"), false);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        try {
            CompletableFuture<Void> reader =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    while (!done.get() || reads.get() < 3) {
                                        assertThat(
                                                        HistoryQueries.latest(
                                                                f.store(),
                                                                AggregateSchema.HISTORY_TYPE,
                                                                HistoryQuery.all()))
                                                .containsExactlyElementsOf(f.answers().get(0));
                                        reads.incrementAndGet();
                                    }
                                } catch (Exception e) {
                                    throw new AssertionError(e);
                                }
                            });
            Instant now = Instant.now();
            TestCompactions.at(now).run(f.store());
            done.set(true);
            reader.get();
            // The replaced files go once the grace period (longer than any query) has passed.
            assertThat(
                            TestCompactions.at(now.plus(TestCompactions.GRACE).plusSeconds(60))
                                    .run(f.store())
                                    .filesDeleted())
                    .isPositive();
            assertSameAnswers(f);
        } finally {
            done.set(true);
            f.store().dispose();
        }
    }

    @Test
    void aCompactionThatCrashedAtAnyStepLosesNothingAndIsFinishedByTheNext() throws Exception {
        for (HistoryCompactor.Step step : HistoryCompactor.Step.values()) {
            Path root = dir.resolve("crash-" + step);
            Fixture f = written(root, false);
            try {
                Instant now = Instant.now();
                assertThatThrownBy(() -> TestCompactions.crashingAt(now, step).run(f.store()))
                        .isInstanceOf(HistoryCompactor.Crash.class);
                assertSameAnswers(f);

                // The next runs, past the grace period: everything compacted, nothing left over.
                TestCompactions.runAfterCrash(f.store(), now);
                assertSameAnswers(f);
                Map<String, Integer> listed = TestCompactions.listedFiles(f.store());
                assertThat(listed.values()).as("%s", step).allMatch(n -> n == 1);
                assertThat(TestCompactions.parquetFiles(root))
                        .as("%s", step)
                        .isEqualTo(listed.size());
            } finally {
                f.store().dispose();
            }
        }
    }
}
