package org.smartcity.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.smartcity.core.ChildProcess;

/**
 * A bridge ({@link IngestMain}) in a child JVM, so a test can kill it abruptly, as a crash or an
 * OOM kill would ({@link ChildProcess#kill}), with no clean MQTT disconnect: unacknowledged
 * messages stay with the broker.
 */
final class BridgeProcess {
    private BridgeProcess() {}

    /** Starts a bridge on {@code brokers} and waits until it has subscribed. */
    static ChildProcess start(Brokers brokers, String clientId, Path log)
            throws InterruptedException {
        List<String> flags =
                List.of(
                        "--mqtt-url",
                        brokers.mqtt.serverUri(),
                        "--kafka-bootstrap",
                        brokers.kafka.bootstrapServers(),
                        "--mqtt-client-id",
                        clientId,
                        "--http-port",
                        "0");
        ChildProcess bridge =
                ChildProcess.start(
                        ChildProcess.java(List.of("-Xmx256m"), IngestMain.class.getName(), flags),
                        log);
        return bridge.awaitReady(
                "bridge " + clientId,
                Duration.ofSeconds(60),
                () -> bridge.log().contains("Subscribed to"));
    }
}
