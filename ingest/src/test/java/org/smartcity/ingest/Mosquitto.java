package org.smartcity.ingest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Debian's Mosquitto broker on a free port, for interoperability tests. Tests using it are skipped
 * with a message where it is not installed ({@code apt-get install mosquitto mosquitto-clients}; CI
 * installs it).
 */
final class Mosquitto implements AutoCloseable {
    private final Process process;
    private final int port;

    private Mosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Why a test class that needs Mosquitto is disabled: for {@code @EnabledIf}. */
    static final String MISSING =
            "Mosquitto is not installed (apt-get install mosquitto mosquitto-clients)";

    /**
     * Whether the broker and {@code mosquitto_pub} are installed, for a class-level
     * {@code @EnabledIf}: a disabled class does not start the Kafka broker it would share.
     */
    static boolean installed() {
        return executable("mosquitto") != null && executable("mosquitto_pub") != null;
    }

    /** Skips the calling test unless the named Mosquitto programs are installed. */
    static void assumeInstalled(String... programs) {
        for (String program : programs) {
            assumeTrue(
                    executable(program) != null,
                    program
                            + " is not installed (apt-get install mosquitto mosquitto-clients):"
                            + " test skipped");
        }
    }

    static Mosquitto start(Path dir) throws IOException {
        return start(dir, List.of());
    }

    /** As {@link #start(Path)}, with more lines for {@code mosquitto.conf}. */
    static Mosquitto start(Path dir, List<String> moreConfiguration) throws IOException {
        assumeInstalled("mosquitto");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "listener " + port + " 127.0.0.1",
                        "allow_anonymous true",
                        "persistence false",
                        // By default Mosquitto drops QoS 1 messages beyond 1000 queued per client.
                        "max_queued_messages 1000000",
                        String.join("\n", moreConfiguration),
                        ""));
        Process p =
                new ProcessBuilder(executable("mosquitto").toString(), "-c", conf.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("mosquitto.log").toFile())
                        .start();
        Mosquitto broker = new Mosquitto(p, port);
        Awaitility.await("mosquitto listening")
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(
                        () -> {
                            try (Socket s = new Socket("127.0.0.1", port)) {
                                return true;
                            }
                        });
        return broker;
    }

    static Path executable(String name) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Has Mosquitto reload its password and ACL files (SIGHUP), as an operator would. */
    void reload() throws IOException, InterruptedException {
        Process kill =
                new ProcessBuilder("kill", "-HUP", Long.toString(process.pid()))
                        .redirectErrorStream(true)
                        .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -HUP " + process.pid() + " failed");
        }
    }

    int port() {
        return port;
    }

    String serverUri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
