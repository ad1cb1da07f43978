package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * On a stop the shutdown hook and the main thread both print the report: whichever comes second
     * must wait until it is printed, since the JVM halts once the hook returns.
     */
    @Test
    void aSecondPrintOfTheReportWaitsUntilTheFirstHasPrintedIt() throws Exception {
        CountDownLatch firstIsMaking = new CountDownLatch(1);
        CountDownLatch letItFinish = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        SimulatorMain.Report report =
                new SimulatorMain.Report(
                        () -> {
                            made.incrementAndGet();
                            firstIsMaking.countDown();
                            try {
                                letItFinish.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return new SimulationSummary(
                                    3, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of(),
                                    0);
                        },
                        null,
                        new PrintStream(out, true, StandardCharsets.UTF_8));
        CompletableFuture<Void> first = CompletableFuture.runAsync(report::print);
        assertThat(firstIsMaking.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> second = CompletableFuture.runAsync(report::print);
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !second.isDone());
        letItFinish.countDown();
        second.get(10, TimeUnit.SECONDS);
        // Printed when the second returns (not the first's future: it completes a moment after
        // its print returns), and printed once.
        assertThat(out.toString(StandardCharsets.UTF_8).split("Simulation summary", -1)).hasSize(2);
        first.get(10, TimeUnit.SECONDS);
        assertThat(made).hasValue(1);
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
