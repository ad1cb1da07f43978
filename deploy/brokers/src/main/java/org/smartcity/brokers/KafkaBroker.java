package org.smartcity.brokers;

import java.nio.file.Path;

/**
 * A single-node Kafka broker (KRaft, {@link KafkaBrokerMain}) in a child JVM, listening on
 * 127.0.0.1. JDK only: usable from any module's code and tests.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.start(0, tempDir)) {
 *     producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 *     ...
 *     kafka.kill();      // crash it
 *     kafka.restart();   // same port, same data: committed records are still there
 * }
 * }</pre>
 */
public final class KafkaBroker extends BrokerProcess {

    /** Default maximum heap of the broker JVM. */
    public static final String DEFAULT_MAX_HEAP = "512m";

    private KafkaBroker(int port, Path dataDir, String maxHeap) {
        super("kafka", "org.smartcity.brokers.KafkaBrokerMain", port, dataDir, maxHeap);
    }

    /**
     * Starts a broker and returns once it serves clients.
     *
     * @param port the client port, or 0 for a free one (kept across {@link #restart()})
     * @param dataDir where the log segments and {@code kafka.log} live; reused if it exists
     * @throws PortInUseException if {@code port} is taken
     * @throws BrokerStartException if the broker exits or is not ready within 60 s
     */
    public static KafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, DEFAULT_MAX_HEAP);
    }

    /** As {@link #start(int, Path)}, with the broker JVM's {@code -Xmx} value (e.g. "1g"). */
    public static KafkaBroker start(int port, Path dataDir, String maxHeap) {
        KafkaBroker broker = new KafkaBroker(port, dataDir, maxHeap);
        broker.launch();
        return broker;
    }

    /** The {@code bootstrap.servers} value for clients: {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return HOST + ":" + port();
    }
}
