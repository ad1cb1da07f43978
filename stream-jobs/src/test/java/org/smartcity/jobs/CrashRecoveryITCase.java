package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.smartcity.jobs.TestReadings.at;
import static org.smartcity.jobs.TestReadings.reading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.Query;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.jobs.TestReadings.Sensor;
import org.smartcity.sinks.FlinkTestCluster;
import org.smartcity.sinks.GeoMesaSink;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryLayout;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoredAggregate;
import org.smartcity.store.ZoningGeometries;

/**
 * Crash recovery of the whole job: {@link CityAggregationJob#build} reading a three-partition Kafka
 * topic (broker in its own JVM) at parallelism 2, writing to a GeoMesa FileSystem history store and
 * the GeoMesa Kafka live layer. The only TaskManager is terminated after a completed checkpoint and
 * after aggregates produced since that checkpoint were already stored; Flink restores the
 * checkpoint on a new TaskManager and replays them.
 *
 * <p>The oracle is {@link ExpectedAggregates}, a plain computation over the readings sent, which
 * shares no code with the job: it is stronger than comparing with an uninterrupted run, which would
 * only show that two runs of the same code agree. Checked: every window read through {@link
 * HistoryQueries#latest} appears once with exactly the expected statistics; every raw row of the
 * appending store (replays included) is a correct aggregate of its revision, so duplicates are
 * identical replays and never an addition; the raw row count per window is exactly what one replay
 * from the checkpoint implies; the live layer holds the newest window of each metric, zone and
 * length; and Flink reports a restart that restored that checkpoint.
 *
 * <p>Checkpoints are taken when the test triggers them (the periodic interval is an hour), so the
 * test knows which checkpoint the job restores and which emissions it replays.
 */
class CrashRecoveryITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int PARTITIONS = 3;
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final List<Duration> LENGTHS =
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofHours(1));
    private static final Metric[] METRICS = {
        Metric.PM25, Metric.NOISE, Metric.TRAFFIC, Metric.TEMPERATURE
    };

    /** Readings cover 05:00 to 05:40; those arriving before 05:20 are sent before the job. */
    private static final long FIRST = at("05:00:00");

    private static final long LAST = at("05:40:00");
    private static final long SECOND_BATCH_ARRIVAL = at("05:20:00");

    /**
     * Ten minutes old when it arrives, inside the allowed lateness: corrects a 1m and a 15m window
     * that were stored before the checkpoint (revision 2 of each).
     */
    private static final Reading CORRECTION =
            reading(TestReadings.WEST_1, Metric.PM25, "05:10:30", 180.5);

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir static Path dir;

    /** A reading, the partition it is sent to and when it "arrives" (its place in the topic). */
    private record Sent(Reading reading, int partition, long arrival) {}

    @Test
    void aFailoverAfterACheckpointRewritesStoredWindowsWithoutDoubleCounting(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String readingsTopic = "readings-" + run;
        JobConfig cfg =
                JobConfig.fromFlags(
                        "--kafka-bootstrap=" + KAFKA.bootstrapServers(),
                        "--kafka-group-id=aggregation-" + run,
                        "--kafka-readings-topic=" + readingsTopic,
                        "--kafka-late-topic=late-" + run,
                        "--kafka-aggregates-topic=aggregates-" + run,
                        "--store-history=" + dir.resolve("history-" + run),
                        "--store-live-catalog=live-" + run,
                        "--watermark-out-of-orderness=" + OUT_OF_ORDERNESS.toSeconds() + "s",
                        // Every partition gets a final reading, so none needs to go idle; a
                        // partition idle during the test's pauses would let event time run ahead.
                        "--watermark-idleness=1h",
                        // Checkpoints come from the test (triggerCheckpoint): the first periodic
                        // one would not start before half an hour (the minimum pause).
                        "--checkpoint-interval=1h",
                        // Lengths whose windows close within the test (not a local day).
                        "--window-lengths=1m,15m,1h",
                        "--parallelism=2");
        assertThat(cfg.windowLengths()).isEqualTo(LENGTHS);

        Zoning zoning = Zoning.create(cfg.zoning());
        Scenario scenario = Scenario.of(r -> zoning.zonesOf(r.lat(), r.lon()));
        Map<String, ZoneAggregate> expected = scenario.expected();
        Map<String, ZoneAggregate> firstFired = scenario.firstFired();
        List<String> corrected = scenario.corrected();

        createTopic(readingsTopic);
        StoreConfig historyStore = cfg.historyStore().orElseThrow();
        StoreConfig liveStore = cfg.liveStore().orElseThrow();
        // Readers as the dashboard opens them; both create their type, so they see the writers'.
        DataStore history =
                DataStores.openWithSchema(
                        historyStore, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
        DataStore live =
                DataStores.openWithSchema(
                        liveStore, StoreConfig.Access.READ, AggregateSchema.LIVE_TYPE);
        JobClient job = null;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, readingsTopic, scenario.before());

            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(restartOnce());
            CityAggregationJob.build(
                    env,
                    cfg,
                    // The production history sink, flushing every 200 ms instead of 30 s so that
                    // what the job emits after the checkpoint is stored before the crash.
                    GeoMesaSink.builder()
                            .layer(Layer.HISTORY)
                            .store(historyStore)
                            .geometries(new ZoningGeometries(cfg.zoning()))
                            .flushInterval(Duration.ofMillis(200))
                            .build(),
                    CityAggregationJob.liveSink(cfg));
            job = env.executeAsync(CityAggregationJob.JOB_NAME);
            JobID jobId = job.getJobID();

            // 1. The first batch's windows are stored; then a checkpoint completes.
            await().atMost(PATIENCE)
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(() -> assertLatestEquals(history, firstFired, List.of()));
            long checkpoint =
                    cluster.triggerCheckpoint(jobId, CheckpointType.CONFIGURED)
                            .get(60, TimeUnit.SECONDS);

            // 2. After the checkpoint: a correction of two stored windows, the rest of the data,
            // and the readings that close every window. All of it is stored before the crash.
            send(producer, readingsTopic, scenario.after());
            await().atMost(PATIENCE)
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(() -> assertLatestEquals(history, expected, corrected));
            Map<String, Long> rowsBeforeCrash = new TreeMap<>();
            for (String id : expected.keySet()) {
                rowsBeforeCrash.put(id + " r1", 1L);
                if (corrected.contains(id)) {
                    rowsBeforeCrash.put(id + " r2", 1L);
                }
            }
            assertThat(rowCountDifferences(rawRows(history), rowsBeforeCrash))
                    .as("one row per window emission, nothing replayed yet")
                    .isEmpty();
            assertThat(checkpoints(cluster, jobId).getCounts().getNumberOfCompletedCheckpoints())
                    .as("no checkpoint but the triggered one")
                    .isEqualTo(1);

            // 3. The crash: the TaskManager running every task goes away; a new one takes over.
            cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            cluster.startTaskManager();

            // 4. Flink restores the checkpoint and replays everything after it: every emission
            // since the checkpoint is written a second time, with the same id and revision.
            Map<String, Long> rowsAfterReplay = new TreeMap<>();
            for (String id : expected.keySet()) {
                if (corrected.contains(id)) {
                    rowsAfterReplay.put(id + " r1", 1L); // before the checkpoint
                    rowsAfterReplay.put(id + " r2", 2L); // after it, and its replay
                } else {
                    rowsAfterReplay.put(id + " r1", firstFired.containsKey(id) ? 1L : 2L);
                }
            }
            await().atMost(PATIENCE)
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    rowCountDifferences(
                                                            rawRows(history), rowsAfterReplay))
                                            .as(
                                                    "windows whose rows are not what one replay"
                                                            + " from the checkpoint writes")
                                            .isEmpty());

            AccessExecutionGraph graph = cluster.getExecutionGraph(jobId).get();
            assertThat(graph.getAllExecutionVertices())
                    .as("every task was restarted once")
                    .allSatisfy(
                            v ->
                                    assertThat(v.getCurrentExecutionAttempt().getAttemptNumber())
                                            .as(v.getTaskNameWithSubtaskIndex())
                                            .isEqualTo(1));
            RestoredCheckpointStats restored =
                    graph.getCheckpointStatsSnapshot().getLatestRestoredCheckpoint();
            assertThat(restored).as("the job restored a checkpoint").isNotNull();
            assertThat(restored.getCheckpointId()).isEqualTo(checkpoint);

            // The query: every window once, exactly the expected statistics and revision.
            assertLatestEquals(history, expected, corrected);
            // No count doubled: per window length, the city's windows count every reading once.
            List<StoredAggregate> latest =
                    HistoryQueries.latest(
                            history,
                            AggregateSchema.HISTORY_TYPE,
                            HistoryQuery.all().zoneKind(ZoneKind.CITY));
            for (Duration length : LENGTHS) {
                assertThat(
                                latest.stream()
                                        .map(StoredAggregate::aggregate)
                                        .filter(a -> a.windowLengthMillis() == length.toMillis())
                                        .mapToLong(ZoneAggregate::count)
                                        .sum())
                        .as("readings counted in the city's %s windows", length)
                        .isEqualTo(scenario.readingsCounted());
            }
            // Every raw row, replays included, is a correct aggregate of its revision: duplicates
            // are identical replays (only `updated` differs), never an addition.
            for (StoredAggregate row : rawRows(history)) {
                ZoneAggregate a = row.aggregate();
                ExpectedAggregates.assertMatches(
                        a,
                        a.revision() == 1 && corrected.contains(row.id())
                                ? firstFired.get(row.id())
                                : expected.get(row.id()));
            }

            // The live layer: the newest window of each metric, zone and length, as expected.
            Map<String, ZoneAggregate> newest = ExpectedAggregates.newestWindows(expected);
            await().atMost(PATIENCE)
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(() -> assertLiveEquals(live, newest));
        } finally {
            if (job != null) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
            live.dispose();
            history.dispose();
        }
    }

    /**
     * The readings in the topic before the checkpoint and after it, and what the stores must show.
     *
     * @param before the first batch, in the topic before the job starts
     * @param after the correction, the rest of the data and the readings that close every window
     * @param expected every window of the data, with the correction
     * @param firstFired the windows that fire while the first batch is read, with its readings
     * @param corrected the windows the correction makes fire again (revision 2)
     * @param readingsCounted readings that count in the aggregates (all but the closing ones)
     */
    private record Scenario(
            List<Sent> before,
            List<Sent> after,
            Map<String, ZoneAggregate> expected,
            Map<String, ZoneAggregate> firstFired,
            List<String> corrected,
            int readingsCounted) {

        static Scenario of(ZoneAssigner zones) {
            List<Sent> data = readings(new Random(11));
            List<Sent> before =
                    data.stream().filter(s -> s.arrival() < SECOND_BATCH_ARRIVAL).toList();
            List<Sent> after = new ArrayList<>();
            // The correction is the first record after the checkpoint in its partition: event
            // time there is still that of the first batch, so it is within the lateness.
            after.add(new Sent(CORRECTION, partitionOf(TestReadings.WEST_1), SECOND_BATCH_ARRIVAL));
            data.stream().filter(s -> s.arrival() >= SECOND_BATCH_ARRIVAL).forEach(after::add);
            List<Reading> counted = new ArrayList<>();
            before.forEach(s -> counted.add(s.reading()));
            after.forEach(s -> counted.add(s.reading()));
            // One reading per partition at 07:00:10 closes every window of the data (the hour
            // 05:00-06:00 included); the windows of these readings never close, so they are not
            // part of the expectation.
            for (int p = 0; p < PARTITIONS; p++) {
                Sensor sensor = TestReadings.ALL[p];
                after.add(
                        new Sent(
                                reading(sensor, Metric.PM25, "07:00:10", 20),
                                partitionOf(sensor),
                                at("07:00:10")));
            }

            // Fired once the first batch is read: windows ending at or before its watermark, the
            // smallest of the partitions' newest reading - out-of-orderness - 1 ms.
            long firstWatermark =
                    before.stream()
                                    .collect(
                                            Collectors.groupingBy(
                                                    Sent::partition,
                                                    Collectors.summarizingLong(
                                                            s -> s.reading().timestampMillis())))
                                    .values()
                                    .stream()
                                    .mapToLong(LongSummaryStatistics::getMax)
                                    .min()
                                    .orElseThrow()
                            - OUT_OF_ORDERNESS.toMillis()
                            - 1;
            Map<String, ZoneAggregate> firstFired = new TreeMap<>();
            ExpectedAggregates.of(before.stream().map(Sent::reading).toList(), zones, LENGTHS)
                    .forEach(
                            (id, e) -> {
                                if (e.windowEndMillis() - 1 <= firstWatermark) {
                                    firstFired.put(id, e);
                                }
                            });
            // The fixture keeps its promise: no reading after the checkpoint but the correction
            // falls into a window that fired before it.
            for (Sent s : after) {
                if (s.reading() != CORRECTION) {
                    long minute = Math.floorDiv(s.reading().timestampMillis(), 60_000) * 60_000;
                    assertThat(minute + 59_999).as("%s", s).isGreaterThan(firstWatermark);
                }
            }
            // The correction's 1m and 15m windows fired before the checkpoint; its hour has not,
            // so the hour's first emission already includes it.
            List<String> corrected =
                    ExpectedAggregates.of(List.of(CORRECTION), zones, LENGTHS).keySet().stream()
                            .filter(id -> !id.endsWith("|1h"))
                            .toList();
            assertThat(firstFired).containsKeys(corrected.toArray(String[]::new));
            assertThat(corrected).as("cell and city at least, 1m and 15m").hasSizeGreaterThan(3);

            return new Scenario(
                    before,
                    after,
                    ExpectedAggregates.of(counted, zones, LENGTHS),
                    firstFired,
                    corrected,
                    counted.size());
        }
    }

    /**
     * Six sensors, each reporting every 6 s from 05:00 to 05:40, cycling through four metrics (so
     * every metric has readings of every sensor in every minute); each sent to its sensor's
     * partition and arriving up to 4 s late, so readings overtake each other by less than the 5 s
     * out-of-orderness and none is late.
     */
    private static List<Sent> readings(Random random) {
        List<Sent> sent = new ArrayList<>();
        int step = 0;
        for (long t = FIRST; t < LAST; t += 6_000, step++) {
            for (int s = 0; s < TestReadings.ALL.length; s++) {
                Sensor sensor = TestReadings.ALL[s];
                Metric metric = METRICS[(step + s) % METRICS.length];
                long ts = t + s * 700L + random.nextInt(500);
                sent.add(
                        new Sent(
                                reading(sensor, metric, ts, value(metric, random)),
                                partitionOf(sensor),
                                ts + random.nextInt(4_000)));
            }
        }
        sent.sort(Comparator.comparingLong(Sent::arrival));
        return sent;
    }

    private static double value(Metric metric, Random random) {
        return switch (metric) {
            case NOISE -> 40 + Math.round(random.nextDouble() * 550) / 10.0;
            case TRAFFIC -> random.nextInt(31);
            case TEMPERATURE -> -8 + Math.round(random.nextDouble() * 200) / 10.0;
            default -> 5 + Math.round(random.nextDouble() * 1450) / 10.0;
        };
    }

    private static int partitionOf(Sensor sensor) {
        return List.of(TestReadings.ALL).indexOf(sensor) % PARTITIONS;
    }

    /** The history as a query sees it equals {@code expected}: every window once, right values. */
    private static void assertLatestEquals(
            DataStore history, Map<String, ZoneAggregate> expected, List<String> corrected)
            throws IOException {
        List<StoredAggregate> latest =
                HistoryQueries.latest(history, AggregateSchema.HISTORY_TYPE, HistoryQuery.all());
        List<String> ids = latest.stream().map(StoredAggregate::id).toList();
        assertThat(ids).as("windows in the query result").hasSize(expected.size());
        assertThat(ids.stream().filter(id -> !expected.containsKey(id)).limit(10))
                .as("unexpected windows")
                .isEmpty();
        assertThat(Set.copyOf(ids)).as("each window once").hasSize(expected.size());
        for (StoredAggregate row : latest) {
            assertThat(row.aggregate().revision())
                    .as(row.id())
                    .isEqualTo(corrected.contains(row.id()) ? 2 : 1);
            assertThat(row.geometry()).as(row.id()).isNotNull();
            ExpectedAggregates.assertMatches(row.aggregate(), expected.get(row.id()));
        }
    }

    private static void assertLiveEquals(DataStore live, Map<String, ZoneAggregate> newest)
            throws IOException {
        List<StoredAggregate> features = new ArrayList<>();
        try (SimpleFeatureIterator it =
                live.getFeatureSource(AggregateSchema.LIVE_TYPE).getFeatures().features()) {
            while (it.hasNext()) {
                features.add(StoredAggregate.fromFeature(it.next()));
            }
        }
        List<String> ids = features.stream().map(StoredAggregate::id).toList();
        assertThat(ids).as("live features").hasSize(newest.size());
        assertThat(ids.stream().filter(id -> !newest.containsKey(id)).limit(10))
                .as("unexpected live features")
                .isEmpty();
        assertThat(Set.copyOf(ids)).as("one feature per live id").hasSize(newest.size());
        for (StoredAggregate f : features) {
            ZoneAggregate e = newest.get(f.id());
            assertThat(f.aggregate().revision()).as(f.id()).isEqualTo(1);
            ExpectedAggregates.assertMatches(f.aggregate(), e);
        }
    }

    /** Every row of the history store, duplicates included. */
    private static List<StoredAggregate> rawRows(DataStore history) throws IOException {
        List<StoredAggregate> rows = new ArrayList<>();
        // Every physical type of the history: one per window length (HistoryLayout).
        for (String type : HistoryLayout.typesToRead(history, null)) {
            try (SimpleFeatureIterator it =
                    history.getFeatureSource(type).getFeatures(new Query(type)).features()) {
                while (it.hasNext()) {
                    rows.add(StoredAggregate.fromFeature(it.next()));
                }
            }
        }
        return rows;
    }

    /**
     * Where the rows per window and revision ({@code "<feature id> r<revision>"}) differ from
     * {@code expected}: the first ten differences.
     */
    private static List<String> rowCountDifferences(
            List<StoredAggregate> rows, Map<String, Long> expected) {
        Map<String, Long> actual =
                rows.stream()
                        .collect(
                                Collectors.groupingBy(
                                        row -> row.id() + " r" + row.aggregate().revision(),
                                        TreeMap::new,
                                        Collectors.counting()));
        Set<String> ids = new TreeSet<>(expected.keySet());
        ids.addAll(actual.keySet());
        return ids.stream()
                .filter(id -> !Objects.equals(actual.get(id), expected.get(id)))
                .map(
                        id ->
                                id
                                        + ": "
                                        + actual.getOrDefault(id, 0L)
                                        + " rows, expected "
                                        + expected.getOrDefault(id, 0L))
                .limit(10)
                .toList();
    }

    private static CheckpointStatsSnapshot checkpoints(MiniCluster cluster, JobID jobId)
            throws Exception {
        return cluster.getExecutionGraph(jobId).get().getCheckpointStatsSnapshot();
    }

    /** One restart allowed, soon: the job must recover from exactly one failure. */
    private static Configuration restartOnce() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return conf;
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, List<Sent> sent)
            throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Sent s : sent) {
            acks.add(
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    s.partition(),
                                    s.reading().sensorId().getBytes(StandardCharsets.UTF_8),
                                    ReadingJson.encode(s.reading()))));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        // One in-flight request: records reach each partition in the order sent.
        return new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers", KAFKA.bootstrapServers(),
                        "acks", "all",
                        "max.in.flight.requests.per.connection", "1"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }
}
