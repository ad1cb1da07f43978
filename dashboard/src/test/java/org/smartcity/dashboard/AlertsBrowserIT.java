package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;

/**
 * Alerts on the live page in headless Chromium: an alert written to the alerts topic appears in the
 * banner and in today's list without a reload, a more severe one takes over the banner, and the
 * page's console stays free of errors. Leaves {@code target/screenshots/alerts.png}. Skipped where
 * Chromium or chromedriver is missing ({@link HeadlessChromium}).
 */
class AlertsBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path dir;

    @Test
    void newAlertsAppearInTheBannerWithoutAReload() throws Exception {
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

                long now = System.currentTimeMillis() / 60_000 * 60_000;
                send(
                        producer,
                        alert(
                                "pm25-high",
                                "530102",
                                "Wuhua 五华区",
                                Severity.MODERATE,
                                now - 3_600_000L,
                                "PM2.5 hourly mean 96.4 ug/m3 in Wuhua 五华区, above 75 (GB 3095-2012 Grade II)"));
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () ->
                                        assertThat(
                                                        browser.findElement(By.id("alert-banner"))
                                                                .getText())
                                                .startsWith(
                                                        "MODERATE Wuhua 五华区: PM2.5 hourly mean 96.4"));

                send(
                        producer,
                        alert(
                                "water-level",
                                "km-water_level-0003",
                                "km-water_level-0003",
                                Severity.SEVERE,
                                now - 600_000L,
                                "Water level at sensor km-water_level-0003 4.12 m, above 4 (flood signal)"));
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .untilAsserted(
                                () ->
                                        assertThat(
                                                        browser.findElement(By.id("alert-banner"))
                                                                .getDomAttribute("data-severity"))
                                                .isEqualTo("severe"));
                assertThat(browser.findElements(By.cssSelector("#alert-table tbody tr")))
                        .hasSize(2);
                assertThat(browser.executeScript("return window.performance.timeOrigin"))
                        .isEqualTo(pageBefore);

                HeadlessChromium.screenshot(browser, "alerts");
                List<String> errors = HeadlessChromium.consoleErrors(browser);
                assertThat(errors).as("errors in the browser's console").isEmpty();
            } finally {
                browser.quit();
            }
        }
    }

    private static Alert alert(
            String rule,
            String subject,
            String name,
            Severity severity,
            long opened,
            String message) {
        SubjectKind kind = subject.startsWith("km-") ? SubjectKind.SENSOR : SubjectKind.DISTRICT;
        return new Alert(
                Alert.idOf(rule, kind, subject, opened),
                rule,
                AlertStatus.ACTIVE,
                severity,
                kind == SubjectKind.SENSOR ? Metric.WATER_LEVEL : Metric.PM25,
                kind,
                subject,
                name,
                opened,
                opened,
                null,
                96.4,
                118.0,
                75.0,
                kind == SubjectKind.SENSOR ? "m" : "ug/m3",
                message,
                1,
                List.of());
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
