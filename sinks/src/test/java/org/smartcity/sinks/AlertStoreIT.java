package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.geotools.api.data.DataStore;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.core.alert.TestAlerts;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.store.AlertQueries;
import org.smartcity.store.AlertQuery;
import org.smartcity.store.AlertSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.TestZones;

/**
 * The alert sink against a GeoMesa FileSystem history and a GeoMesa Kafka live layer on a real
 * Kafka broker: every revision is stored, each alert is read back once at its newest revision with
 * every filter of the {@code alerts} collection, the live layer holds exactly the active alerts
 * that have a geometry (zones, and sensors whose position came with the alert: a point), and a
 * repeated commit (the same job run twice) changes nothing a reader sees.
 */
class AlertStoreIT {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    private static final long T0 = Instant.parse("2026-12-04T07:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;
    private static final GeometryFactory POINTS = new GeometryFactory();

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir static Path dir;

    // Wuhua's PM2.5: raised moderate, escalated to severe, cleared (as moderate).
    private static final Alert A1 = pm25(TestZones.WUHUA, T0, T0, null, Severity.MODERATE, 96, 1);
    private static final Alert A2 =
            pm25(TestZones.WUHUA, T0, T0 + 60 * MIN, null, Severity.SEVERE, 160, 2);
    private static final Alert A3 =
            pm25(TestZones.WUHUA, T0, T0 + 120 * MIN, T0 + 120 * MIN, Severity.MODERATE, 60, 3);
    // Noise in a cell: minor, then moderate, still active.
    private static final Alert B1 = noise(T0 + 30 * MIN, T0 + 30 * MIN, Severity.MINOR, 1);
    private static final Alert B2 = noise(T0 + 30 * MIN, T0 + 45 * MIN, Severity.MODERATE, 2);
    // A district roll-up of cell alerts: its cells are stored too.
    private static final Alert E1 =
            TestAlerts.noise(SubjectKind.DISTRICT, TestZones.PANLONG)
                    .subjectName("Panlong")
                    .opened(T0)
                    .value(72)
                    .message("3 H3 cells of Panlong alert on noise-high")
                    .cells(List.of("8840d8a2c1fffff", "8840d8a2c3fffff", "8840d8a2c5fffff"))
                    .build();
    // A silent sensor, active, with its position: stored at its point.
    private static final double C1_LAT = 25.040612345678;
    private static final double C1_LON = 102.712398765432;
    private static final Alert C1 = TestAlerts.silentSensor("km-7").opened(T0 + 45 * MIN).build();
    // Another silent sensor whose position the job did not know: stored without a geometry.
    private static final Alert C0 = TestAlerts.silentSensor("km-8").opened(T0 + 50 * MIN).build();
    // Panlong's PM2.5 the day before: raised and cleared.
    private static final Alert D1 =
            pm25(
                    TestZones.PANLONG,
                    T0 - 1440 * MIN,
                    T0 - 1440 * MIN,
                    null,
                    Severity.MODERATE,
                    80,
                    1);
    private static final Alert D2 =
            pm25(
                    TestZones.PANLONG,
                    T0 - 1440 * MIN,
                    T0 - 1380 * MIN,
                    T0 - 1380 * MIN,
                    Severity.MODERATE,
                    70,
                    2);

    @Test
    void everyRevisionStoredEachAlertReadOnceAtItsNewestRevision() throws Exception {
        StoreConfig history =
                StoreConfig.FileSystem.parquet(dir.resolve("history").toUri().toString());
        StoreConfig live =
                StoreConfig.Kafka.local(KAFKA.bootstrapServers(), "live-" + UUID.randomUUID());
        // The dashboard's live reader, opened before the writer (see KafkaLiveLayerIT).
        DataStore liveReader =
                DataStores.openWithType(
                        live, StoreConfig.Access.READ, AlertSchema.featureType(live));
        try {
            // Twice: the second run commits every revision again, as a retried commit would.
            for (int run = 0; run < 2; run++) {
                StreamExecutionEnvironment env =
                        StreamExecutionEnvironment.getExecutionEnvironment();
                env.setParallelism(2);
                var alerts =
                        env.fromData(
                                LocatedAlert.of(D1),
                                LocatedAlert.of(A1),
                                LocatedAlert.of(B1),
                                LocatedAlert.of(D2),
                                LocatedAlert.of(E1),
                                LocatedAlert.of(A2),
                                LocatedAlert.at(C1, C1_LAT, C1_LON),
                                LocatedAlert.of(C0),
                                LocatedAlert.of(B2),
                                LocatedAlert.of(A3));
                alerts.sinkTo(AlertSink.history(history, TestZones::geometry))
                        .uid("alerts-history")
                        .name("alerts history");
                alerts.sinkTo(AlertSink.live(live, TestZones::geometry))
                        .uid("alerts-live")
                        .name("alerts live");
                env.execute("alert-store-" + run);
            }

            DataStore reader = DataStores.open(history, StoreConfig.Access.READ);
            try {
                // Newest opening first.
                assertThat(AlertQueries.latest(reader, AlertQuery.all()))
                        .containsExactly(C0, C1, B2, E1, A3, D2);
                assertThat(rawRows(reader)).as("10 revisions, committed twice").hasSize(20);
                Map<String, SimpleFeature> byId = new java.util.HashMap<>();
                for (SimpleFeature f : rawRows(reader)) {
                    byId.put(f.getID(), f);
                }
                assertThat(byId.get(A3.id()).getDefaultGeometry())
                        .isEqualTo(TestZones.geometry(ZoneKind.DISTRICT, TestZones.WUHUA));
                assertThat(byId.get(B2.id()).getDefaultGeometry())
                        .isEqualTo(TestZones.geometry(ZoneKind.H3, TestZones.CELL));
                assertThat(byId.get(C1.id()).getDefaultGeometry())
                        .isEqualTo(POINTS.createPoint(new Coordinate(C1_LON, C1_LAT)));
                assertThat(byId.get(C0.id()).getDefaultGeometry()).isNull();

                assertThat(query(reader, q -> q.status(AlertStatus.ACTIVE)))
                        .containsExactly(C0, C1, B2, E1);
                assertThat(query(reader, q -> q.status(AlertStatus.CLEARED)))
                        .containsExactly(A3, D2);
                // Wuhua was severe at revision 2 only: its newest revision is moderate.
                assertThat(query(reader, q -> q.severity(Severity.SEVERE))).isEmpty();
                assertThat(query(reader, q -> q.severity(Severity.MODERATE)))
                        .containsExactly(B2, A3, D2);
                assertThat(query(reader, q -> q.rule("pm25-high"))).containsExactly(A3, D2);
                assertThat(query(reader, q -> q.subjectKind(SubjectKind.SENSOR)))
                        .containsExactly(C0, C1);
                assertThat(query(reader, q -> q.subjectId(TestZones.CELL))).containsExactly(B2);
                // Episodes overlapping [T0, ...): Panlong's ended the day before.
                assertThat(query(reader, q -> q.from(Instant.ofEpochMilli(T0))))
                        .containsExactly(C0, C1, B2, E1, A3);
                // Episodes that opened before T0.
                assertThat(query(reader, q -> q.to(Instant.ofEpochMilli(T0)))).containsExactly(D2);
                // Wuhua's episode ended at T0 + 2 h: inside [T0 + 2 h, T0 + 3 h), not after.
                assertThat(
                                query(
                                        reader,
                                        q ->
                                                q.rule("pm25-high")
                                                        .from(Instant.ofEpochMilli(T0 + 120 * MIN))
                                                        .to(Instant.ofEpochMilli(T0 + 180 * MIN))))
                        .containsExactly(A3);
                assertThat(
                                query(
                                        reader,
                                        q ->
                                                q.rule("pm25-high")
                                                        .from(
                                                                Instant.ofEpochMilli(
                                                                        T0 + 120 * MIN + 1))))
                        .isEmpty();
            } finally {
                reader.dispose();
            }

            // The live layer: the active alerts with a geometry, at their newest revision; the
            // sensor at its point.
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(
                            () ->
                                    assertThat(AlertQueries.latest(liveReader, AlertQuery.all()))
                                            .containsExactly(C1, B2, E1));
            Map<String, Object> liveGeometries = new java.util.HashMap<>();
            for (SimpleFeature f : rawRows(liveReader)) {
                liveGeometries.put(f.getID(), f.getDefaultGeometry());
            }
            assertThat(liveGeometries)
                    .containsOnlyKeys(C1.id(), B2.id(), E1.id())
                    .containsEntry(C1.id(), POINTS.createPoint(new Coordinate(C1_LON, C1_LAT)))
                    .containsEntry(B2.id(), TestZones.geometry(ZoneKind.H3, TestZones.CELL));
        } finally {
            liveReader.dispose();
        }
    }

    private static List<Alert> query(
            DataStore reader, java.util.function.UnaryOperator<AlertQuery> q) throws IOException {
        return AlertQueries.latest(reader, q.apply(AlertQuery.all()));
    }

    private static List<SimpleFeature> rawRows(DataStore reader) throws IOException {
        List<SimpleFeature> out = new ArrayList<>();
        try (SimpleFeatureIterator it =
                reader.getFeatureSource(AlertSchema.TYPE).getFeatures().features()) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    private static Alert pm25(
            String district,
            long opened,
            long updated,
            Long cleared,
            Severity severity,
            double value,
            int revision) {
        return TestAlerts.pm25(district)
                .subjectName("district " + district)
                .opened(opened)
                .updated(updated)
                .cleared(cleared)
                .severity(severity)
                .value(value)
                .peak(Math.max(value, 96))
                .threshold(severity == Severity.SEVERE ? 150 : 75)
                .message("PM2.5 hourly mean " + value + " ug/m3")
                .revision(revision)
                .build();
    }

    private static Alert noise(long opened, long updated, Severity severity, int revision) {
        return TestAlerts.noise(SubjectKind.H3, TestZones.CELL)
                .opened(opened)
                .updated(updated)
                .severity(severity)
                .value(71.5 + revision)
                .message("noise above 70 dB(A)")
                .revision(revision)
                .build();
    }
}
