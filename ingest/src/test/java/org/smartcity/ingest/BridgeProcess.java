package org.smartcity.ingest;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A bridge ({@link IngestMain}) in a child JVM, so a test can kill it abruptly, as a crash or an
 * OOM kill would, with no clean MQTT disconnect.
 */
final class BridgeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private BridgeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static BridgeProcess start(Brokers brokers, String clientId, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(IngestMain.class.getName());
        command.addAll(
                List.of(
                        "--mqtt-url",
                        brokers.mqtt.serverUri(),
                        "--kafka-bootstrap",
                        brokers.kafka.bootstrapServers(),
                        "--mqtt-client-id",
                        clientId,
                        "--http-port",
                        "0"));
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            BridgeProcess bridge = new BridgeProcess(p, log);
            await("bridge " + clientId + " subscribed")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> !p.isAlive() || bridge.log().contains("Subscribed to"));
            if (!p.isAlive()) {
                throw new IllegalStateException("bridge exited:\n" + bridge.log());
            }
            return bridge;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SIGKILL: no shutdown hook, no MQTT DISCONNECT, unacknowledged messages stay with the broker.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
