package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smartcity.core.CityArea;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.core.config.MqttConfig;
import org.smartcity.core.config.Settings;

class SimulatorConfigTest {

    @Test
    void defaultsSimulateKunming() {
        SimulatorConfig c = SimulatorConfig.parse();

        assertThat(c.mqttUrl()).isEqualTo("tcp://localhost:1883");
        assertThat(c.mqttClientId()).isEqualTo("smartcity-sim-" + ProcessHandle.current().pid());
        assertThat(c.mqttUsername()).isNull();
        assertThat(c.mqttPassword()).isNull();
        assertThat(c.connections()).isEqualTo(4);
        assertThat(c.maxInflight()).isEqualTo(100);
        assertThat(c.city()).isEqualTo("kunming");
        assertThat(c.area()).isEqualTo(CityArea.KUNMING);
        assertThat(c.urbanArea()).isEqualTo(new CityArea("kunming", 24.80, 102.60, 25.20, 102.95));
        assertThat(c.timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(c.sensors()).isEqualTo(500);
        assertThat(c.outerShare()).isEqualTo(0.15);
        assertThat(c.rate()).isEqualTo(200);
        assertThat(c.total()).isZero();
        assertThat(c.duration()).isNull();
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.batchSize()).isEqualTo(1);
        assertThat(c.faults()).isEqualTo(FaultShares.NONE);
        assertThat(c.summaryFile()).isNull();
        assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.progressInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void everySettingHasAFlag() {
        assertThat(SimulatorConfig.OPTIONS)
                .extracting(ConfigOption::flag)
                .containsExactly(
                        "--mqtt-url",
                        "--mqtt-client-id",
                        "--mqtt-username",
                        "--mqtt-password",
                        "--mqtt-connections",
                        "--mqtt-max-inflight",
                        "--city-id",
                        "--city-bbox",
                        "--city-urban-bbox",
                        "--city-timezone",
                        "--sensors",
                        "--sensors-outer-share",
                        "--rate",
                        "--total",
                        "--duration",
                        "--seed",
                        "--batch-size",
                        "--fault-malformed",
                        "--fault-out-of-range",
                        "--fault-wrong-unit",
                        "--fault-late",
                        "--fault-duplicate",
                        "--fault-out-of-order",
                        "--fault-silent-sensors",
                        "--summary-file",
                        "--drain-timeout",
                        "--progress-interval",
                        "--scenario",
                        "--scenario-minute",
                        "--backfill",
                        "--backfill-interval",
                        "--zoning-h3-resolution",
                        "--zoning-districts");
    }

    @Test
    void flagsAndEnvironmentSetTheValues() {
        SimulatorConfig c =
                SimulatorConfig.from(
                        Settings.load(
                                SimulatorConfig.OPTIONS,
                                List.of(
                                        "--rate",
                                        "500",
                                        "--fault-malformed",
                                        "0.01",
                                        "--fault-duplicate=0.5",
                                        "--duration",
                                        "5m",
                                        "--batch-size",
                                        "20",
                                        "--seed",
                                        "-7",
                                        "--total",
                                        "10000000000",
                                        "--summary-file",
                                        "out/summary.json",
                                        "--mqtt-client-id",
                                        "sim"),
                                Map.of("SMARTCITY_SENSORS", "2000", "SMARTCITY_RATE", "1")));

        assertThat(c.rate()).isEqualTo(500);
        assertThat(c.sensors()).isEqualTo(2000);
        assertThat(c.faults().share(Fault.MALFORMED)).isEqualTo(0.01);
        assertThat(c.faults().share(Fault.DUPLICATE)).isEqualTo(0.5);
        assertThat(c.faults().share(Fault.LATE)).isZero();
        assertThat(c.duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.batchSize()).isEqualTo(20);
        assertThat(c.seed()).isEqualTo(-7);
        assertThat(c.total()).isEqualTo(10_000_000_000L);
        assertThat(c.summaryFile()).isEqualTo(Path.of("out/summary.json"));
        assertThat(c.mqttClientId()).isEqualTo("sim");
    }

    @Test
    void sharesOfOneScopeMayNotAddUpToMoreThanOne() {
        assertThatThrownBy(
                        () ->
                                SimulatorConfig.parse(
                                        "--fault-malformed", "0.6", "--fault-late", "0.5"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Invalid fault shares (--fault-*): the shares of malformed, out-of-range,"
                                + " wrong-unit, late add up to 1.1; a reading carries at most one"
                                + " of them, so they may add up to at most 1.");
        // Different scopes are independent draws.
        assertThat(
                        SimulatorConfig.parse(
                                        "--fault-malformed", "0.6",
                                        "--fault-duplicate", "0.5",
                                        "--fault-silent-sensors", "1")
                                .faults()
                                .share(Fault.SILENT_SENSOR))
                .isEqualTo(1);
    }

    @Test
    void wrongValuesNameTheirFlag() {
        assertThatThrownBy(() -> SimulatorConfig.parse("--fault-late", "1.5"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Invalid value '1.5' for --fault-late (flag): expected a number from 0.0"
                                + " to 1.0");
        assertThatThrownBy(() -> SimulatorConfig.parse("--mqtt-url", "localhost:1883"))
                .hasMessage(
                        "Invalid value 'localhost:1883' for --mqtt-url (flag): expected a broker URL"
                                + " such as tcp://localhost:1883 (or ssl://, ws://, wss://)");
        assertThatThrownBy(() -> SimulatorConfig.parse("--rate", "0"))
                .hasMessageStartingWith("Invalid value '0' for --rate (flag)");
        assertThatThrownBy(() -> SimulatorConfig.parse("--total", "-1"))
                .hasMessageStartingWith("Invalid value '-1' for --total (flag)");
        assertThatThrownBy(() -> SimulatorConfig.parse("--city-timezone", "Mars/Olympus"))
                .hasMessageContaining("expected a time zone such as Asia/Shanghai");
        assertThatThrownBy(() -> SimulatorConfig.parse("--city-urban-bbox", "24,102,27,103"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--city-urban-bbox")
                .hasMessageContaining("must lie inside the city area");
    }

    @Test
    void thePasswordIsNeverPrinted() {
        SimulatorConfig c =
                SimulatorConfig.parse("--mqtt-username", "sim", "--mqtt-password", "s3cret");

        assertThat(c.mqttPassword()).isEqualTo("s3cret");
        assertThat(c.toString())
                .contains("mqttUsername=sim", "mqttPassword=****")
                .doesNotContain("s3cret");
    }

    @Test
    void clientIdsStartWithTheUserNameSoThatTheEmbeddedBrokerAcceptsThem() {
        long pid = ProcessHandle.current().pid();

        assertThat(SimulatorConfig.parse("--mqtt-username", "smartcity-simulator").mqttClientId())
                .isEqualTo("smartcity-simulator-" + pid);
        assertThat(
                        SimulatorConfig.parse("--mqtt-username", "sim", "--mqtt-client-id", "mine")
                                .mqttClientId())
                .isEqualTo("mine");
    }

    @Test
    void aSimulatorConfiguredInCodeChecksAsOneFromFlags() {
        SimulatorConfig c =
                SimulatorConfig.builder()
                        .mqtt(new MqttConfig("tcp://127.0.0.1:18830", "sim", "s3cret"))
                        .rate(50)
                        .sensors(20)
                        .build();

        assertThat(c.mqttUrl()).isEqualTo("tcp://127.0.0.1:18830");
        assertThat(c.mqttUsername()).isEqualTo("sim");
        assertThat(c.mqttPassword()).isEqualTo("s3cret");
        assertThat(c.mqttClientId()).isEqualTo("sim-" + ProcessHandle.current().pid());
        assertThat(c.rate()).isEqualTo(50);
        assertThat(c.sensors()).isEqualTo(20);
        assertThat(c.area()).isEqualTo(CityArea.KUNMING);
        assertThatThrownBy(() -> SimulatorConfig.builder().rate(0))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value '0.0' for --rate (set in code)");
    }
}
