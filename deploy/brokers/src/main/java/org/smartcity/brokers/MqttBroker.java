package org.smartcity.brokers;

import java.nio.file.Path;

/**
 * An MQTT 5 broker (HiveMQ CE, {@link MqttBrokerMain}) in a child JVM, listening on 127.0.0.1, with
 * file persistence and a per-client queue large enough not to drop QoS 1 messages for a slow
 * subscriber. JDK only: usable from any module's code and tests.
 *
 * <pre>{@code
 * try (MqttBroker mqtt = MqttBroker.start(0, tempDir)) {
 *     var client = new MqttClient(mqtt.serverUri(), "device-1", new MemoryPersistence());
 *     ...
 * }
 * }</pre>
 */
public final class MqttBroker extends BrokerProcess {

    /** Default maximum heap of the broker JVM. */
    public static final String DEFAULT_MAX_HEAP = "384m";

    private MqttBroker(int port, Path dataDir, String maxHeap) {
        super("mqtt", "org.smartcity.brokers.MqttBrokerMain", port, dataDir, maxHeap);
    }

    /**
     * Starts a broker and returns once it accepts connections.
     *
     * @param port the MQTT port, or 0 for a free one (kept across {@link #restart()})
     * @param dataDir HiveMQ's conf, data and extensions folders and {@code mqtt.log}; reused if it
     *     exists, with its persistent sessions and queued messages
     * @throws PortInUseException if {@code port} is taken
     * @throws BrokerStartException if the broker exits or is not ready within 60 s
     */
    public static MqttBroker start(int port, Path dataDir) {
        return start(port, dataDir, DEFAULT_MAX_HEAP);
    }

    /** As {@link #start(int, Path)}, with the broker JVM's {@code -Xmx} value (e.g. "512m"). */
    public static MqttBroker start(int port, Path dataDir, String maxHeap) {
        MqttBroker broker = new MqttBroker(port, dataDir, maxHeap);
        broker.launch();
        return broker;
    }

    /** The server URI for MQTT clients: {@code tcp://127.0.0.1:port}. */
    public String serverUri() {
        return "tcp://" + HOST + ":" + port();
    }
}
