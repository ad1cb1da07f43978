package org.smartcity.deploy.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.smartcity.brokers.MqttCredentials;
import org.smartcity.core.ChildProcess;

/**
 * The MQTT broker {@code PlatformBenchmark --broker} runs itself in place of the demo's embedded
 * HiveMQ CE, to measure brokers side by side (issue 13): Debian's Mosquitto with the shipped {@code
 * deploy/mosquitto/mosquitto.conf}, or an embedded ActiveMQ Artemis ({@link ArtemisBenchBroker},
 * bench profile only). It listens on a free loopback port, with the demo's users and ACL ({@link
 * MqttCredentials}); the demo is then started with {@code --mqtt-url}.
 *
 * <p>With {@code --mqtt-url} the demo's bridge logs in without a user name (the launcher has no
 * flag for one), so these brokers give an anonymous client the bridge user's rights: read {@code
 * city/#}, write its heartbeats. The load generator logs in as the gateway user, as against HiveMQ.
 */
final class BenchMqttBroker implements AutoCloseable {

    /** The brokers the benchmark can measure. */
    enum Kind {
        /** The demo's own embedded broker: nothing to start here. */
        HIVEMQ,
        MOSQUITTO,
        ARTEMIS;

        static Kind parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--broker: expected hivemq, mosquitto or artemis, not " + name);
            }
        }

        String label() {
            return switch (this) {
                case HIVEMQ -> "HiveMQ CE (the demo's embedded broker)";
                case MOSQUITTO -> "Mosquitto (deploy/mosquitto/mosquitto.conf)";
                case ARTEMIS -> "ActiveMQ Artemis (ArtemisBenchBroker)";
            };
        }
    }

    /**
     * QoS 1 publishes a client may have unacknowledged towards the broker, as the embedded HiveMQ
     * advertises ({@code MqttBroker.DEFAULT_SERVER_RECEIVE_MAXIMUM}): the shipped Mosquitto file
     * keeps its default of 20, which would make the load generator's window 50 times smaller.
     */
    static final int RECEIVE_MAXIMUM = 1000;

    /** The shipped file's lines this benchmark replaces (ports, paths). */
    private static final List<String> REWRITTEN =
            List.of("listener", "password_file", "acl_file", "persistence_location");

    private final ChildProcess process;
    private final int port;

    private BenchMqttBroker(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a broker of {@code kind} (not {@link Kind#HIVEMQ}) on {@code port}, with its data and
     * log in {@code dir} and the users of {@code users}; returns once it accepts connections.
     *
     * @param root the checkout whose {@code deploy/mosquitto} configuration Mosquitto runs
     */
    static BenchMqttBroker start(
            Kind kind, Path root, Path dir, int port, MqttCredentials users, Path log)
            throws Exception {
        Files.createDirectories(dir);
        List<String> command =
                switch (kind) {
                    case MOSQUITTO -> mosquitto(root, dir, port, users);
                    case ARTEMIS -> artemis(dir, port, users);
                    case HIVEMQ -> throw new IllegalArgumentException("the demo starts HiveMQ");
                };
        ChildProcess p = ChildProcess.start(command, log);
        p.awaitReady(kind.toString(), Duration.ofMinutes(2), () -> listening(port));
        return new BenchMqttBroker(p, port);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * Debian's Mosquitto with the shipped configuration ({@link #mosquittoConfiguration}) and an
     * ACL that is the demo's with the bridge's rules also for anonymous clients.
     */
    private static List<String> mosquitto(Path root, Path dir, int port, MqttCredentials users)
            throws IOException {
        Path shipped = root.resolve("deploy/mosquitto/mosquitto.conf");
        Files.createDirectories(dir.resolve("data"));
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(
                conf,
                mosquittoConfiguration(Files.readString(shipped), port, users.passwordFile(), dir));
        Files.writeString(
                dir.resolve("acl"), anonymousBridgeRules() + Files.readString(users.aclFile()));
        return List.of(executable("mosquitto").toString(), "-c", conf.toString());
    }

    /**
     * The shipped {@code mosquitto.conf} with its listener on 127.0.0.1:{@code port}, the password
     * file {@code passwd}, the ACL file and the persistence directory under {@code dir}, anonymous
     * clients let in (the demo's bridge, limited by the ACL) and a receive maximum of {@value
     * #RECEIVE_MAXIMUM}; every other line kept.
     *
     * @throws IllegalStateException if a line it rewrites is gone from the shipped file
     */
    static String mosquittoConfiguration(String shipped, int port, Path passwd, Path dir) {
        List<String> out = new ArrayList<>();
        // As root, Mosquitto would switch to the user "mosquitto", which cannot read the data
        // directory; as another user the line is ignored.
        out.add("user " + System.getProperty("user.name"));
        List<String> seen = new ArrayList<>();
        for (String line : shipped.split("\n", -1)) {
            String directive = line.isBlank() ? "" : line.trim().split("\\s+")[0];
            String replacement =
                    switch (directive) {
                        case "listener" -> "listener " + port + " 127.0.0.1";
                        case "password_file" -> "password_file " + passwd;
                        case "acl_file" -> "acl_file " + dir.resolve("acl");
                        case "persistence_location" ->
                                "persistence_location " + dir.resolve("data") + "/";
                        default -> null;
                    };
            if (replacement != null) {
                seen.add(directive);
            }
            out.add(replacement != null ? replacement : line);
        }
        if (!seen.containsAll(REWRITTEN)) {
            throw new IllegalStateException("mosquitto.conf no longer has the lines " + REWRITTEN);
        }
        // The last occurrence of a setting wins in Mosquitto's files.
        out.add("allow_anonymous true");
        out.add("max_inflight_messages " + RECEIVE_MAXIMUM);
        return String.join("\n", out) + "\n";
    }

    /**
     * The bridge user's rules for clients without a user name (lines before the first {@code user}
     * line of a Mosquitto ACL are theirs).
     */
    static String anonymousBridgeRules() {
        return """
                # PlatformBenchmark: the demo's bridge connects without a user name when given
                # --mqtt-url; it gets the bridge user's rights.
                topic read city/#
                topic write city/_ingest/heartbeat/#
                """;
    }

    /** {@link ArtemisBenchBroker} in a JVM of its own, flags as the demo's broker JVMs have. */
    private static List<String> artemis(Path dir, int port, MqttCredentials users) {
        return ChildProcess.java(
                // The embedded HiveMQ's heap (MqttBroker.DEFAULT_MAX_HEAP) and GC flags.
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"),
                "org.smartcity.deploy.bench.ArtemisBenchBroker",
                List.of(
                        dir.toString(),
                        Integer.toString(port),
                        users.dir().toString(),
                        Long.toString(ProcessHandle.current().pid())));
    }

    static Path executable(String name) {
        for (String d : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException(
                name + " is not installed (apt-get install mosquitto mosquitto-clients)");
    }

    String serverUri() {
        return "tcp://127.0.0.1:" + port;
    }

    ProcessHandle handle() {
        return process.handle();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
