package org.smartcity.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.brokers.MqttBroker;

/**
 * A Kafka and an MQTT broker, each in its own JVM on a free port, started once for a test class and
 * stopped after it: {@code @RegisterExtension static final Brokers brokers = new Brokers();}.
 */
final class Brokers implements BeforeAllCallback, AfterAllCallback {
    KafkaBroker kafka;
    MqttBroker mqtt;
    private Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("brokers-" + context.getDisplayName());
        kafka = KafkaBroker.start(0, dir.resolve("kafka"));
        mqtt = MqttBroker.startAnonymous(0, dir.resolve("mqtt"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (mqtt != null) {
                mqtt.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            deleteRecursively(dir);
        }
    }

    /** A directory for the test's own files (logs of processes it starts). */
    Path dir() {
        return dir;
    }

    /** Bridge settings pointing at these brokers, without HTTP endpoints, plus extra flags. */
    IngestConfig bridgeConfig(String clientId, String... flags) {
        return bridgeBetween(mqtt.serverUri(), kafka.bootstrapServers(), clientId, flags);
    }

    /**
     * A bridge between any MQTT broker and Kafka, with a client id of its own, no HTTP port, and
     * {@code flags} on top.
     */
    static IngestConfig bridgeBetween(
            String mqttUrl, String kafkaBootstrap, String clientId, String... flags) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "--mqtt-url",
                                mqttUrl,
                                "--kafka-bootstrap",
                                kafkaBootstrap,
                                "--mqtt-client-id",
                                clientId,
                                "--http-port",
                                "0"));
        all.addAll(List.of(flags));
        return IngestConfig.fromFlags(all.toArray(String[]::new));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        }
    }
}
