package org.smartcity.dashboard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The browser of the dashboard's browser tests: Debian's headless Chromium driven through its
 * chromedriver, so every page test sees the same window size and language, keeps its screenshot in
 * the same place and reads the console the same way. The tests are skipped where either is missing
 * ({@code apt-get install chromium chromium-driver}) rather than fail on a machine without them.
 */
final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    /** Skips the calling test unless Chromium and chromedriver are installed. */
    static void assumeInstalled() {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium or chromedriver is not installed at "
                        + CHROMIUM
                        + ", "
                        + CHROMEDRIVER
                        + " (apt-get install chromium chromium-driver): test skipped");
    }

    /**
     * A new browser; the caller quits it. Full HD and English so layouts and texts are those the
     * assertions expect; the console kept at every level so a test can check it for errors.
     */
    static ChromeDriver start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1920,1080",
                "--lang=en-US");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, options);
    }

    /** Leaves what the browser shows in {@code target/screenshots/<name>.png}, for a person. */
    static void screenshot(ChromeDriver browser, String name) throws IOException {
        Path shots = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
        Files.createDirectories(shots);
        Files.copy(
                browser.getScreenshotAs(OutputType.FILE).toPath(),
                shots.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The console's entries at SEVERE or worse since it was last read. */
    static List<String> consoleErrors(ChromeDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
    }
}
