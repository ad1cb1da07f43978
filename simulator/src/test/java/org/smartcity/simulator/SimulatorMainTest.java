package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SimulatorMain.run(
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheFlags() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("Usage: simulator [--config FILE] [OPTIONS]")
                .contains("--rate VALUE", "--fault-malformed VALUE", "SMARTCITY_FAULT_MALFORMED")
                .contains("share of the readings that are malformed (rejected as MALFORMED)");
    }

    @Test
    void aWrongValueIsAConfigurationError() {
        assertThat(run("--rate", "fast")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("error: Invalid value 'fast' for --rate (flag): expected a number\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void anUnreachableBrokerFailsWithoutASummary() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(run("--mqtt-url", "tcp://127.0.0.1:" + port, "--total", "10")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("error: Cannot connect to the MQTT broker at tcp://127.0.0.1:" + port);
        assertThat(out.size()).isZero();
    }
}
