package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.geotools.api.data.DataStore;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;
import org.smartcity.jobs.KafkaTestClients;
import org.smartcity.sinks.FlinkTestCluster;
import org.smartcity.sinks.GeoMesaSink;
import org.smartcity.store.AlertQueries;
import org.smartcity.store.AlertQuery;
import org.smartcity.store.AlertSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.ZoningGeometries;

/**
 * The TaskManager is terminated in the middle of an alert episode: after a checkpoint that
 * committed the raise, and after the job had already produced (uncommitted) the escalation and the
 * clear. Flink restores the checkpoint on a new TaskManager and replays. A consumer reading the
 * alerts topic {@code read_committed} and the {@code city_alerts} history store then hold the
 * episode once: one {@code RAISED} (revision 1), the escalation and the clear, each once, with the
 * values a hand-worked run of the rule gives.
 */
class AlertsCrashITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final double LAT = 25.0406;
    private static final double LON = 102.7123;
    private static final long M = Instant.parse("2026-12-04T05:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir static Path dir;

    @Test
    void anEpisodeCutByACrashIsPublishedAndStoredOnce(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        AlertJobRun run = AlertJobRun.in(dir);
        run.writeRules(AlertJobRun.PM25_MINUTE_RULE);
        JobConfig cfg =
                run.config(
                        KAFKA.bootstrapServers(),
                        "--kafka-late-topic=late-" + run.id(),
                        "--window-lengths=1m",
                        "--watermark-out-of-orderness=1s",
                        // Checkpoints come from the test, so it knows what was committed.
                        "--checkpoint-interval=1h");
        String district = Zoning.kunming().district(LAT, LON).orElseThrow().id();
        StoreConfig historyStore =
                StoreConfig.FileSystem.parquet(
                        dir.resolve("history-" + run.id()).toUri().toString());

        // km-a every 20 s: the district's 1-minute mean is 100 (05:00-05:02), 160 (05:03-05:05),
        // 50 (05:06-05:07); 05:08:10 closes 05:07.
        List<Reading> before = new ArrayList<>();
        List<Reading> after = new ArrayList<>();
        for (long t = M; t < M + 8 * MIN; t += 20_000) {
            double v = t < M + 3 * MIN ? 100 : t < M + 6 * MIN ? 160 : 50;
            (t < M + 3 * MIN ? before : after).add(reading(t, v));
        }
        after.add(reading(M + 8 * MIN + 10_000, 50));

        // The rule by hand: raised by the 05:00 window (opened at its start), severe from the
        // 05:03 window, cleared by the 05:06 window (as of its start).
        String id = "pm25-minute|district|" + district + "|" + M;
        List<Object[]> expected =
                List.of(
                        new Object[] {
                            id,
                            1,
                            AlertStatus.ACTIVE,
                            Severity.MODERATE,
                            M + MIN,
                            null,
                            100.0,
                            100.0,
                            75.0
                        },
                        new Object[] {
                            id,
                            2,
                            AlertStatus.ACTIVE,
                            Severity.SEVERE,
                            M + 4 * MIN,
                            null,
                            160.0,
                            160.0,
                            150.0
                        },
                        new Object[] {
                            id,
                            3,
                            AlertStatus.CLEARED,
                            Severity.SEVERE,
                            M + 7 * MIN,
                            M + 6 * MIN,
                            50.0,
                            160.0,
                            150.0
                        });

        DataStore history =
                DataStores.openWithType(
                        historyStore,
                        StoreConfig.Access.READ,
                        AlertSchema.featureType(historyStore));
        JobClient job = null;
        try (KafkaProducer<byte[], byte[]> producer =
                        KafkaTestClients.producer(KAFKA.bootstrapServers());
                AlertTopicReader uncommitted =
                        AlertTopicReader.uncommitted(KAFKA.bootstrapServers(), run.alertsTopic())) {
            send(producer, run.readingsTopic(), before);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(restartOnce());
            CityAggregationJob.build(
                    env,
                    cfg,
                    GeoMesaSink.history(historyStore, new ZoningGeometries(cfg.zoning())),
                    null);
            job = env.executeAsync("alerts-crash-" + run.id());
            JobID jobId = job.getJobID();

            // 1. The raise is produced, then committed by a checkpoint.
            List<Alert> seen = new ArrayList<>();
            await().atMost(PATIENCE)
                    .untilAsserted(
                            () -> {
                                seen.addAll(uncommitted.poll());
                                assertThat(seen).extracting(Alert::revision).contains(1);
                            });
            cluster.triggerCheckpoint(jobId, CheckpointType.CONFIGURED).get(60, TimeUnit.SECONDS);

            // 2. The escalation and the clear are produced, not committed.
            send(producer, run.readingsTopic(), after);
            await().atMost(PATIENCE)
                    .untilAsserted(
                            () -> {
                                seen.addAll(uncommitted.poll());
                                assertThat(seen).extracting(Alert::revision).contains(3);
                            });
            await().atMost(PATIENCE)
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(
                            () ->
                                    assertThat(latest(history))
                                            .as("what the checkpoint committed: the raise")
                                            .extracting(Alert::revision)
                                            .containsExactly(1));

            // 3. The crash, in the middle of the episode as committed so far.
            cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            cluster.startTaskManager();

            // 4. Restored and replayed: once the replay has produced the clear again (a
            // read_uncommitted reader sees it a second time: the aborted one and the replay), a
            // checkpoint on the new TaskManager commits it.
            await().atMost(PATIENCE)
                    .untilAsserted(
                            () -> {
                                seen.addAll(uncommitted.poll());
                                assertThat(seen).filteredOn(a -> a.revision() == 3).hasSize(2);
                            });
            await().atMost(PATIENCE)
                    .ignoreExceptions()
                    .until(
                            () ->
                                    cluster.triggerCheckpoint(jobId, CheckpointType.CONFIGURED)
                                                    .get(10, TimeUnit.SECONDS)
                                            > 0);

            List<Alert> committed = new ArrayList<>();
            try (AlertTopicReader reader =
                    AlertTopicReader.committed(KAFKA.bootstrapServers(), run.alertsTopic())) {
                await().atMost(PATIENCE)
                        .untilAsserted(
                                () -> {
                                    committed.addAll(reader.poll());
                                    assertThat(committed).extracting(Alert::revision).contains(3);
                                });
                // Anything else would have come with the same commit: read on briefly.
                committed.addAll(reader.poll());
            }
            assertThat(committed)
                    .extracting(
                            Alert::id,
                            Alert::revision,
                            Alert::status,
                            Alert::severity,
                            Alert::updatedAtMillis,
                            Alert::clearedAtMillis,
                            Alert::value,
                            Alert::peak,
                            Alert::threshold)
                    .containsExactly(
                            expected.stream()
                                    .map(e -> tuple(e))
                                    .toArray(org.assertj.core.groups.Tuple[]::new));

            // The store: the episode once, at its newest revision, equal to the topic's; every
            // revision is there.
            await().atMost(PATIENCE)
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(
                            () -> assertThat(latest(history)).containsExactly(committed.get(2)));
            assertThat(revisionsStored(history)).containsExactly(1, 2, 3);
        } finally {
            if (job != null) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
            history.dispose();
        }
    }

    private static List<Alert> latest(DataStore history) throws IOException {
        return AlertQueries.latest(history, AlertQuery.all());
    }

    /** The distinct revisions among the raw rows (a repeated commit may store one twice). */
    private static List<Integer> revisionsStored(DataStore history) throws IOException {
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        try (SimpleFeatureIterator it =
                history.getFeatureSource(AlertSchema.TYPE).getFeatures().features()) {
            while (it.hasNext()) {
                out.add(AlertSchema.fromFeature(it.next()).revision());
            }
        }
        return List.copyOf(out);
    }

    private static Reading reading(long ts, double v) {
        return new Reading("km-a", Metric.PM25, "kunming", ts, LAT, LON, v, null);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, List<Reading> rs)
            throws Exception {
        for (Reading r : rs) {
            KafkaTestClients.send(producer, topic, r);
        }
    }

    private static Configuration restartOnce() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return conf;
    }
}
