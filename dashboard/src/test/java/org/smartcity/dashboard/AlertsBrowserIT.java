package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Point;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.core.alert.TestAlerts;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;

/**
 * Alerts on the live page in headless Chromium, each change written to the alerts topic as the job
 * writes it and seen without a reload: a district alert fills the banner, appears in today's list
 * with its timeline bar and is outlined on the map in its severity colour; a more severe sensor
 * alert takes over the banner and marks the sensor (which the dashboard has heard, so it has a
 * position) with its label; a district roll-up outlines its district and, lighter, its cells, with
 * one row in the list; the first alert clears: its outline goes, its row stays with the episode's
 * bar ending at the clearing time; the roll-up clears: the cells still alerting are rows of their
 * own until they clear too, then the cleared roll-up is again one row. At a phone's 390 px, at
 * 1920x1080 and, freshly loaded, at 1280x720, every row's time stays inside the alerts panel, clear
 * of the row's severity and subject, and the page never scrolls sideways. The banner names the
 * sensor once (the job's message names it too); the sensor's label hides no district name at any of
 * these sizes; at 1920x1080 and 1280x720 every district lies inside the map, clear of the legend
 * and the alert key. The console stays free of errors. Leaves {@code target/screenshots/alerts.png}
 * (banner, outlines, marker, list at 1920x1080), {@code alerts-1280.png} and {@code
 * alerts-390.png}. Skipped where Chromium or chromedriver is missing ({@link HeadlessChromium}).
 */
class AlertsBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long HOUR = 3_600_000L;
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final Pattern PERCENT = Pattern.compile("(left|width):([0-9.]+)%");

    private static final Zoning ZONING = Zoning.kunming();
    private static final String WUHUA = "530102";
    private static final String PANLONG = "530103";
    private static final String GUANDU = "530111";
    private static final String SENSOR = "km-water_level-0003";
    private static final double SENSOR_LAT = 24.98;
    private static final double SENSOR_LON = 102.70;

    /**
     * Whether the page has taken the viewport's new size (arguments: width, height) and the map has
     * followed it: each of its SVG layers is at least as wide as the map.
     */
    private static final String RESIZED =
            """
            const map = document.getElementById('map');
            return window.innerWidth === arguments[0] && window.innerHeight === arguments[1]
              && [...map.querySelectorAll('.leaflet-pane svg')]
                .every((svg) => svg.width.baseVal.value >= map.clientWidth);""";

    /**
     * The map's layout, in the page's pixels ([left, top, right, bottom]): the map, the overlays in
     * its corner that are shown (legend, alert key), each district outline (its projected bounding
     * box) and each district name shown, the sensors' labels, and the map's controls (zoom buttons,
     * attribution, alert key).
     */
    private static final String MAP_LAYOUT =
            """
            const box = (el) => {
              const r = el.getBoundingClientRect();
              return [r.left, r.top, r.right, r.bottom];
            };
            const shown = (el) => el && !el.hidden && el.getClientRects().length > 0;
            return {
              map: box(document.getElementById('map')),
              overlays: ['legend', 'alert-key'].map((id) => document.getElementById(id))
                .filter(shown).map((el) => ({ id: el.id, box: box(el) })),
              districts: [...document.querySelectorAll('path.district-outline')]
                .map((p) => ({ id: p.dataset.districtId, box: box(p) })),
              names: [...document.querySelectorAll('.district-label')]
                .filter((el) => el.style.display !== 'none')
                .map((el) => ({ id: el.dataset.districtId, box: box(el.firstElementChild) })),
              labels: [...document.querySelectorAll('.leaflet-tooltip.alert-tip')]
                .map((el) => ({ id: el.textContent, box: box(el) })),
              controls: [...document.querySelectorAll('#map .leaflet-control')].filter(shown)
                .map((el) => ({ id: el.className, box: box(el) })),
            };""";

    @TempDir Path dir;

    @Test
    void alertsAppearOnTheBannerTheMapAndTheTimelineWithoutAReload() throws Exception {
        HeadlessChromium.assumeInstalled();
        try (KafkaBroker kafka = KafkaBroker.start(0, dir.resolve("kafka"));
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(
                                Map.of(
                                        "bootstrap.servers",
                                        kafka.bootstrapServers(),
                                        "acks",
                                        "all"),
                                new ByteArraySerializer(),
                                new ByteArraySerializer());
                DashboardServer dashboard =
                        DashboardServer.start(
                                DashboardConfig.fromFlags(
                                        "--http-port", "0",
                                        "--kafka-bootstrap", kafka.bootstrapServers(),
                                        "--store-history", "none",
                                        "--store-live-catalog", "alerts-browser-live"))) {
            // The dashboard hears the water-level sensor first: its alert then has a position.
            long now = System.currentTimeMillis() / 60_000 * 60_000;
            producer.send(reading(now)).get(30, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            URI sensorItem =
                    URI.create(
                            "http://127.0.0.1:"
                                    + dashboard.port()
                                    + "/collections/sensors/items/"
                                    + SENSOR);
            await().atMost(WAIT)
                    .until(
                            () ->
                                    http.send(
                                                            HttpRequest.newBuilder(sensorItem)
                                                                    .build(),
                                                            HttpResponse.BodyHandlers.discarding())
                                                    .statusCode()
                                            == 200);

            ChromeDriver browser = HeadlessChromium.start();
            try {
                browser.get("http://127.0.0.1:" + dashboard.port() + "/");
                Object pageBefore = browser.executeScript("return window.performance.timeOrigin");
                await().atMost(WAIT)
                        .until(
                                () ->
                                        "live"
                                                .equals(
                                                        browser.findElement(By.id("live-indicator"))
                                                                .getDomAttribute("data-state")));
                assertThat(browser.findElement(By.id("alert-banner")).isDisplayed()).isFalse();
                assertThat(browser.findElement(By.id("alert-key")).isDisplayed()).isFalse();

                // A district alert: banner, outline, a row with its bar.
                long wuhuaOpened = now - HOUR;
                Alert wuhua =
                        district(
                                "pm25-high",
                                WUHUA,
                                Metric.PM25,
                                Severity.MODERATE,
                                wuhuaOpened,
                                96.4,
                                75.0,
                                "PM2.5 hourly mean 96.4 ug/m3 in Wuhua District 五华区, above 75 (GB 3095-2012"
                                        + " Grade II)",
                                List.of());
                send(producer, wuhua);
                // Each thing once: the message (which names the district too) is not repeated.
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () ->
                                        assertThat(bannerText(browser))
                                                .isEqualTo(
                                                        "MODERATE Wuhua District 五华区 PM2.5 96.4 ug/m3"
                                                                + " (threshold 75) since "
                                                                + clock(wuhuaOpened)
                                                                + " UTC"));
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () -> {
                                    WebElement outline = outline(browser, wuhua);
                                    assertThat(outline.getDomAttribute("data-severity"))
                                            .isEqualTo("moderate");
                                    assertThat(outline.getDomAttribute("stroke"))
                                            .isEqualTo("#f2c200");
                                });
                WebElement wuhuaRow = row(browser, wuhua);
                assertThat(wuhuaRow.getText())
                        .contains("MODERATE", "Wuhua District 五华区", "since " + clock(wuhuaOpened));
                assertThat(
                                wuhuaRow.findElement(By.cssSelector(".track .bar"))
                                        .getDomAttribute("data-open"))
                        .isEqualTo("true");

                // A more severe sensor alert: the banner, and a marker with its label.
                long sensorOpened = now - 600_000L;
                Alert water =
                        TestAlerts.alert(
                                        "water-level",
                                        Metric.WATER_LEVEL,
                                        SubjectKind.SENSOR,
                                        SENSOR)
                                .severity(Severity.SEVERE)
                                .opened(sensorOpened)
                                .value(4.12)
                                .threshold(4.0)
                                .message(
                                        "Water level at sensor "
                                                + SENSOR
                                                + " 4.12 m, above 4 (flood signal)")
                                .build();
                send(producer, water);
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () ->
                                        assertThat(
                                                        browser.findElement(By.id("alert-banner"))
                                                                .getDomAttribute("data-severity"))
                                                .isEqualTo("severe"));
                // The job's message says "at sensor km-water_level-0003" too: the sensor once.
                String banner = bannerText(browser);
                assertThat(banner)
                        .isEqualTo(
                                "SEVERE sensor "
                                        + SENSOR
                                        + " Water level 4.12 m (threshold 4) since "
                                        + clock(sensorOpened)
                                        + " UTC");
                assertThat(banner.split(SENSOR, -1)).hasSize(2);
                String label =
                        "SEVERE "
                                + SENSOR
                                + ": water-level, 4.12 m (threshold 4) since "
                                + clock(sensorOpened)
                                + " UTC";
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () -> {
                                    WebElement marker =
                                            browser.findElement(
                                                    By.cssSelector(
                                                            ".alert-sensor[data-sensor-id='"
                                                                    + SENSOR
                                                                    + "']"));
                                    assertThat(marker.getDomAttribute("data-severity"))
                                            .isEqualTo("severe");
                                    assertThat(marker.getDomAttribute("aria-label"))
                                            .isEqualTo(label);
                                    // Few sensors: a short label on the map, the rest on hover.
                                    assertThat(
                                                    browser.findElement(
                                                                    By.cssSelector(
                                                                            ".leaflet-tooltip.alert-tip"))
                                                            .getText())
                                            .isEqualTo(SENSOR + "\n4.12 m (threshold 4)");
                                    assertThat(marker.getDomAttribute("title"))
                                            .isEqualTo(
                                                    "SEVERE "
                                                            + SENSOR
                                                            + "\nwater-level, 4.12 m (threshold 4)"
                                                            + "\nsince "
                                                            + clock(sensorOpened)
                                                            + " UTC");
                                });
                assertThat(browser.findElement(By.id("alert-key")).isDisplayed()).isTrue();
                // Its label hides no district name (the sensor is south-west of Guandu's name:
                // right of the marker, the label covered it).
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(() -> assertLabelsClear(browser, "1920x1080"));

                // A roll-up of three Panlong cells: the district outlined, the cells lighter,
                // one row.
                List<String> cells = panlongCells();
                long cellsOpened = now - 1_200_000L;
                List<Alert> cellAlerts =
                        cells.stream()
                                .map(
                                        c ->
                                                TestAlerts.noise(SubjectKind.H3, c)
                                                        .opened(cellsOpened)
                                                        .message(
                                                                "Noise 71 dB(A) in cell "
                                                                        + c
                                                                        + ", above 70")
                                                        .build())
                                .toList();
                for (Alert c : cellAlerts) {
                    send(producer, c);
                }
                Alert rollup =
                        district(
                                "noise-high",
                                PANLONG,
                                Metric.NOISE,
                                Severity.MINOR,
                                cellsOpened,
                                71.0,
                                70.0,
                                "Noise above 70 dB(A) in 3 cells of Panlong District 盘龙区",
                                cells);
                send(producer, rollup);
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () -> {
                                    assertThat(outline(browser, rollup).getDomAttribute("stroke"))
                                            .isEqualTo("#1f5fbf");
                                    for (Alert c : cellAlerts) {
                                        assertThat(
                                                        outline(browser, c)
                                                                .getDomAttribute("data-rolled-up"))
                                                .isEqualTo("true");
                                    }
                                    assertThat(
                                                    browser.findElements(
                                                            By.cssSelector(
                                                                    "#alert-table tbody"
                                                                            + " tr[data-alert-id]")))
                                            .hasSize(3);
                                });
                assertThat(row(browser, rollup).getText()).contains("3 cells");

                // A PM10 alert on Guandu: a second outline, in the moderate colour.
                Alert guandu =
                        district(
                                "pm10-high",
                                GUANDU,
                                Metric.PM10,
                                Severity.MODERATE,
                                now - 1_800_000L,
                                162.0,
                                150.0,
                                "PM10 daily mean 162 ug/m3 in Guandu District 官渡区, above 150",
                                List.of());
                send(producer, guandu);
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () ->
                                        assertThat(
                                                        outline(browser, guandu)
                                                                .getDomAttribute("stroke"))
                                                .isEqualTo("#f2c200"));

                // The district alert clears: its outline goes, its row stays with a closed bar.
                long wuhuaCleared = now - 300_000L;
                send(
                        producer,
                        wuhua.cleared(
                                wuhuaCleared,
                                wuhuaCleared,
                                60.2,
                                96.4,
                                "PM2.5 hourly mean back to 60.2 ug/m3 in Wuhua District 五华区"));
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () -> {
                                    assertThat(
                                                    browser.findElements(
                                                            By.cssSelector(
                                                                    "path[data-alert-id='"
                                                                            + wuhua.id()
                                                                            + "']")))
                                            .isEmpty();
                                    assertThat(row(browser, wuhua).getDomAttribute("data-status"))
                                            .isEqualTo("cleared");
                                });
                assertThat(browser.findElement(By.id("map")).getDomAttribute("data-alert-zones"))
                        .isEqualTo("5");
                assertThat(
                                browser.findElements(
                                        By.cssSelector("#alert-table tbody tr[data-alert-id]")))
                        .hasSize(4);
                assertThat(row(browser, wuhua).getText())
                        .contains(clock(wuhuaOpened) + "–" + clock(wuhuaCleared));
                // The bar of the cleared episode on the shared axis: from the full hour of the
                // first episode (or the day's start) to the full hour after now.
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () -> {
                                    long dayStart =
                                            Instant.ofEpochMilli(now)
                                                    .truncatedTo(ChronoUnit.DAYS)
                                                    .toEpochMilli();
                                    long from = Math.max(dayStart, wuhuaOpened);
                                    long start = Math.max(dayStart, from / HOUR * HOUR);
                                    long end =
                                            Math.min(
                                                    dayStart + 24 * HOUR,
                                                    System.currentTimeMillis() / HOUR * HOUR
                                                            + HOUR);
                                    WebElement bar =
                                            row(browser, wuhua)
                                                    .findElement(By.cssSelector(".track .bar"));
                                    assertThat(bar.getDomAttribute("data-open")).isEqualTo("false");
                                    Map<String, Double> at = percentages(bar);
                                    double span = end - start;
                                    assertThat(at.get("left"))
                                            .isCloseTo(100 * (from - start) / span, within(0.001));
                                    assertThat(at.get("width"))
                                            .isCloseTo(
                                                    100 * (wuhuaCleared - from) / span,
                                                    within(0.001));
                                });
                assertThat(browser.executeScript("return window.performance.timeOrigin"))
                        .isEqualTo(pageBefore);

                // The roll-up clears with its first cell; the two cells still alerting are rows
                // of their own (the banner may name them), and once they clear too the roll-up is
                // again the one row of its episode.
                long cellsCleared = now - 120_000L;
                send(producer, cleared(cellAlerts.get(0), cellsCleared, 69.0));
                send(producer, cleared(rollup, cellsCleared, 69.0));
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () -> {
                                    assertThat(row(browser, rollup).getDomAttribute("data-status"))
                                            .isEqualTo("cleared");
                                    // Active first, then newest; the two cells opened
                                    // together, so by id.
                                    assertThat(rowIds(browser))
                                            .containsExactly(
                                                    water.id(),
                                                    first(cellAlerts.get(1), cellAlerts.get(2)),
                                                    last(cellAlerts.get(1), cellAlerts.get(2)),
                                                    guandu.id(),
                                                    rollup.id(),
                                                    wuhua.id());
                                });
                send(producer, cleared(cellAlerts.get(1), cellsCleared + 60_000L, 68.0));
                send(producer, cleared(cellAlerts.get(2), cellsCleared + 60_000L, 68.0));
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () ->
                                        assertThat(rowIds(browser))
                                                .containsExactly(
                                                        water.id(),
                                                        guandu.id(),
                                                        rollup.id(),
                                                        wuhua.id()));
                assertThat(row(browser, rollup).getText())
                        .contains(
                                "Panlong District 盘龙区",
                                "3 cells",
                                clock(cellsOpened) + "–" + clock(cellsCleared));
                assertThat(browser.findElement(By.id("map")).getDomAttribute("data-alert-zones"))
                        .isEqualTo("1");

                // A phone's width, then back to the projector's 1920x1080 (the same page, resized):
                // every row's time stays inside the panel, clear of the row's other texts, and the
                // page never scrolls sideways. Screenshots for a person: alerts-390.png,
                // alerts.png.
                for (int[] size : new int[][] {{390, 844}, {1920, 1080}}) {
                    viewport(browser, size[0], size[1]);
                    await().atMost(WAIT)
                            .until(
                                    () ->
                                            (Boolean)
                                                    browser.executeScript(
                                                            RESIZED, size[0], size[1]));
                    String at = size[0] + "x" + size[1];
                    if (size[0] == 390) {
                        // The map, above the panels on a phone: alerts-390-map.png.
                        HeadlessChromium.screenshot(browser, "alerts-390-map");
                    }
                    await().atMost(WAIT)
                            .ignoreExceptions()
                            .untilAsserted(() -> assertLabelsClear(browser, at));
                    if (size[0] == 1920) {
                        await().atMost(WAIT)
                                .ignoreExceptions()
                                .untilAsserted(() -> assertCityClear(browser, at));
                    }
                    browser.executeScript(
                            "document.getElementById('alerts-heading').scrollIntoView()");
                    HeadlessChromium.screenshot(
                            browser, size[0] == 1920 ? "alerts" : "alerts-" + size[0]);
                    await().atMost(WAIT)
                            .ignoreExceptions()
                            .untilAsserted(() -> assertListFits(browser, size[0]));
                }
                // A page opened now, at a projector's 1280x720, shows the same list (the cleared
                // roll-up one row) from the collection alone, and it fits too: alerts-1280.png.
                List<String> listed = rowIds(browser);
                viewport(browser, 1280, 720);
                browser.navigate().refresh();
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(rowIds(browser)).isEqualTo(listed));
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(() -> assertListFits(browser, 1280));
                // Fitted at this size, no district under the legend or the key (Xundian, in the
                // north-east, was under the legend).
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () -> {
                                    assertCityClear(browser, "1280x720");
                                    assertLabelsClear(browser, "1280x720");
                                });
                browser.executeScript("document.getElementById('alerts-heading').scrollIntoView()");
                HeadlessChromium.screenshot(browser, "alerts-1280");
                List<String> errors = HeadlessChromium.consoleErrors(browser);
                assertThat(errors).as("errors in the browser's console").isEmpty();
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * The page at {@code width} x {@code height} CSS pixels, as a screen of that size shows it (the
     * window of headless Chromium keeps some of its height for itself).
     */
    private static void viewport(ChromeDriver browser, int width, int height) {
        browser.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of(
                        "width",
                        width,
                        "height",
                        height,
                        "deviceScaleFactor",
                        1,
                        "mobile",
                        width < 600,
                        "screenWidth",
                        width,
                        "screenHeight",
                        height));
    }

    private static String first(Alert a, Alert b) {
        return a.id().compareTo(b.id()) <= 0 ? a.id() : b.id();
    }

    private static String last(Alert a, Alert b) {
        return a.id().compareTo(b.id()) <= 0 ? b.id() : a.id();
    }

    /** The ids of today's alerts in the list, top to bottom. */
    private static List<String> rowIds(ChromeDriver browser) {
        return browser.findElements(By.cssSelector("#alert-table tbody tr[data-alert-id]")).stream()
                .map(r -> r.getDomAttribute("data-alert-id"))
                .toList();
    }

    /**
     * Every row's time text (where its glyphs are, not its cell's box) within the alerts panel's
     * content box, so never on its padding or edge, and overlapping neither the severity nor the
     * subject of its row; the page as wide as the viewport and, with the map and the panels side by
     * side (wider than 760 px), as high.
     */
    @SuppressWarnings("unchecked")
    private static void assertListFits(ChromeDriver browser, int width) {
        Map<String, Object> layout =
                (Map<String, Object>)
                        browser.executeScript(
                                """
                const table = document.getElementById('alert-table');
                const panel = table.closest('.panel');
                const box = panel.getBoundingClientRect();
                const style = getComputedStyle(panel);
                const text = (el) => {
                  const range = document.createRange();
                  range.selectNodeContents(el);
                  const r = range.getBoundingClientRect();
                  return [r.left, r.top, r.right, r.bottom];
                };
                return {
                  left: box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
                  right: box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight),
                  pageWidth: document.documentElement.scrollWidth,
                  pageHeight: document.documentElement.scrollHeight,
                  viewHeight: window.innerHeight,
                  rows: [...table.querySelectorAll('tbody tr')].map((tr) => ({
                    id: tr.dataset.alertId,
                    when: text(tr.querySelector('.when')),
                    severity: text(tr.querySelector('.severity')),
                    subject: text(tr.querySelector('.subject')),
                  })),
                };""");
        assertThat(number(layout.get("pageWidth"))).as("page width").isLessThanOrEqualTo(width);
        if (width > 760) {
            // Side by side, only the side column scrolls: the page itself stays still.
            assertThat(number(layout.get("pageHeight")))
                    .as("page height")
                    .isLessThanOrEqualTo(number(layout.get("viewHeight")));
        }
        double left = number(layout.get("left"));
        double right = number(layout.get("right"));
        List<Map<String, Object>> rows = (List<Map<String, Object>>) layout.get("rows");
        assertThat(rows).hasSize(4);
        for (Map<String, Object> r : rows) {
            double[] when = box(r.get("when"));
            String what = "time of " + r.get("id") + " at " + width + " px";
            assertThat(when[0]).as(what).isGreaterThanOrEqualTo(left);
            assertThat(when[2]).as(what).isLessThanOrEqualTo(right);
            for (String other : List.of("severity", "subject")) {
                double[] o = box(r.get(other));
                boolean apart =
                        when[2] <= o[0] || o[2] <= when[0] || when[3] <= o[1] || o[3] <= when[1];
                assertThat(apart).as(what + " clear of its " + other).isTrue();
            }
        }
    }

    /** The banner's text as it reads, one space between its parts. */
    private static String bannerText(ChromeDriver browser) {
        return ((String)
                        browser.executeScript(
                                "return document.getElementById('alert-banner').textContent"))
                .replaceAll("\\s+", " ")
                .trim();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapLayout(ChromeDriver browser) {
        return (Map<String, Object>) browser.executeScript(MAP_LAYOUT);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> boxes(Map<String, Object> layout, String key) {
        return (List<Map<String, Object>>) layout.get(key);
    }

    private static boolean apart(double[] a, double[] b) {
        return a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1];
    }

    /**
     * The map fitted to the city clear of its overlays: all 14 districts inside the map, and each
     * district's projected bounding box clear of the legend's and the alert key's boxes (both
     * shown: alerts are on the map).
     */
    private static void assertCityClear(ChromeDriver browser, String at) {
        Map<String, Object> layout = mapLayout(browser);
        double[] map = box(layout.get("map"));
        List<Map<String, Object>> overlays = boxes(layout, "overlays");
        assertThat(overlays).extracting(o -> o.get("id")).containsExactly("legend", "alert-key");
        List<Map<String, Object>> districts = boxes(layout, "districts");
        assertThat(districts).hasSize(ZONING.districts().size());
        for (Map<String, Object> d : districts) {
            double[] b = box(d.get("box"));
            String what = "district " + d.get("id") + " at " + at;
            assertThat(b[0] >= map[0] && b[1] >= map[1] && b[2] <= map[2] && b[3] <= map[3])
                    .as(what + " inside the map " + List.of(map[0], map[1], map[2], map[3]))
                    .isTrue();
            for (Map<String, Object> o : overlays) {
                assertThat(apart(b, box(o.get("box"))))
                        .as(what + " clear of the " + o.get("id"))
                        .isTrue();
            }
        }
    }

    /**
     * Every sensor label clear of every district name shown and of the map's controls; on a
     * projector's screen some names are shown (on a phone's, the districts may all be too small for
     * theirs).
     */
    private static void assertLabelsClear(ChromeDriver browser, String at) {
        Map<String, Object> layout = mapLayout(browser);
        List<Map<String, Object>> labels = boxes(layout, "labels");
        List<Map<String, Object>> names = boxes(layout, "names");
        List<Map<String, Object>> controls = boxes(layout, "controls");
        assertThat(labels).as("sensor labels at " + at).hasSize(1);
        if (!at.startsWith("390")) {
            assertThat(names).as("district names shown at " + at).isNotEmpty();
        }
        assertThat(controls).as("map controls at " + at).isNotEmpty();
        Map<String, List<Map<String, Object>>> obstacles =
                Map.of("district", names, "control", controls);
        for (Map<String, Object> l : labels) {
            obstacles.forEach(
                    (kind, others) -> {
                        for (Map<String, Object> o : others) {
                            assertThat(apart(box(l.get("box")), box(o.get("box"))))
                                    .as(
                                            "label %s clear of %s %s at %s",
                                            l.get("id"), kind, o.get("id"), at)
                                    .isTrue();
                        }
                    });
        }
    }

    @SuppressWarnings("unchecked")
    private static double[] box(Object edges) {
        return ((List<Object>) edges).stream().mapToDouble(AlertsBrowserIT::number).toArray();
    }

    private static double number(Object n) {
        return ((Number) n).doubleValue();
    }

    /** The outline path of an alert's zone on the map. */
    private static WebElement outline(ChromeDriver browser, Alert a) {
        return browser.findElement(By.cssSelector("path[data-alert-id='" + a.id() + "']"));
    }

    /** An alert's row in today's list. */
    private static WebElement row(ChromeDriver browser, Alert a) {
        return browser.findElement(
                By.cssSelector("#alert-table tbody tr[data-alert-id='" + a.id() + "']"));
    }

    private static Map<String, Double> percentages(WebElement bar) {
        Matcher m = PERCENT.matcher(bar.getDomAttribute("style"));
        Map<String, Double> at = new HashMap<>();
        while (m.find()) {
            at.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return at;
    }

    private static String clock(long millis) {
        return CLOCK.format(Instant.ofEpochMilli(millis));
    }

    /** Three H3 cells of Panlong, around a point inside it. */
    private static List<String> panlongCells() {
        Point inside = ZONING.geometry(ZoneKind.DISTRICT, PANLONG).getInteriorPoint();
        List<String> cells =
                List.of(0.0, 0.01, 0.02).stream()
                        .map(d -> ZONING.cell(inside.getY(), inside.getX() + d).id())
                        .distinct()
                        .toList();
        assertThat(cells).hasSize(3);
        for (String c : cells) {
            assertThat(ZONING.districtOfCell(c).orElseThrow().id()).isEqualTo(PANLONG);
        }
        return cells;
    }

    private static Alert district(
            String rule,
            String district,
            Metric metric,
            Severity severity,
            long opened,
            double value,
            double threshold,
            String message,
            List<String> cells) {
        return TestAlerts.alert(rule, metric, SubjectKind.DISTRICT, district)
                .subjectName(ZONING.zone(ZoneKind.DISTRICT, district).orElseThrow().name())
                .severity(severity)
                .opened(opened)
                .value(value)
                .threshold(threshold)
                .message(message)
                .cells(cells)
                .build();
    }

    /** The next revision of {@code a}: cleared at {@code at}, the value back to {@code value}. */
    private static Alert cleared(Alert a, long at, double value) {
        return a.cleared(
                at,
                at,
                value,
                a.peak(),
                "Back to " + value + " " + a.unit() + " in " + a.subjectName());
    }

    /** A water-level reading of the sensor, as the bridge writes it. */
    private static ProducerRecord<byte[], byte[]> reading(long at) {
        Reading r =
                new Reading(
                        SENSOR,
                        Metric.WATER_LEVEL,
                        "kunming",
                        at,
                        SENSOR_LAT,
                        SENSOR_LON,
                        4.12,
                        null);
        return new ProducerRecord<>(
                KafkaTopics.READINGS,
                null,
                at,
                SENSOR.getBytes(StandardCharsets.UTF_8),
                ReadingJson.encode(r));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Alert a) throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                "smartcity.alerts.v1",
                                a.id().getBytes(StandardCharsets.UTF_8),
                                AlertJson.encode(a)))
                .get(30, TimeUnit.SECONDS);
    }
}
