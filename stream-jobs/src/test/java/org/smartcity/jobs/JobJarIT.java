package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.smartcity.jobs.TestReadings.at;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.geotools.api.data.DataStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoredAggregate;

/**
 * The shaded job jar, run the way {@code flink run} runs it: its {@code main} on a class path of
 * only what a Flink cluster provides plus the jar, in a JVM of its own (a local Flink runtime).
 * Readings in Kafka must end up in the GeoMesa FileSystem history store and the live layer, which
 * shows that the jar carries the connectors and GeoMesa with their merged service files, and that
 * {@code --store-history} and {@code --store-live-catalog} reach the sinks.
 */
class JobJarIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir static Path dir;

    @Test
    void jobJarAggregatesIntoTheGeoMesaStores() throws Exception {
        String topic = "jar-readings";
        try (KafkaProducer<byte[], byte[]> producer =
                KafkaTestClients.producer(KAFKA.bootstrapServers())) {
            // Two readings in the 05:00 minute, then one that moves event time past its end.
            send(producer, topic, pm25("km-a", "05:00:10", 10));
            send(producer, topic, pm25("km-b", "05:00:40", 30));
            send(producer, topic, pm25("km-c", "05:01:30", 50));
        }
        Path history = dir.resolve("history");
        Path log = dir.resolve("job.log");
        Process job =
                new ProcessBuilder(
                                javaBin(),
                                "-Xmx512m",
                                "-cp",
                                jobJar() + File.pathSeparator + flinkProvidedClasspath(),
                                "org.smartcity.jobs.CityAggregationJob",
                                "--kafka-bootstrap=" + KAFKA.bootstrapServers(),
                                "--kafka-readings-topic=" + topic,
                                "--kafka-aggregates-topic=",
                                "--window-lengths=1m",
                                "--checkpoint-interval=1s",
                                "--parallelism=1",
                                "--store-history=" + history,
                                "--store-live-catalog=jar-live")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            long minute = at("05:00:00");
            StoreConfig historyStore = StoreConfig.FileSystem.parquet(history.toString());
            try {
                await("the 05:00 city window in the history store")
                        .atMost(PATIENCE)
                        .pollInterval(Duration.ofSeconds(1))
                        .failFast("the job's JVM exited", () -> !job.isAlive())
                        .until(
                                () ->
                                        Files.isDirectory(history)
                                                && !cityWindow(historyStore).isEmpty());
            } catch (ConditionTimeoutException | TerminalFailureException e) {
                // The job's own log says why: it runs in another JVM.
                throw new AssertionError(e.getMessage() + "\nThe job's log:\n" + tail(log), e);
            }
            assertThat(cityWindow(historyStore)).hasSize(1);
            ZoneAggregate stored = cityWindow(historyStore).get(0).aggregate();
            assertThat(stored.windowStartMillis()).isEqualTo(minute);
            assertThat(stored.count()).isEqualTo(2);
            assertThat(stored.distinctSensors()).isEqualTo(2);
            assertThat(stored.mean()).isEqualTo(20.0);
            assertThat(stored.min()).isEqualTo(10.0);
            assertThat(stored.max()).isEqualTo(30.0);

            StoreConfig live = StoreConfig.Kafka.local(KAFKA.bootstrapServers(), "jar-live");
            DataStore liveLayer =
                    DataStores.openWithSchema(
                            live, StoreConfig.Access.READ, AggregateSchema.LIVE_TYPE);
            try {
                await("the city window in the live layer")
                        .atMost(PATIENCE)
                        .until(
                                () ->
                                        HistoryQueries.latest(
                                                        liveLayer,
                                                        AggregateSchema.LIVE_TYPE,
                                                        cityPm25())
                                                .stream()
                                                .anyMatch(a -> a.aggregate().count() == 2));
            } finally {
                liveLayer.dispose();
            }
        } finally {
            job.destroyForcibly();
            job.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static List<StoredAggregate> cityWindow(StoreConfig store) throws IOException {
        DataStore ds = DataStores.open(store, StoreConfig.Access.READ);
        try {
            if (!List.of(ds.getTypeNames()).contains(AggregateSchema.HISTORY_TYPE)) {
                return List.of();
            }
            return HistoryQueries.latest(ds, AggregateSchema.HISTORY_TYPE, cityPm25());
        } finally {
            ds.dispose();
        }
    }

    private static HistoryQuery cityPm25() {
        return HistoryQuery.all().metric(Metric.PM25).zoneKind(ZoneKind.CITY);
    }

    private static byte[] pm25(String sensor, String time, double value) {
        return ReadingJson.encode(
                new Reading(
                        sensor, Metric.PM25, "kunming", at(time), 25.0406, 102.7123, value, null));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
    }

    private static String jobJar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            List<Path> jars =
                    new ArrayList<>(
                            files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                                    .toList());
            assertThat(jars).as("the shaded job jar from `package`").hasSize(1);
            return jars.get(0).toAbsolutePath().toString();
        }
    }

    private static String flinkProvidedClasspath() throws IOException {
        return Files.readString(Path.of("target", "flink-provided-classpath.txt")).trim();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
