package org.smartcity.brokers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An MQTT 5 broker (HiveMQ CE, {@link MqttBrokerMain}) in a child JVM, listening on 127.0.0.1, with
 * file persistence, a per-client queue large enough not to drop QoS 1 messages for a slow
 * subscriber, a maximum packet size and a receive maximum it advertises and enforces, and users and
 * an ACL in Mosquitto's file formats. JDK only: usable from any module's code and tests.
 *
 * <pre>{@code
 * MqttCredentials credentials = MqttCredentials.provision(dataDir.resolve("mqtt-credentials"));
 * try (MqttBroker mqtt = MqttBroker.start(0, dataDir.resolve("mqtt"), credentials)) {
 *     var options = new MqttConnectionOptions();
 *     options.setUserName(credentials.bridgeUser());
 *     options.setPassword(credentials.bridgePassword().getBytes(StandardCharsets.UTF_8));
 *     ...
 * }
 * // tests that do not care about access control say so:
 * try (MqttBroker mqtt = MqttBroker.startAnonymous(0, tempDir)) { ... }
 * }</pre>
 */
public final class MqttBroker extends BrokerProcess {

    /** Default maximum heap of the broker JVM. */
    public static final String DEFAULT_MAX_HEAP = "384m";

    /**
     * Default maximum packet size, in bytes (256 KiB): four times the bridge's largest accepted
     * reading payload (64 KiB), so that an oversized reading still reaches the bridge and is
     * dead-lettered with a reason, while a payload of megabytes is refused by the broker itself.
     */
    public static final int DEFAULT_MAX_PACKET_SIZE = 256 * 1024;

    /** The largest packet MQTT can carry (remaining length 268,435,455 plus the fixed header). */
    public static final int MAX_MAX_PACKET_SIZE = 268_435_460;

    /**
     * Default receive maximum: QoS 1 publishes one client may have unacknowledged towards the
     * broker. HiveMQ's default of 10 disconnects a gateway with more in flight; 1000 keeps a
     * gateway's window open while bounding what one client can make the broker hold at once.
     */
    public static final int DEFAULT_SERVER_RECEIVE_MAXIMUM = 1000;

    static final String PASSWORD_FILE = "--password-file";
    static final String ACL_FILE = "--acl-file";
    static final String ALLOW_ANONYMOUS = "--allow-anonymous";
    static final String MAX_PACKET_SIZE = "--max-packet-size";
    static final String SERVER_RECEIVE_MAXIMUM = "--server-receive-maximum";

    /** The child's own flags, fixed at start so that a restart uses the same. */
    private final List<String> mainArgs;

    private MqttBroker(Builder options) {
        super(
                "mqtt",
                "org.smartcity.brokers.MqttBrokerMain",
                options.port,
                options.dataDir,
                options.maxHeap);
        this.mainArgs = options.mainArgs();
    }

    /**
     * Starts a broker whose clients log in with the users of {@code credentials} and get the rights
     * of its ACL, and returns once it accepts connections.
     *
     * @param port the MQTT port, or 0 for a free one (kept across {@link #restart()})
     * @param dataDir HiveMQ's conf, data and extensions folders and {@code mqtt.log}; reused if it
     *     exists, with its persistent sessions and queued messages
     * @param credentials the password and ACL files
     * @throws PortInUseException if {@code port} is taken
     * @throws BrokerStartException if the broker exits or is not ready within 60 s
     */
    public static MqttBroker start(int port, Path dataDir, MqttCredentials credentials) {
        return builder(dataDir).port(port).credentials(credentials).start();
    }

    /**
     * Starts a broker without users, where every client connects anonymously and may publish and
     * subscribe to anything, as for tests that are not about access control. The broker logs a WARN
     * saying so.
     *
     * @see #start(int, Path, MqttCredentials)
     */
    public static MqttBroker startAnonymous(int port, Path dataDir) {
        return builder(dataDir).port(port).allowAnonymous(true).start();
    }

    /** All the options, for a broker started with {@link Builder#start()}. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** The server URI for MQTT clients: {@code tcp://127.0.0.1:port}. */
    public String serverUri() {
        return "tcp://" + HOST + ":" + port();
    }

    @Override
    List<String> mainArgs() {
        return mainArgs;
    }

    /** Options of a broker; {@link #start()} checks them and starts it. Not thread-safe. */
    public static final class Builder {
        private final Path dataDir;
        private int port;
        private String maxHeap = DEFAULT_MAX_HEAP;
        private Path passwordFile;
        private Path aclFile;
        private boolean allowAnonymous;
        private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;
        private int serverReceiveMaximum = DEFAULT_SERVER_RECEIVE_MAXIMUM;

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /** The MQTT port, or 0 (the default) for a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The broker JVM's {@code -Xmx} value, e.g. "512m" (default {@value #DEFAULT_MAX_HEAP}).
         */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
            return this;
        }

        /**
         * The users (Mosquitto password file, as {@code mosquitto_passwd} writes it) and their
         * rights (Mosquitto ACL file). Both files are re-read when they change.
         */
        public Builder users(Path passwordFile, Path aclFile) {
            this.passwordFile = Objects.requireNonNull(passwordFile, "passwordFile");
            this.aclFile = Objects.requireNonNull(aclFile, "aclFile");
            return this;
        }

        /** Same as {@link #users} with the files of {@code credentials}. */
        public Builder credentials(MqttCredentials credentials) {
            return users(credentials.passwordFile(), credentials.aclFile());
        }

        /**
         * Whether clients without a user name may connect, with every right (default false). For
         * trials and tests only: anyone who reaches the port can then publish as any sensor and
         * take readings away from the bridge. The broker logs a WARN when it is on.
         */
        public Builder allowAnonymous(boolean allowAnonymous) {
            this.allowAnonymous = allowAnonymous;
            return this;
        }

        /** Largest MQTT packet accepted and advertised, in bytes (default 256 KiB). */
        public Builder maxPacketSize(int bytes) {
            if (bytes < 1024 || bytes > MAX_MAX_PACKET_SIZE) {
                throw new IllegalArgumentException(
                        "maxPacketSize must be from 1024 to " + MAX_MAX_PACKET_SIZE + ": " + bytes);
            }
            this.maxPacketSize = bytes;
            return this;
        }

        /** QoS 1/2 publishes a client may have unacknowledged towards the broker (1..65535). */
        public Builder serverReceiveMaximum(int messages) {
            if (messages < 1 || messages > 65_535) {
                throw new IllegalArgumentException(
                        "serverReceiveMaximum must be from 1 to 65535: " + messages);
            }
            this.serverReceiveMaximum = messages;
            return this;
        }

        private List<String> mainArgs() {
            List<String> args = new ArrayList<>();
            if (passwordFile != null) {
                args.addAll(
                        List.of(
                                PASSWORD_FILE,
                                passwordFile.toAbsolutePath().toString(),
                                ACL_FILE,
                                aclFile.toAbsolutePath().toString()));
            }
            if (allowAnonymous) {
                args.add(ALLOW_ANONYMOUS);
            }
            args.addAll(
                    List.of(
                            MAX_PACKET_SIZE,
                            String.valueOf(maxPacketSize),
                            SERVER_RECEIVE_MAXIMUM,
                            String.valueOf(serverReceiveMaximum)));
            return args;
        }

        /**
         * Starts the broker and returns once it accepts connections.
         *
         * @throws IllegalStateException if neither users nor anonymous access are configured
         * @throws PortInUseException if the port is taken
         * @throws BrokerStartException if the broker exits or is not ready within 60 s
         */
        public MqttBroker start() {
            if (passwordFile == null && !allowAnonymous) {
                throw new IllegalStateException(
                        "Neither users nor anonymous access: no MQTT client could connect");
            }
            MqttBroker broker = new MqttBroker(this);
            broker.launch();
            return broker;
        }
    }
}
