package org.smartcity.brokers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded {@link KafkaBroker} per test class, on a free port, in a temporary directory deleted
 * afterwards. Tests make a fresh topic each, so the classes' tests share the broker.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * ... Map.of("bootstrap.servers", KAFKA.bootstrapServers()) ...
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private Path dataDir;
    private KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("kafka-" + context.getRequiredTestClass().getName());
        broker = KafkaBroker.start(0, dataDir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            broker = null;
            deleteRecursively(dataDir);
        }
    }

    /** The {@code bootstrap.servers} value for clients; only between before-all and after-all. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** The running broker (to kill or restart it). */
    public KafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException(
                    "The Kafka broker runs only while the test class does: register the extension"
                            + " on a static field");
        }
        return broker;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.delete(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        }
    }
}
