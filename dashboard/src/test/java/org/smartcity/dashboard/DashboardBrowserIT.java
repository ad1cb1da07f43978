package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.SimpleFeatureStore;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.data.DataUtilities;
import org.geotools.util.factory.Hints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.RejectionReason;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.ZoningGeometries;

/**
 * The live page in a real browser: Debian's headless Chromium, driven through its chromedriver,
 * against a dashboard on a Kafka broker (readings, dead letters, live layer) and a FileSystem
 * history store, filled the way the bridge and the aggregation job fill them. One browser session
 * walks through what a presenter sees: the zones of the chosen metric and zone kind, the city's
 * figures, the data quality panel, a zone's last hour, and a figure changing by itself when a new
 * window lands in the live layer; with no error in the browser's console. Leaves a screenshot in
 * {@code target/screenshots/dashboard.png}.
 *
 * <p>Skipped where Chromium or chromedriver is missing ({@link HeadlessChromium}).
 */
class DashboardBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long MINUTE = 60_000;

    private static final Zoning ZONING = Zoning.kunming();
    private static final ZoningGeometries GEOMETRIES = ZoningGeometries.kunming();

    @TempDir static Path dir;
    private static KafkaBroker kafka;
    private static DataStore live;
    private static DashboardServer dashboard;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        HeadlessChromium.assumeInstalled();
        kafka = KafkaBroker.start(0, dir.resolve("kafka"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (live != null) {
            live.dispose();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void showsTheLiveLayerAndFollowsItWithoutReloading() throws Exception {
        // Windows of the last few minutes, so that the sensors' status and the chart's hour
        // (both relative to now) hold them.
        long t = Instant.now().truncatedTo(ChronoUnit.MINUTES).toEpochMilli() - 2 * MINUTE;

        // The selection the page opens with: PM2.5 by district, 1-minute windows. Five of the
        // fourteen districts have a window; PM10 in all of them and PM2.5's 15-minute windows
        // must not be drawn.
        List<Zone> districts =
                ZONING.districts().stream().sorted(Comparator.comparing(Zone::id)).toList();
        List<Zone> pm25Districts = districts.subList(0, 5);
        // H3 cells around the centre, 0.01° (about 1 km) apart: more than a cell's width.
        Set<String> cells = new LinkedHashSet<>();
        for (int i = -1; i <= 1; i++) {
            for (int j = -1; j <= 1; j++) {
                cells.add(ZONING.cell(25.04 + 0.01 * i, 102.71 + 0.01 * j).id());
            }
        }
        String clickedCell = cells.iterator().next();
        String city = ZONING.city().id();

        List<ZoneAggregate> first = new ArrayList<>();
        for (Zone d : pm25Districts) {
            first.add(aggregate(Metric.PM25, ZoneKind.DISTRICT, d.id(), t, MINUTE, 30));
        }
        for (Zone d : districts) {
            first.add(aggregate(Metric.PM10, ZoneKind.DISTRICT, d.id(), t, MINUTE, 60));
            first.add(aggregate(Metric.PM25, ZoneKind.DISTRICT, d.id(), t, 15 * MINUTE, 30));
        }
        for (String cell : cells) {
            first.add(aggregate(Metric.PM25, ZoneKind.H3, cell, t, MINUTE, 20));
        }
        first.add(aggregate(Metric.PM25, ZoneKind.CITY, city, t, MINUTE, 41.37));
        first.add(aggregate(Metric.PM10, ZoneKind.CITY, city, t, MINUTE, 88));

        // The clicked cell's history: minutes 0..24 before t, minutes 10 and 11 missing, plus one
        // window more than an hour old that the chart must leave out: 23 points.
        List<ZoneAggregate> history = new ArrayList<>();
        for (int k = 0; k <= 24; k++) {
            if (k != 10 && k != 11) {
                history.add(
                        aggregate(
                                Metric.PM25,
                                ZoneKind.H3,
                                clickedCell,
                                t - k * MINUTE,
                                MINUTE,
                                20 + k));
            }
        }
        history.add(aggregate(Metric.PM25, ZoneKind.H3, clickedCell, t - 70 * MINUTE, MINUTE, 5));
        StoreConfig historyStore =
                StoreConfig.FileSystem.parquet(dir.resolve("history").toString());
        DataStore h =
                DataStores.openWithSchema(
                        historyStore, StoreConfig.Access.WRITE, AggregateSchema.HISTORY_TYPE);
        try {
            write(h, AggregateSchema.HISTORY_TYPE, history, false);
        } finally {
            h.dispose();
        }

        String catalog = "live-" + UUID.randomUUID();
        live =
                DataStores.openWithSchema(
                        StoreConfig.Kafka.local(kafka.bootstrapServers(), catalog),
                        StoreConfig.Access.WRITE,
                        AggregateSchema.LIVE_TYPE);
        write(live, AggregateSchema.LIVE_TYPE, first, true);

        // What the bridge wrote: three sensors heard just now, one last heard 10 minutes ago
        // (silent after the default 2 minutes), three readings rejected as out of range and one
        // as malformed.
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String sensor : List.of("km-pm25-a", "km-pm25-b", "km-noise-c")) {
                producer.send(reading(sensor, now));
            }
            producer.send(reading("km-pm25-quiet", now - 10 * MINUTE));
            for (RejectionReason reason :
                    List.of(
                            RejectionReason.OUT_OF_RANGE,
                            RejectionReason.MALFORMED,
                            RejectionReason.OUT_OF_RANGE,
                            RejectionReason.OUT_OF_RANGE)) {
                producer.send(rejected(reason, now));
            }
            producer.flush();
        }

        dashboard =
                DashboardServer.start(
                        DashboardConfig.fromFlags(
                                "--http-port=0",
                                "--kafka-bootstrap=" + kafka.bootstrapServers(),
                                "--store-history=" + dir.resolve("history"),
                                "--store-live-catalog=" + catalog));
        browser = HeadlessChromium.start();
        browser.get("http://localhost:" + dashboard.port() + "/");

        // The default selection, PM2.5 by district: exactly the five districts with a window.
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(
                        () ->
                                assertThat(zoneIds())
                                        .containsExactlyInAnyOrderElementsOf(
                                                pm25Districts.stream().map(Zone::id).toList()));
        assertThat(browser.findElement(By.id("metric-select")).getDomProperty("value"))
                .isEqualTo("pm25");
        // District outlines are the base map: all fourteen, whatever is selected.
        assertThat(browser.findElements(By.cssSelector("#map path.district-outline")))
                .hasSize(districts.size());

        // The city's figures, formatted with one decimal.
        await().atMost(WAIT).untilAsserted(() -> assertThat(headline("pm25")).isEqualTo("41.4"));
        assertThat(headline("pm10")).isEqualTo("88.0");
        assertThat(headline("noise")).isEqualTo("–");

        // Data quality, from /api/status and the stream's status events.
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            assertThat(text("#rejected-table tr[data-reason=OUT_OF_RANGE] .num"))
                                    .isEqualTo("3");
                            assertThat(text("#rejected-table tr[data-reason=MALFORMED] .num"))
                                    .isEqualTo("1");
                            assertThat(text("#rejected-total")).isEqualTo("(4)");
                            assertThat(text("#active-sensors")).isEqualTo("3");
                            assertThat(text("#total-sensors")).isEqualTo("of 4");
                            assertThat(text("#readings-per-minute")).isEqualTo("3");
                            assertThat(text("#silent-table")).contains("km-pm25-quiet");
                        });
        assertThat(browser.findElements(By.cssSelector("#rejected-table tr[data-reason]")))
                .hasSize(2);

        // H3 cells: exactly the nine cells.
        browser.findElement(By.cssSelector("[data-zone-kind=h3]")).click();
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertThat(zoneIds()).containsExactlyInAnyOrderElementsOf(cells));
        assertThat(browser.getCurrentUrl()).contains("zone_kind=h3");
        WebElement cell = zonePath(clickedCell);
        // PM2.5 of 20 is in China's "good" band.
        assertThat(cell.getDomAttribute("fill")).isEqualTo("#00e400");

        // A click on a zone: its last hour from the history store, 23 one-minute windows.
        cell.click();
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(
                        () ->
                                assertThat(
                                                browser.findElement(By.cssSelector("#chart svg"))
                                                        .getDomAttribute("data-points"))
                                        .isEqualTo("23"));
        assertThat(text("#chart-title")).isEqualTo(clickedCell + ": PM2.5, last hour");
        assertThat(browser.findElements(By.cssSelector("#chart .threshold"))).isNotEmpty();

        // The next minute lands in the live layer: the page follows without reloading.
        Object pageBefore = browser.executeScript("return window.performance.timeOrigin");
        write(
                live,
                AggregateSchema.LIVE_TYPE,
                List.of(
                        aggregate(Metric.PM25, ZoneKind.CITY, city, t + MINUTE, MINUTE, 58.64),
                        aggregate(Metric.PM25, ZoneKind.H3, clickedCell, t + MINUTE, MINUTE, 160)),
                true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(headline("pm25")).isEqualTo("58.6"));
        // 160 is "heavily polluted"; the cell is replaced, not added.
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(
                        () ->
                                assertThat(zonePath(clickedCell).getDomAttribute("fill"))
                                        .isEqualTo("#99004c"));
        assertThat(zoneIds()).hasSize(cells.size());
        assertThat(browser.executeScript("return window.performance.timeOrigin"))
                .isEqualTo(pageBefore);
        assertThat(browser.findElement(By.id("live-indicator")).getDomAttribute("data-state"))
                .isEqualTo("live");

        HeadlessChromium.screenshot(browser, "dashboard");

        List<String> errors = HeadlessChromium.consoleErrors(browser);
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    /** The zone ids of the map's zone layer, one per SVG path. */
    private static List<String> zoneIds() {
        return browser.findElements(By.cssSelector("#map path.zone")).stream()
                .map(e -> e.getDomAttribute("data-zone-id"))
                .toList();
    }

    private static WebElement zonePath(String zoneId) {
        return browser.findElement(By.cssSelector("#map path.zone[data-zone-id='" + zoneId + "']"));
    }

    private static String headline(String metric) {
        return text("[data-headline=" + metric + "] .value");
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    /** An aggregate whose statistics all derive from {@code mean}. */
    private static ZoneAggregate aggregate(
            Metric metric, ZoneKind kind, String zoneId, long start, long length, double mean) {
        return new ZoneAggregate(
                metric, kind, zoneId, start, length, 12, 3, mean, mean - 5, mean + 5, mean * 12,
                mean, mean + 4, 1, 0);
    }

    /** Writes aggregates as the sink does: deterministic ids, the zone's outline, updated now. */
    private static void write(
            DataStore store, String type, List<ZoneAggregate> aggregates, boolean liveIds)
            throws IOException {
        SimpleFeatureType featureType = store.getSchema(type);
        List<SimpleFeature> features = new ArrayList<>();
        for (ZoneAggregate a : aggregates) {
            String id = liveIds ? AggregateSchema.liveId(a) : AggregateSchema.historyId(a);
            SimpleFeature f =
                    AggregateSchema.toFeature(
                            featureType,
                            id,
                            a,
                            GEOMETRIES.geometry(a.zoneKind(), a.zoneId()),
                            Instant.now());
            f.getUserData().put(Hints.USE_PROVIDED_FID, Boolean.TRUE);
            f.getUserData().put(Hints.PROVIDED_FID, id);
            features.add(f);
        }
        ((SimpleFeatureStore) store.getFeatureSource(type))
                .addFeatures(DataUtilities.collection(features));
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** A reading as the bridge writes it, with the bridge's send time {@code at}. */
    private static ProducerRecord<byte[], byte[]> reading(String sensorId, long at) {
        Reading r =
                new Reading(
                        sensorId,
                        sensorId.contains("noise") ? Metric.NOISE : Metric.PM25,
                        "kunming",
                        at,
                        25.04,
                        102.71,
                        40,
                        null);
        return new ProducerRecord<>(
                KafkaTopics.READINGS,
                null,
                at,
                sensorId.getBytes(StandardCharsets.UTF_8),
                ReadingJson.encode(r));
    }

    private static ProducerRecord<byte[], byte[]> rejected(RejectionReason reason, long at) {
        ProducerRecord<byte[], byte[]> r =
                new ProducerRecord<>(
                        KafkaTopics.REJECTED,
                        null,
                        at,
                        "km-bad".getBytes(StandardCharsets.UTF_8),
                        "{}".getBytes(StandardCharsets.UTF_8));
        r.headers()
                .add(
                        new RecordHeader(
                                KafkaTopics.HEADER_REASON,
                                reason.name().getBytes(StandardCharsets.UTF_8)));
        return r;
    }
}
