package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.jobs.JobConfig;
import org.smartcity.jobs.alerts.ThresholdRule.Level;

/** Rules files: the shipped defaults, YAML and JSON, and one clear error per mistake. */
class AlertRulesTest {

    @Test
    void theDefaultRulesCarryTheReferenceThresholdsAndTheirSources() {
        AlertRules rules = AlertRules.defaults();
        assertThat(rules.rules())
                .extracting(AlertRule::id)
                .containsExactly(
                        "pm25-high",
                        "pm10-high",
                        "no2-high",
                        "o3-high",
                        "noise-high",
                        "water-rising",
                        "water-level",
                        "pm25-coverage",
                        "sensor-silent");
        assertThat(rules.coverage())
                .containsExactly(
                        new CoverageRule(
                                "pm25-coverage",
                                Metric.PM25,
                                0.5,
                                600_000L,
                                Severity.MODERATE,
                                rules.coverage().get(0).source()));
        assertThat(rules.rules()).allSatisfy(r -> assertThat(r.source()).isNotBlank());

        ThresholdRule pm25 = rules.thresholds().get(0);
        // REFERENCE.md section 2, HJ 633-2012 PM2.5 breakpoints at IAQI 100, 200, 300.
        assertThat(pm25.levels())
                .containsExactly(
                        new Level(Severity.MODERATE, 75),
                        new Level(Severity.SEVERE, 150),
                        new Level(Severity.EXTREME, 250));
        assertThat(pm25.metric()).isEqualTo(Metric.PM25);
        assertThat(pm25.zoneKind()).isEqualTo(ZoneKind.DISTRICT);
        assertThat(pm25.windowMillis()).isEqualTo(3_600_000L);
        assertThat(pm25.statistic()).isEqualTo(Statistic.MEAN);
        assertThat(pm25.clearBelow()).isEqualTo(65.0);
        assertThat(pm25.title()).isEqualTo("PM2.5 hourly mean");
        assertThat(pm25.standard()).isEqualTo("GB 3095-2012 Grade II");

        assertThat(rules.silentSensors())
                .containsExactly(
                        new SilentSensorRule(
                                "sensor-silent",
                                null,
                                600_000L,
                                Severity.MINOR,
                                rules.silentSensors().get(0).source()));
    }

    @Test
    void levelsAreFoundFromTheTop() {
        ThresholdRule pm25 = AlertRules.defaults().thresholds().get(0);
        assertThat(pm25.levelOf(75.0)).isEmpty(); // "above 75": 75 itself is not above
        assertThat(pm25.levelOf(75.1)).contains(new Level(Severity.MODERATE, 75));
        assertThat(pm25.levelOf(150.5)).contains(new Level(Severity.SEVERE, 150));
        assertThat(pm25.levelOf(900)).contains(new Level(Severity.EXTREME, 250));
    }

    @Test
    void aJsonFileWithDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.json");
        Files.writeString(
                file,
                "{\"rules\":[{\"id\":\"wl\",\"kind\":\"threshold\",\"metric\":\"water_level\","
                        + "\"zone_kind\":\"h3\",\"window\":\"15m\",\"statistic\":\"max\","
                        + "\"levels\":{\"severe\":3.5,\"minor\":2.0},\"clear_below\":1.8,"
                        + "\"source\":\"demo gauge levels\"},"
                        + "{\"id\":\"quiet-gauges\",\"kind\":\"silent\",\"metric\":\"water_level\","
                        + "\"source\":\"demo\"}]}");
        AlertRules rules = AlertRules.load(file.toString());
        assertThat(rules.thresholds())
                .containsExactly(
                        new ThresholdRule(
                                "wl",
                                "water_level 15m max",
                                Metric.WATER_LEVEL,
                                ZoneKind.H3,
                                900_000L,
                                Statistic.MAX,
                                List.of(
                                        new Level(Severity.MINOR, 2.0),
                                        new Level(Severity.SEVERE, 3.5)),
                                1.8,
                                1,
                                1,
                                "",
                                "demo gauge levels",
                                0,
                                0));
        assertThat(rules.silentSensors())
                .containsExactly(
                        new SilentSensorRule(
                                "quiet-gauges",
                                Metric.WATER_LEVEL,
                                600_000L,
                                Severity.MINOR,
                                "demo"));
    }

    @Test
    void everyMistakeIsReportedWithRuleAndField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "rules:",
                        "  - id: pm25-high",
                        "    kind: threshold",
                        "    metric: pm2.5",
                        "    zone_kind: district",
                        "    window: 1h",
                        "    statistic: average",
                        "    levels: {moderate: 75, severe: 60, awful: 300}",
                        "    clear_below: 80",
                        "    raise_after: 0",
                        "    source: GB 3095-2012",
                        "  - kind: silent",
                        "    after: soon",
                        "    source: x",
                        "  - id: pm25-high",
                        "    kind: thresold",
                        "    source: x",
                        "  - id: gauges",
                        "    kind: silent",
                        "    limit: 5m",
                        "    severity: grave",
                        ""));
        assertThatThrownBy(() -> AlertRules.load(file.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Invalid alert rules in "
                                + file
                                + " (13 mistakes):\n"
                                + "  rule 'pm25-high', field 'metric': 'pm2.5' is not one of "
                                + Metric.ids()
                                + "\n"
                                + "  rule 'pm25-high', field 'statistic': 'average' is not one"
                                + " of mean, min, max, p50, p95, sum, count\n"
                                + "  rule 'pm25-high', field 'levels.awful': not a severity"
                                + " (minor, moderate, severe, extreme)\n"
                                + "  rule 'pm25-high', field 'levels.severe': 60.0 must be above"
                                + " the moderate level (75.0): a worse severity needs a higher"
                                + " value\n"
                                + "  rule 'pm25-high', field 'clear_below': 80.0 is above the"
                                + " lowest level (75.0): an alert would clear while still above"
                                + " it\n"
                                + "  rule 'pm25-high', field 'raise_after': expected a whole"
                                + " number of windows from 1 to 100, got 0\n"
                                + "  rule '#2', field 'id': required, a string\n"
                                + "  rule '#2', field 'after': expected a duration such as 10m"
                                + " or 1h, got 'soon'\n"
                                + "  rule 'pm25-high', field 'id': another rule has the same id\n"
                                + "  rule 'pm25-high', field 'kind': 'thresold' is not a rule kind"
                                + " (threshold, silent, rate_of_rise, sensor_level, coverage_low)\n"
                                + "  rule 'gauges', field 'source': required\n"
                                + "  rule 'gauges', field 'limit': unknown field for a silent"
                                + " rule (typo?)\n"
                                + "  rule 'gauges', field 'severity': 'grave' is not one of"
                                + " minor, moderate, severe, extreme");
    }

    @Test
    void sensorRulesWithGaugesOfTheirOwn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "rules:",
                        "  - id: rise",
                        "    kind: rate_of_rise",
                        "    metric: water_level",
                        "    levels: {moderate: 0.3}",
                        "    clear_below: 0.1",
                        "    source: issue 11",
                        "  - id: wl",
                        "    kind: sensor_level",
                        "    metric: water_level",
                        "    levels: {minor: 3.0, moderate: 3.5}",
                        "    clear_below: 2.8",
                        "    gauges: {g1: {levels: {minor: 2.0}, clear_below: 1.9}}",
                        "    source: demo",
                        ""));
        AlertRules rules = AlertRules.load(file.toString());
        assertThat(rules.sensorRules())
                .containsExactly(
                        new SensorRule(
                                "rise",
                                SensorRule.Mode.RISE,
                                "water_level rise",
                                Metric.WATER_LEVEL,
                                900_000L,
                                3,
                                List.of(new Level(Severity.MODERATE, 0.3)),
                                0.1,
                                java.util.Map.of(),
                                "",
                                "issue 11"),
                        new SensorRule(
                                "wl",
                                SensorRule.Mode.LEVEL,
                                "water_level",
                                Metric.WATER_LEVEL,
                                0L,
                                3,
                                List.of(
                                        new Level(Severity.MINOR, 3.0),
                                        new Level(Severity.MODERATE, 3.5)),
                                2.8,
                                java.util.Map.of(
                                        "g1",
                                        new SensorRule.Gauge(
                                                List.of(new Level(Severity.MINOR, 2.0)), 1.9)),
                                "",
                                "demo"));

        Files.writeString(
                file,
                String.join(
                        "\n",
                        "rules:",
                        "  - id: wl",
                        "    kind: sensor_level",
                        "    metric: water_level",
                        "    levels: {minor: 3.0}",
                        "    clear_below: 2.8",
                        "    gauges: {g9: {levels: {minor: 2}, clear_below: 2.5, colour: blue}}",
                        "    source: demo",
                        "  - id: rise",
                        "    kind: rate_of_rise",
                        "    metric: water_level",
                        "    min_readings: 1",
                        "    levels: {moderate: 0.3}",
                        "    clear_below: 0.1",
                        "    source: x",
                        ""));
        assertThatThrownBy(() -> AlertRules.load(file.toString()))
                .hasMessage(
                        "Invalid alert rules in "
                                + file
                                + " (3 mistakes):\n"
                                + "  rule 'wl', field 'gauges.g9.colour': unknown field for a gauge"
                                + " (levels, clear_below)\n"
                                + "  rule 'wl', field 'gauges.g9.clear_below': 2.5 is above the lowest"
                                + " level (2.0): an alert would clear while still above it\n"
                                + "  rule 'rise', field 'min_readings': expected a whole number from 2"
                                + " to 1000, got 1");
    }

    @Test
    void notYamlAtAll(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, "rules: [\n");
        assertThatThrownBy(() -> AlertRules.load(file.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "Invalid alert rules in "
                                + file
                                + " (1 mistake):\n  not valid YAML at line");
        Files.writeString(file, "- id: x\n");
        assertThatThrownBy(() -> AlertRules.load(file.toString()))
                .hasMessageEndingWith("(1 mistake):\n  the file needs a top-level 'rules' list");
    }

    @Test
    void aRuleOnAWindowTheJobDoesNotComputeStopsTheJob() {
        assertThatThrownBy(
                        () ->
                                JobConfig.fromFlags(
                                        "--alert-rules", "default", "--window-lengths", "1m,15m"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Invalid alert rules in default (5 mistakes):\n"
                                + "  rule 'pm25-high', field 'window': 1h is not one of the job's"
                                + " window lengths (1m, 15m; --window-lengths)\n"
                                + "  rule 'pm10-high', field 'window': 1h is not one of the job's"
                                + " window lengths (1m, 15m; --window-lengths)\n"
                                + "  rule 'no2-high', field 'window': 1h is not one of the job's"
                                + " window lengths (1m, 15m; --window-lengths)\n"
                                + "  rule 'o3-high', field 'window': 1h is not one of the job's"
                                + " window lengths (1m, 15m; --window-lengths)\n"
                                + "  rule 'noise-high', field 'window': 1h is not one of the job's"
                                + " window lengths (1m, 15m; --window-lengths)");
    }

    @Test
    void theJobHasNoAlertsUnlessAsked() {
        assertThat(JobConfig.fromFlags().alertRules().isEmpty()).isTrue();
        assertThat(JobConfig.fromFlags("--alert-rules", "default").alertRules())
                .isEqualTo(AlertRules.defaults());
        assertThat(Duration.ofMillis(AlertRules.defaults().silentSensors().get(0).limitMillis()))
                .isEqualTo(Duration.ofMinutes(10));
    }
}
