package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.alert.TestAlerts;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.TestAlertRevisions;

/**
 * The dashboard's alerts against a real Kafka broker: alert revisions written to the alerts topic
 * in transactions, as the job writes them (one aborted), reach the {@code alerts} collection once
 * each at their newest revision, the live stream as {@code event: alert}, and the CAP feed and
 * documents; nothing of the aborted transaction shows anywhere. A sensor alert is at its sensor's
 * position: from the sensor's readings, or, for a sensor not heard within the readings monitor's
 * lookback, from where the job stored the alert in the history store.
 */
class AlertsDashboardIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOPIC = "smartcity.alerts.v1";
    private static final double KM1_LAT = 25.040612;
    private static final double KM1_LON = 102.712398;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void committedAlertsOnceAtTheirNewestRevisionEverywhere() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(KAFKA.bootstrapServers())) {
            producer.initTransactions();
            // Event times near now: the CAP feed keeps cleared alerts for 24 hours of wall time.
            long opened = System.currentTimeMillis() / 1000 * 1000 - 3_600_000L;
            Alert a1 = district(opened, AlertStatus.ACTIVE, null, 1);
            Alert b1 = sensor(opened + 60_000);
            send(producer, true, a1, b1);
            send(producer, false, sensor(opened + 120_000)); // aborted: never seen

            try (DashboardServer server =
                    dashboard(
                            "--store-history", "none", "--store-live-catalog", "alerts-it-live")) {
                String base = "http://127.0.0.1:" + server.port();
                await().atMost(Duration.ofSeconds(60)).until(() -> items(base, "").size() == 2);

                List<String> events = new CopyOnWriteArrayList<>();
                try (Stream<String> lines = sse(base, events)) {
                    Alert a2 = district(opened, AlertStatus.CLEARED, opened + 1_800_000L, 2);
                    send(producer, true, a2);
                    await().atMost(Duration.ofSeconds(60))
                            .until(
                                    () ->
                                            events.stream()
                                                    .anyMatch(e -> e.contains("\"revision\":2")));
                    JsonNode event =
                            JSON.readTree(
                                    events.stream()
                                            .filter(e -> e.contains("\"revision\":2"))
                                            .findFirst()
                                            .get());
                    assertThat(event.get("id").asText()).isEqualTo(a1.id());
                    assertThat(event.at("/properties/status").asText()).isEqualTo("cleared");
                    assertThat(event.at("/geometry/type").asText())
                            .isEqualTo("Polygon"); // Wuhua's outline
                }

                await().atMost(Duration.ofSeconds(30))
                        .until(() -> items(base, "?status=cleared").size() == 1);
                List<JsonNode> all = items(base, "");
                assertThat(all)
                        .extracting(f -> f.get("id").asText())
                        .containsExactly(b1.id(), a1.id()); // newest opening first
                assertThat(all.get(1).at("/properties/revision").asInt()).isEqualTo(2);
                assertThat(all.get(1).at("/properties/cleared_at").asText())
                        .isEqualTo(AlertJson.time(opened + 1_800_000L));
                assertThat(items(base, "?status=active&subject_kind=sensor"))
                        .extracting(f -> f.get("id").asText())
                        .containsExactly(b1.id());
                assertThat(items(base, "?severity=severe")).isEmpty();
                assertThat(items(base, "?rule=pm25-high&subject_id=530102")).hasSize(1);
                HttpResponse<String> bad = get(base + "/collections/alerts/items?severity=dire");
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("severity");

                HttpResponse<String> one = get(item(base, a1.id()));
                assertThat(one.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(one.body()).at("/properties/revision").asInt())
                        .isEqualTo(2);

                HttpResponse<String> atom = get(base + "/cap/alerts.atom");
                assertThat(atom.headers().firstValue("Content-Type")).contains(CapAlerts.ATOM_TYPE);
                SyndFeed feed = new SyndFeedInput().build(new StringReader(atom.body()));
                assertThat(feed.getEntries()).hasSize(2);
                String capUrl = feed.getEntries().get(1).getLinks().get(0).getHref();
                assertThat(capUrl).isEqualTo(base + CapAlerts.documentPath(a1.id()));

                HttpResponse<String> cap = get(capUrl);
                assertThat(cap.statusCode()).isEqualTo(200);
                assertThat(cap.headers().firstValue("Content-Type"))
                        .contains("application/cap+xml");
                assertThat(cap.body())
                        .contains("<msgType>Cancel</msgType>")
                        .contains("<references>smartcity@kunming," + a1.id() + "|r1,")
                        .contains("<areaDesc>Wuhua 五华区</areaDesc>");
                assertThat(get(base + "/cap/alerts/nothing.xml").statusCode()).isEqualTo(404);

                // Once the dashboard has heard the sensor, its alert is at the sensor's position:
                // a GeoJSON point (longitude first), and a CAP circle (latitude first) of 0.1 km.
                try (KafkaProducer<byte[], byte[]> readings =
                        new KafkaProducer<>(
                                Map.of(
                                        "bootstrap.servers",
                                        KAFKA.bootstrapServers(),
                                        "acks",
                                        "all"),
                                new ByteArraySerializer(),
                                new ByteArraySerializer())) {
                    long now = System.currentTimeMillis();
                    readings.send(
                                    new ProducerRecord<>(
                                            KafkaTopics.READINGS,
                                            null,
                                            now,
                                            "km-1".getBytes(StandardCharsets.UTF_8),
                                            ReadingJson.encode(
                                                    new Reading(
                                                            "km-1",
                                                            Metric.PM25,
                                                            "kunming",
                                                            now,
                                                            KM1_LAT,
                                                            KM1_LON,
                                                            12.5,
                                                            null))))
                            .get(30, TimeUnit.SECONDS);
                }
                String sensorItem = item(base, b1.id());
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () ->
                                        JSON.readTree(get(sensorItem).body())
                                                .at("/geometry/type")
                                                .asText()
                                                .equals("Point"));
                JsonNode point = JSON.readTree(get(sensorItem).body()).get("geometry");
                assertThat(point.at("/coordinates/0").asDouble()).isEqualTo(KM1_LON);
                assertThat(point.at("/coordinates/1").asDouble()).isEqualTo(KM1_LAT);
                assertThat(point.get("coordinates")).hasSize(2);
                assertThat(items(base, "?subject_kind=sensor&bbox=102.71,25.04,102.72,25.05"))
                        .extracting(f -> f.get("id").asText())
                        .containsExactly(b1.id());
                HttpResponse<String> sensorCap = get(base + CapAlerts.documentPath(b1.id()));
                assertThat(sensorCap.statusCode()).isEqualTo(200);
                assertThat(sensorCap.body())
                        .contains("<areaDesc>km-1</areaDesc>")
                        .contains("<circle>25.040612,102.712398 0.1</circle>")
                        .doesNotContain("<polygon>");
            }
        }
    }

    @Test
    void silentSensorsNotHeardSinceTheRestartAreWhereTheHistoryStoredTheirAlerts(@TempDir Path dir)
            throws Exception {
        // km-7 went silent at 05:00; the job stored its alert's first revision at the sensor's
        // point and the second without one (a restored job that had not heard the sensor again).
        long opened7 = Instant.parse("2026-12-04T05:00:00Z").toEpochMilli();
        Alert s7r1 = TestAlerts.silentSensor("km-7").opened(opened7).build();
        Alert s7r2 =
                TestAlerts.silentSensor("km-7")
                        .opened(opened7)
                        .updated(opened7 + 60_000)
                        .revision(2)
                        .build();
        // km-8: its alert stored without a position only, its previous episode at its point.
        long opened8 = Instant.parse("2026-12-04T06:00:00Z").toEpochMilli();
        long earlier8 = Instant.parse("2026-12-03T20:00:00Z").toEpochMilli();
        Alert s8 = TestAlerts.silentSensor("km-8").opened(opened8).build();
        Alert e8 =
                TestAlerts.silentSensor("km-8")
                        .opened(earlier8)
                        .cleared(earlier8 + 1_800_000L)
                        .revision(2)
                        .build();
        StoreConfig history = StoreConfig.FileSystem.parquet(dir.resolve("history").toString());
        TestAlertRevisions.write(
                history,
                List.of(
                        LocatedAlert.at(s7r1, 25.051234, 102.701234),
                        LocatedAlert.of(s7r2),
                        LocatedAlert.at(e8, 25.061234, 102.721234),
                        LocatedAlert.of(s8)));
        String topic = "alerts-it-stored";
        try (KafkaProducer<byte[], byte[]> producer = producer(KAFKA.bootstrapServers())) {
            producer.initTransactions();
            send(producer, topic, true, s7r2, s8, e8);
        }

        try (DashboardServer server =
                dashboard(
                        "--kafka-alerts-topic",
                        topic,
                        "--store-history",
                        dir.resolve("history").toString(),
                        "--store-live-catalog",
                        "none")) {
            String base = "http://127.0.0.1:" + server.port();
            // Both active alerts, each with a point: read from the store in the background.
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> {
                                List<JsonNode> active = items(base, "?status=active");
                                return active.size() == 2
                                        && active.stream()
                                                .allMatch(
                                                        f ->
                                                                f.at("/geometry/type")
                                                                        .asText()
                                                                        .equals("Point"));
                            });
            assertThat(server.readingsMonitor().sensor("km-7")).isNull();
            assertThat(server.readingsMonitor().sensor("km-8")).isNull();

            JsonNode point7 = JSON.readTree(get(item(base, s7r2.id())).body()).get("geometry");
            assertThat(point7.get("coordinates")).hasSize(2);
            assertThat(point7.at("/coordinates/0").asDouble()).isEqualTo(102.701234);
            assertThat(point7.at("/coordinates/1").asDouble()).isEqualTo(25.051234);
            assertThat(get(base + CapAlerts.documentPath(s7r2.id())).body())
                    .contains("<areaDesc>km-7</areaDesc>")
                    .contains("<circle>25.051234,102.701234 0.1</circle>")
                    .doesNotContain("<polygon>");

            JsonNode point8 = JSON.readTree(get(item(base, s8.id())).body()).get("geometry");
            assertThat(point8.at("/coordinates/0").asDouble()).isEqualTo(102.721234);
            assertThat(point8.at("/coordinates/1").asDouble()).isEqualTo(25.061234);
            assertThat(get(base + CapAlerts.documentPath(s8.id())).body())
                    .contains("<circle>25.061234,102.721234 0.1</circle>");
            assertThat(items(base, "?subject_kind=sensor&bbox=102.70,25.05,102.71,25.06"))
                    .extracting(f -> f.get("id").asText())
                    .containsExactly(s7r2.id());
        }
    }

    /** A dashboard on a free port, following this class's broker, with {@code flags} more. */
    private static DashboardServer dashboard(String... flags) throws Exception {
        List<String> all =
                new ArrayList<>(
                        List.of("--http-port", "0", "--kafka-bootstrap", KAFKA.bootstrapServers()));
        all.addAll(List.of(flags));
        return DashboardServer.start(DashboardConfig.fromFlags(all.toArray(String[]::new)));
    }

    private static Alert district(long opened, AlertStatus status, Long cleared, int revision) {
        return TestAlerts.pm25("530102")
                .subjectName("Wuhua 五华区")
                .opened(opened)
                .updated(cleared == null ? opened + 3_600_000L - 1 : cleared)
                .status(status)
                .cleared(cleared)
                .value(96.4)
                .peak(118.0)
                .message("PM2.5 hourly mean 96.4 ug/m3 in Wuhua 五华区, above 75")
                .revision(revision)
                .build();
    }

    private static Alert sensor(long opened) {
        return TestAlerts.silentSensor("km-1").opened(opened).build();
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, boolean commit, Alert... alerts)
            throws Exception {
        send(producer, TOPIC, commit, alerts);
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, boolean commit, Alert... alerts)
            throws Exception {
        producer.beginTransaction();
        for (Alert a : alerts) {
            producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    a.id().getBytes(StandardCharsets.UTF_8),
                                    AlertJson.encode(a)))
                    .get(30, TimeUnit.SECONDS);
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers", bootstrapServers,
                        "transactional.id", "alerts-test",
                        "acks", "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** The URL of one item of the {@code alerts} collection. */
    private static String item(String base, String alertId) {
        return base
                + "/collections/alerts/items/"
                + URLEncoder.encode(alertId, StandardCharsets.UTF_8);
    }

    private static List<JsonNode> items(String base, String query) throws Exception {
        HttpResponse<String> r = get(base + "/collections/alerts/items" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).get("features").forEach(out::add);
        return out;
    }

    /** Collects the data of every {@code alert} event of the live stream. */
    private static Stream<String> sse(String base, List<String> alertData) throws Exception {
        HttpResponse<Stream<String>> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/live/stream")).build(),
                        HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        Stream<String> lines = r.body();
        Thread reader =
                new Thread(
                        () -> {
                            String event = "";
                            try {
                                for (String line : (Iterable<String>) lines::iterator) {
                                    if (line.startsWith("event: ")) {
                                        event = line.substring(7);
                                    } else if (line.startsWith("data: ") && event.equals("alert")) {
                                        alertData.add(line.substring(6));
                                    }
                                }
                            } catch (RuntimeException e) {
                                // the stream was closed
                            }
                        },
                        "alerts-sse-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
