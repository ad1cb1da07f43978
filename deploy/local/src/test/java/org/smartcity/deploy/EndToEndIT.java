package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.geotools.api.data.DataStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.brokers.MqttBroker;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.ingest.IngestService;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.ExpectedAggregates;
import org.smartcity.jobs.JobConfig;
import org.smartcity.simulator.SimulationSummary;
import org.smartcity.simulator.Simulator;
import org.smartcity.simulator.SimulatorConfig;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;

/**
 * The whole pipeline, as the demo wires it: simulator → MQTT (HiveMQ CE) → bridge → Kafka →
 * aggregation job (MiniCluster) → history store (GeoMesa FileSystem) and live layer (GeoMesa Kafka
 * DataStore). What the stores hold equals, window by window, an independent computation over the
 * readings the simulator reported sending; rejected readings count nowhere.
 *
 * <p>Event times: the simulator's clock starts one second before the top of the previous hour, so
 * its two seconds of readings fall into two windows of every default length (1m, 15m, 1h), all of
 * them past (the bridge accepts readings up to 7 days old). A reading a minute ahead of now in
 * every partition then moves the watermark past all of them, so every window closes at once.
 * Readings with the {@code late} fault are left out: whether such a reading is within the allowed
 * lateness depends on how far the watermark has got when it arrives, which a test cannot fix.
 */
class EndToEndIT {
    private static final Logger LOG = LoggerFactory.getLogger(EndToEndIT.class);

    @TempDir Path dir;

    @Test
    void storedAggregatesEqualAPlainComputationOverWhatTheSimulatorSent() throws Exception {
        Instant now = Instant.now();
        Instant hourBoundary = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        Queue<Reading> sent = new ConcurrentLinkedQueue<>();

        try (KafkaBroker kafka = KafkaBroker.start(0, dir.resolve("kafka"));
                MqttBroker mqtt = MqttBroker.startAnonymous(0, dir.resolve("mqtt"));
                IngestService bridge =
                        TestBridge.start(mqtt, kafka, LocalPlatform.BRIDGE_CLIENT_ID)) {
            JobConfig job =
                    JobConfig.fromFlags(
                            "--kafka-bootstrap",
                            kafka.bootstrapServers(),
                            "--checkpoint-interval",
                            "2s",
                            // Windows that close within the test (a local day closes at midnight).
                            "--window-lengths",
                            "1m,15m,1h",
                            "--store-history",
                            dir.resolve("history").toString(),
                            "--store-live-catalog",
                            LocalPlatform.LIVE_CATALOG);
            try (LocalFlinkJob flink =
                    LocalFlinkJob.start(
                            job,
                            dir.resolve("flink"),
                            CityAggregationJob.historySink(job),
                            CityAggregationJob.liveSink(job))) {
                SimulationSummary summary;
                try (Simulator simulator =
                        new Simulator(
                                SimulatorConfig.parse(
                                        "--mqtt-url", mqtt.serverUri(),
                                        "--sensors", "120",
                                        "--rate", "2000",
                                        "--total", "4000",
                                        "--fault-malformed", "0.02",
                                        "--fault-out-of-range", "0.02",
                                        "--fault-wrong-unit", "0.02",
                                        "--fault-duplicate", "0.02",
                                        "--fault-out-of-order", "0.02",
                                        "--fault-silent-sensors", "0.05"),
                                Clock.fixed(hourBoundary.minusSeconds(1), ZoneOffset.UTC),
                                sent::add)) {
                    simulator.run();
                    summary = simulator.summary();
                }
                assertThat(summary.unconfirmedMessages()).isZero();
                assertThat(summary.expectedRejected()).isPositive();
                assertThat(summary.duplicates()).isPositive();
                assertThat(sent).hasSize((int) summary.expectedAccepted());

                String bootstrap = kafka.bootstrapServers();
                await("every accepted reading in Kafka")
                        .atMost(Duration.ofSeconds(60))
                        .until(
                                () ->
                                        PipelineProbes.records(bootstrap, KafkaTopics.READINGS)
                                                >= sent.size());
                assertThat(PipelineProbes.records(bootstrap, KafkaTopics.READINGS))
                        .as("readings in Kafka")
                        .isEqualTo(sent.size());
                PipelineProbes.closeWindows(
                        bootstrap,
                        KafkaTopics.READINGS,
                        now.plus(Duration.ofMinutes(1)).toEpochMilli());

                Map<String, ZoneAggregate> expected =
                        ExpectedAggregates.of(
                                List.copyOf(sent),
                                Zoning.create(job.zoning()),
                                job.windowLengths());
                assertThat(expected.keySet())
                        .as("both sides of the hour boundary, in every length")
                        .anyMatch(id -> id.endsWith("|1h"))
                        .anyMatch(id -> id.endsWith("|15m"))
                        .anyMatch(id -> id.endsWith("|1m"))
                        .anyMatch(id -> id.contains("|" + hourBoundary.toEpochMilli() + "|"))
                        .anyMatch(
                                id ->
                                        id.contains(
                                                "|"
                                                        + hourBoundary
                                                                .minus(Duration.ofHours(1))
                                                                .toEpochMilli()
                                                        + "|"));

                Map<String, ZoneAggregate> expectedLive =
                        ExpectedAggregates.newestWindows(expected);
                LOG.info(
                        "{} readings forwarded, {} rejected; expecting {} aggregates in the history"
                                + " and {} in the live layer",
                        sent.size(),
                        summary.expectedRejected(),
                        expected.size(),
                        expectedLive.size());

                StoreConfig history = job.historyStore().orElseThrow();
                await("history holds every window")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptions()
                        .until(() -> PipelineProbes.history(history).size() >= expected.size());
                assertMatchAll("history", PipelineProbes.history(history), expected);

                DataStore live =
                        DataStores.open(job.liveStore().orElseThrow(), StoreConfig.Access.READ);
                try {
                    await("live layer holds the newest window of every zone")
                            .atMost(Duration.ofSeconds(30))
                            .ignoreExceptions()
                            .until(() -> PipelineProbes.live(live).size() >= expectedLive.size());
                    assertMatchAll("live", PipelineProbes.live(live), expectedLive);
                } finally {
                    live.dispose();
                }
            }
        }
    }

    private static void assertMatchAll(
            String store, Map<String, ZoneAggregate> actual, Map<String, ZoneAggregate> expected) {
        assertThat(actual.keySet()).as(store + " feature ids").isEqualTo(expected.keySet());
        expected.forEach(
                (id, e) -> {
                    ExpectedAggregates.assertMatches(store + " " + id, actual.get(id), e);
                    // Nothing arrives after its window closed: every window is a first emission.
                    assertThat(actual.get(id).revision())
                            .as(store + " " + id + " revision")
                            .isOne();
                });
    }
}
