package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.store.StoreConfig;

/**
 * The SDG 11.6.2 panel and map mode in a real browser (Debian's headless Chromium): today's
 * population-weighted PM2.5 of the city marked provisional, the districts ranked with their
 * population, and in the map mode every district drawn, those without valid data hatched. Leaves a
 * screenshot in {@code target/screenshots/sdg.png}. Skipped without Chromium ({@link
 * HeadlessChromium}).
 */
class SdgBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ZoneId KUNMING = ZoneId.of("Asia/Shanghai");

    @TempDir static Path dir;
    private static KafkaBroker kafka;
    private static DashboardServer dashboard;
    private static ChromeDriver browser;

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ZoneAggregate hour(String district, LocalDate day, int hour, double mean) {
        long start = day.atTime(hour, 0).atZone(KUNMING).toInstant().toEpochMilli();
        return new ZoneAggregate(
                Metric.PM25,
                ZoneKind.DISTRICT,
                district,
                start,
                3_600_000,
                60,
                3,
                mean,
                mean,
                mean,
                60 * mean,
                mean,
                mean,
                1,
                60);
    }

    @Test
    void showsTheCitysValueTheRankingAndHatchesTheGaps() throws Exception {
        HeadlessChromium.assumeInstalled();
        kafka = KafkaBroker.start(0, dir.resolve("kafka"));
        TestStores.createReadingTopics(kafka.bootstrapServers());
        // Today (local): Wuhua 24 full hours at 30 (valid), Panlong 24 at 20 (valid), Guandu 10
        // hours (not valid); the 11 other districts have nothing. The city: population-weighted
        // (1,179,000·30 + 1,023,500·20) / 2,202,500 = 25.4 (one decimal).
        LocalDate today = LocalDate.now(KUNMING);
        List<ZoneAggregate> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(hour("530102", today, h, 30));
            hours.add(hour("530103", today, h, 20));
            if (h < 10) {
                hours.add(hour("530111", today, h, 50));
            }
        }
        StoreConfig history = StoreConfig.FileSystem.parquet(dir.resolve("history").toString());
        TestStores.writeHistory(history, Instant.now(), hours);

        dashboard =
                DashboardServer.start(
                        DashboardConfig.fromFlags(
                                "--http-port=0",
                                "--kafka-bootstrap=" + kafka.bootstrapServers(),
                                "--store-history=" + dir.resolve("history"),
                                "--store-live-catalog=sdg-live"));
        browser = HeadlessChromium.start();
        browser.get("http://localhost:" + dashboard.port() + "/");

        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(
                        () ->
                                assertThat(
                                                browser.findElement(
                                                                By.cssSelector(
                                                                        "[data-period-kind=day]"
                                                                                + " [data-sdg-value]"))
                                                        .getText())
                                        .isEqualTo("25.4"));
        assertThat(browser.findElement(By.cssSelector("[data-period-kind=day]")).getText())
                .contains("provisional")
                .contains(today.toString());
        // Ranked by today's value (no year is valid yet): Guandu 50 (a gap), Wuhua, Panlong.
        List<String> ranked =
                browser.findElements(By.cssSelector(".sdg-districts tbody tr")).stream()
                        .map(e -> e.getDomAttribute("data-zone-id"))
                        .toList();
        assertThat(ranked).hasSize(14).startsWith("530111", "530102", "530103");
        assertThat(browser.findElements(By.cssSelector(".sdg-districts tr.sdg-gap"))).hasSize(12);

        browser.findElement(By.id("sdg-map-toggle")).click();
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(browser.findElements(By.cssSelector("path.sdg-zone")))
                                        .hasSize(14));
        List<String> hatched =
                browser.findElements(By.cssSelector("path.sdg-zone")).stream()
                        .filter(e -> "url(#sdg-hatch)".equals(e.getDomAttribute("fill")))
                        .map(e -> e.getDomAttribute("data-zone-id"))
                        .toList();
        assertThat(hatched).hasSize(12).contains("530111").doesNotContain("530102", "530103");

        HeadlessChromium.screenshot(browser, "sdg");
        List<String> errors = HeadlessChromium.consoleErrors(browser);
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }
}
