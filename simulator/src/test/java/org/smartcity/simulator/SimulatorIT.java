package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.MqttBroker;
import org.smartcity.brokers.MqttCredentials;
import org.smartcity.brokers.MqttInbox;
import org.smartcity.core.Metric;

/**
 * The simulator against a real MQTT 5 broker (HiveMQ CE in its own JVM) that requires users: the
 * simulator logs in as the platform's gateway user, the test's subscriber as the bridge user.
 */
class SimulatorIT {
    @TempDir static Path dir;
    private static MqttBroker broker;
    private static MqttCredentials credentials;

    @BeforeAll
    static void startBroker() {
        credentials = MqttCredentials.provision(dir.resolve("mqtt-credentials"));
        broker = MqttBroker.start(0, dir.resolve("mqtt"), credentials);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void everyMessageReachesASubscriberInOrderAndTheSummaryCountsThem() throws Exception {
        Received received = Received.subscribe("smartcity-ingest-it-1");
        SimulatorConfig config =
                SimulatorConfig.parse(
                        "--mqtt-url", broker.serverUri(),
                        "--mqtt-username", credentials.simulatorUser(),
                        "--mqtt-password", credentials.simulatorPassword(),
                        "--mqtt-client-id", "smartcity-simulator-it",
                        "--sensors", "200",
                        "--total", "4000",
                        "--rate", "2000",
                        "--fault-malformed", "0.02",
                        "--fault-wrong-unit", "0.02",
                        "--fault-duplicate", "0.02",
                        "--fault-out-of-order", "0.02",
                        "--fault-silent-sensors", "0.05");
        Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
        List<SimulatedMessage> expected = TestRuns.generate(config, clock);

        SimulationSummary summary;
        try (Simulator simulator = new Simulator(config, clock)) {
            simulator.run();
            summary = simulator.summary();
        }

        assertThat(summary.messagesPublished()).isEqualTo(expected.size());
        assertThat(summary.unconfirmedMessages()).isZero();
        received.awaitAndClose(expected.size());
        // Every message, byte for byte, and each sensor's in the order published.
        assertThat(received.byTopic()).isEqualTo(byTopic(expected));
        assertThat(summary.messagesByMetric()).isEqualTo(received.perMetric());
    }

    @Test
    void theCommandLineRunsGatewayBatchesAndWritesTheSummary() throws Exception {
        Received received = Received.subscribe("smartcity-ingest-it-2");
        Path summaryFile = dir.resolve("out/summary.json");
        // The default client ids (<user name>-<pid>-<i>) are the simulator user's.
        String[] args = {
            "--mqtt-url", broker.serverUri(),
            "--mqtt-username", credentials.simulatorUser(),
            "--mqtt-password", credentials.simulatorPassword(),
            "--total", "3000",
            "--rate", "3000",
            "--batch-size", "5",
            "--fault-out-of-range", "0.05",
            "--fault-late", "0.05",
            "--fault-duplicate", "0.05",
            "--summary-file", summaryFile.toString()
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit =
                SimulatorMain.run(
                        args,
                        Map.of(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        System.err);

        // Faults and verdicts do not depend on the clock: a run without a broker predicts them.
        MessageGenerator generator =
                new MessageGenerator(SimulatorConfig.parse(args), TestRuns.CLOCK);
        SummaryRecorder predicted = new SummaryRecorder(generator.silentSensors());
        generator.forEachRemaining(predicted::record);
        SimulationSummary expected = predicted.snapshot();
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toTable());
        assertThat(Files.readString(summaryFile, StandardCharsets.UTF_8) + "\n")
                .isEqualTo(expected.toJson());
        received.awaitAndClose(expected.messagesSent());
        assertThat(received.perMetric()).isEqualTo(expected.messagesByMetric());
        assertThat(received.payloads())
                .allSatisfy(p -> assertThat(p).startsWith("[{").endsWith("}]"));
    }

    /**
     * Stopped by SIGTERM (a service manager, {@code kill}) in a JVM of its own: the simulator
     * drains, logs that it does and what it confirmed, and prints the summary. Its log lines come
     * after the signal, while the JVM shuts down, so Log4j must not stop beside them.
     */
    @Test
    void aStopSignalDrainsLogsItAndPrintsTheSummary() throws Exception {
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SimulatorMain.class.getName(),
                        "--mqtt-url",
                        broker.serverUri(),
                        "--mqtt-username",
                        credentials.simulatorUser(),
                        "--mqtt-password",
                        credentials.simulatorPassword(),
                        "--rate",
                        "200");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader output =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                output.lines().forEach(lines::add);
                            } catch (IOException e) {
                                lines.add("reading failed: " + e);
                            }
                        },
                        "simulator-output");
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> lines.stream().anyMatch(l -> l.contains("Publishing 200")));

            // Not Process.destroy(): it closes the child's output, the very thing to read here.
            assertThat(
                            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid()))
                                    .start()
                                    .waitFor())
                    .as("kill's status")
                    .isZero();

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
            reader.join(Duration.ofSeconds(10).toMillis());
            int stopping = indexOf(lines, "Stopping: draining unacknowledged messages");
            assertThat(stopping).as("the stop's log line in %s", lines).isNotNegative();
            assertThat(lines.subList(stopping, lines.size()))
                    .as("after the stop line")
                    .anyMatch(l -> l.matches(".*\\d+ message\\(s\\) published, \\d+ confirmed.*"))
                    .contains("Simulation summary");
        } finally {
            process.destroyForcibly();
        }
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, List<String>> byTopic(List<SimulatedMessage> messages) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (SimulatedMessage m : messages) {
            map.computeIfAbsent(m.topic(), t -> new ArrayList<>()).add(m.payloadText());
        }
        return map;
    }

    /** A bridge-user subscriber to every reading topic, and what it was sent. */
    private static final class Received {
        private final MqttInbox inbox = new MqttInbox();
        private MqttClient client;

        static Received subscribe(String clientId) throws MqttException {
            Received received = new Received();
            received.client = new MqttClient(broker.serverUri(), clientId, new MemoryPersistence());
            received.client.setCallback(received.inbox);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setUserName(credentials.bridgeUser());
            options.setPassword(credentials.bridgePassword().getBytes(StandardCharsets.UTF_8));
            received.client.connect(options);
            received.client.subscribe("city/+/+/+", 1);
            return received;
        }

        void awaitAndClose(long count) throws MqttException {
            await().atMost(Duration.ofSeconds(30)).until(() -> inbox.messages().size() >= count);
            client.disconnect();
            client.close();
            assertThat(inbox.messages()).hasSize((int) count);
        }

        List<String> payloads() {
            return inbox.payloads();
        }

        Map<Metric, Long> perMetric() {
            Map<Metric, Long> map = new EnumMap<>(Metric.class);
            for (MqttInbox.Message m : inbox.messages()) {
                map.merge(Metric.byId(m.topic().split("/")[2]).orElseThrow(), 1L, Long::sum);
            }
            return map;
        }

        Map<String, List<String>> byTopic() {
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (MqttInbox.Message m : inbox.messages()) {
                map.computeIfAbsent(m.topic(), t -> new ArrayList<>()).add(m.text());
            }
            return map;
        }
    }
}
