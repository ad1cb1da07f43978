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
 *
 * <p>{@link #shared()} is one broker for every test class in the JVM that registers it: started by
 * the first, stopped when the JVM's test run ends. For classes that neither stop the broker nor
 * need its topics to themselves (they tell their records apart by key or content), in a module
 * whose failsafe run reuses its JVM for the IT classes (the default; where it does not, each class
 * still gets a broker of its own).
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private final boolean shared;
    private Path dataDir;
    private KafkaBroker broker;

    public KafkaBrokerExtension() {
        this(false);
    }

    private KafkaBrokerExtension(boolean shared) {
        this.shared = shared;
    }

    /** The broker shared by the test classes of the JVM that register this; see the class. */
    public static KafkaBrokerExtension shared() {
        return new KafkaBrokerExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (shared) {
            // The root context's store closes what it holds (AutoCloseable) at the end of the run.
            broker =
                    context.getRoot()
                            .getStore(ExtensionContext.Namespace.create(KafkaBrokerExtension.class))
                            .getOrComputeIfAbsent(
                                    SharedBroker.class,
                                    k -> SharedBroker.start(),
                                    SharedBroker.class)
                            .broker();
            return;
        }
        dataDir = Files.createTempDirectory("kafka-" + context.getRequiredTestClass().getName());
        broker = KafkaBroker.start(0, dataDir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (shared) {
            broker = null;
            return;
        }
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

    /** The JVM's shared broker and its directory, both removed when the test run ends. */
    private record SharedBroker(KafkaBroker broker, Path dataDir) implements AutoCloseable {
        static SharedBroker start() {
            try {
                Path dir = Files.createTempDirectory("kafka-shared");
                return new SharedBroker(KafkaBroker.start(0, dir), dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                broker.close();
            } finally {
                deleteRecursively(dataDir);
            }
        }
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
