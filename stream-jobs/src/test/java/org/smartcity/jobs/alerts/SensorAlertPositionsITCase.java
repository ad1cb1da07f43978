package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.geotools.api.data.DataStore;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;
import org.smartcity.jobs.KafkaTestClients;
import org.smartcity.sinks.FlinkTestCluster;
import org.smartcity.sinks.GeoMesaSink;
import org.smartcity.store.AlertSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.ZoningGeometries;

/**
 * Sensor alerts reach the stores at their sensors' positions: the whole job, from the readings
 * topic, with a silent-sensor rule, a GeoMesa FileSystem history and a GeoMesa Kafka live layer.
 * Two sensors at two places fall silent (one while event time moves on, one only on the
 * TaskManager's clock); each one's {@code city_alerts} feature, in the history and in the live
 * layer, is a point at the position its readings gave.
 */
class SensorAlertPositionsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir static Path dir;

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final GeometryFactory POINTS = new GeometryFactory();

    // Two places in Kunming, with more digits than a GPS gives, so that a rounding shows.
    private static final double A_LAT = 25.040612345678;
    private static final double A_LON = 102.712398765432;
    private static final double C_LAT = 25.061187654321;
    private static final double C_LON = 102.683412345678;

    @Test
    void silentSensorsAreStoredAtTheirPositions() throws Exception {
        AlertJobRun run = AlertJobRun.in(dir);
        run.writeRules(
                List.of("  - id: silent", "    kind: silent", "    after: 3s", "    source: test"));
        JobConfig cfg = run.config(KAFKA.bootstrapServers(), "--checkpoint-interval=1s");
        StoreConfig history =
                StoreConfig.FileSystem.parquet(
                        dir.resolve("history-" + run.id()).toUri().toString());
        StoreConfig live = StoreConfig.Kafka.local(KAFKA.bootstrapServers(), "live-" + run.id());
        long minute = Instant.parse("2026-12-04T05:00:00Z").toEpochMilli();
        String silentA = "silent|sensor|km-a|" + (minute + 13_000);
        String silentC = "silent|sensor|km-c|" + (minute + 93_000);

        // The live layer's reader, opened before the writer (see KafkaLiveLayerIT).
        DataStore liveReader =
                DataStores.openWithType(
                        live, StoreConfig.Access.READ, AlertSchema.featureType(live));
        DataStore historyReader =
                DataStores.openWithType(
                        history, StoreConfig.Access.READ, AlertSchema.featureType(history));
        JobClient job = null;
        try (KafkaProducer<byte[], byte[]> producer =
                KafkaTestClients.producer(KAFKA.bootstrapServers())) {
            send(producer, run.readingsTopic(), "km-a", minute + 10_000, A_LAT, A_LON);
            // Moves event time past km-a's limit; km-c itself falls silent on processing time.
            send(producer, run.readingsTopic(), "km-c", minute + 90_000, C_LAT, C_LON);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            ZoningGeometries zones = new ZoningGeometries(cfg.zoning());
            CityAggregationJob.build(
                    env, cfg, GeoMesaSink.history(history, zones), GeoMesaSink.live(live, zones));
            job = env.executeAsync("sensor-positions-" + run.id());

            Map<String, Object> expected =
                    Map.of(
                            silentA, POINTS.createPoint(new Coordinate(A_LON, A_LAT)),
                            silentC, POINTS.createPoint(new Coordinate(C_LON, C_LAT)));
            await().atMost(PATIENCE)
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(
                            () ->
                                    assertThat(geometries(historyReader))
                                            .as("history")
                                            .isEqualTo(expected));
            await().atMost(PATIENCE)
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(
                            () ->
                                    assertThat(geometries(liveReader))
                                            .as("live layer")
                                            .isEqualTo(expected));
        } finally {
            if (job != null) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
            historyReader.dispose();
            liveReader.dispose();
        }
    }

    /** Each alert feature's geometry by feature id (the history's revisions are all one here). */
    private static Map<String, Object> geometries(DataStore store) throws IOException {
        Map<String, Object> out = new HashMap<>();
        try (SimpleFeatureIterator it =
                store.getFeatureSource(AlertSchema.TYPE).getFeatures().features()) {
            while (it.hasNext()) {
                SimpleFeature f = it.next();
                out.put(f.getID(), f.getDefaultGeometry());
            }
        }
        return out;
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            String sensor,
            long ts,
            double lat,
            double lon)
            throws Exception {
        KafkaTestClients.send(
                producer,
                topic,
                new Reading(sensor, Metric.PM25, "kunming", ts, lat, lon, 20, null));
    }
}
