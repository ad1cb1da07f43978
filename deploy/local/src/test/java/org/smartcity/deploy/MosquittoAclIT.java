package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.MqttInbox;

/**
 * The shipped {@code deploy/mosquitto/mosquitto.conf} and {@code acl}, run by Debian's Mosquitto
 * with only the listener port and the file paths changed: devices log in and write only their own
 * topic, strangers are refused, and a bridge's persistent session keeps more than Mosquitto's
 * default 1000 queued readings across a broker restart. Skipped with a message where Mosquitto is
 * not installed ({@code apt-get install mosquitto mosquitto-clients}).
 */
class MosquittoAclIT {
    private static final String BRIDGE_USER = "smartcity-ingest";
    private static final String SHARED_SUBSCRIPTION = "$share/ingest/city/+/+/+";
    private static final String DEVICE = "km-pm25-0001";
    private static final String OTHER_DEVICE = "km-pm25-0002";
    private static final int NOT_AUTHORIZED = 0x87;

    @TempDir Path dir;

    @Test
    void aDeviceWritesOnlyItsOwnTopicAndReadsNothing() throws Exception {
        try (Broker broker = Broker.start(dir);
                Client bridge = broker.connect(BRIDGE_USER, BRIDGE_USER + "-0", true);
                Client device = broker.connect(DEVICE, DEVICE, true);
                Client other = broker.connect(OTHER_DEVICE, OTHER_DEVICE, true)) {
            bridge.subscribe(SHARED_SUBSCRIPTION);
            other.subscribe("city/#");

            // In order, on one connection: had the first been delivered, it would be first.
            assertThat(device.publish(topicOf(OTHER_DEVICE), "as-another-device"))
                    .as("PUBACK reason code of a publish to another device's topic")
                    .isEqualTo(NOT_AUTHORIZED);
            assertThat(device.publish(topicOf(DEVICE), "own-reading"))
                    .as("PUBACK reason code of a publish to the device's own topic")
                    .isZero();

            Awaitility.await("the bridge gets the device's reading")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> bridge.received().size() >= 1);
            assertThat(bridge.received()).containsExactly(topicOf(DEVICE) + " own-reading");
            // Subscribing is not checked by Mosquitto's acl_file; reading each message is.
            Awaitility.await("another device is sent nothing")
                    .during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> other.received().isEmpty());
        }
    }

    @Test
    void anonymousClientsAndWrongPasswordsAreRefused() throws Exception {
        try (Broker broker = Broker.start(dir)) {
            assertThatThrownBy(() -> broker.connect(null, "anonymous", true))
                    .isInstanceOfSatisfying(
                            MqttException.class,
                            e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
            // Mosquitto 2.0 answers a wrong password with "not authorized" too, not 0x86.
            assertThatThrownBy(() -> broker.connect(DEVICE, "wrong-password", false))
                    .isInstanceOfSatisfying(
                            MqttException.class,
                            e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
        }
    }

    @Test
    void aBridgeSessionKeepsMoreThanTheDefaultQueueAcrossABrokerRestart() throws Exception {
        int readings = 1500; // Mosquitto's default max_queued_messages is 1000
        Broker broker = Broker.start(dir);
        try {
            try (Client bridge = broker.connectPersistent(BRIDGE_USER, "smartcity-ingest-0")) {
                bridge.subscribe(SHARED_SUBSCRIPTION);
            }
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < readings; i++) {
                lines.append("reading-").append(i).append('\n');
            }
            // One mosquitto_pub publishing a line per message: Paho's in-flight count lags its
            // completed tokens, so a tight publish loop with Paho fails now and then with 32202.
            broker.publishLines(DEVICE, topicOf(DEVICE), lines.toString());
            broker = broker.restart();
            try (Client bridge = broker.connectPersistent(BRIDGE_USER, "smartcity-ingest-0")) {
                Awaitility.await("the queued readings after the restart")
                        .atMost(Duration.ofSeconds(15))
                        .untilAsserted(() -> assertThat(bridge.received()).hasSize(readings));
                Set<String> expected = new HashSet<>();
                for (int i = 0; i < readings; i++) {
                    expected.add(topicOf(DEVICE) + " reading-" + i);
                }
                assertThat(new HashSet<>(bridge.received())).isEqualTo(expected);
            }
        } finally {
            broker.close();
        }
    }

    private static String topicOf(String sensorId) {
        return "city/kunming/pm25/" + sensorId;
    }

    private static String passwordOf(String user) {
        return "pw-" + user;
    }

    /** Mosquitto started from the shipped configuration, with test ports and paths. */
    private static final class Broker implements AutoCloseable {
        private final Path dir;
        private final Path conf;
        private final int port;
        private final Process process;

        private Broker(Path dir, Path conf, int port, Process process) {
            this.dir = dir;
            this.conf = conf;
            this.port = port;
            this.process = process;
        }

        static Broker start(Path dir) throws IOException, InterruptedException {
            Path mosquitto = executable("mosquitto");
            Path passwd = executable("mosquitto_passwd");
            assumeTrue(
                    mosquitto != null && passwd != null && executable("mosquitto_pub") != null,
                    "mosquitto is not installed (apt-get install mosquitto mosquitto-clients):"
                            + " test skipped");
            Path shipped = DeployFiles.deployDir().resolve("mosquitto");
            Files.copy(shipped.resolve("acl"), dir.resolve("acl"));
            Path passwordFile = dir.resolve("passwd");
            for (String user : List.of(BRIDGE_USER, DEVICE, OTHER_DEVICE)) {
                List<String> command = new ArrayList<>(List.of(passwd.toString()));
                if (!Files.exists(passwordFile)) {
                    command.add("-c");
                }
                command.addAll(List.of("-b", passwordFile.toString(), user, passwordOf(user)));
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("mosquitto_passwd: " + out).isZero();
            }
            Files.createDirectories(dir.resolve("data"));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(
                    conf,
                    testConfiguration(
                            Files.readString(shipped.resolve("mosquitto.conf")), port, dir));
            return launch(dir, conf, port);
        }

        /**
         * The shipped file with the listener on {@code port} and the paths under {@code dir}; every
         * other line is kept. Fails if a line it rewrites is gone, since then the test would no
         * longer run what is shipped.
         */
        static String testConfiguration(String shipped, int port, Path dir) {
            List<String> out = new ArrayList<>();
            // When the tests run as root, Mosquitto would switch to the user "mosquitto", which
            // cannot read the test's private temporary directory. As another user it is ignored.
            out.add("user " + System.getProperty("user.name"));
            Set<String> rewritten = new HashSet<>();
            for (String line : shipped.split("\n", -1)) {
                String directive = line.isBlank() ? "" : line.trim().split("\\s+")[0];
                String replacement =
                        switch (directive) {
                            case "listener" -> "listener " + port + " 127.0.0.1";
                            case "password_file" -> "password_file " + dir.resolve("passwd");
                            case "acl_file" -> "acl_file " + dir.resolve("acl");
                            case "persistence_location" ->
                                    "persistence_location " + dir.resolve("data") + "/";
                            default -> null;
                        };
                if (replacement != null) {
                    assertThat(rewritten.add(directive))
                            .as("one %s line in mosquitto.conf", directive)
                            .isTrue();
                    out.add(replacement);
                } else {
                    out.add(line);
                }
            }
            assertThat(rewritten)
                    .as("lines of mosquitto.conf the test rewrites")
                    .containsExactlyInAnyOrder(
                            "listener", "password_file", "acl_file", "persistence_location");
            return String.join("\n", out);
        }

        private static Broker launch(Path dir, Path conf, int port) throws IOException {
            Process p =
                    new ProcessBuilder(executable("mosquitto").toString(), "-c", conf.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(
                                    ProcessBuilder.Redirect.appendTo(
                                            dir.resolve("mosquitto.log").toFile()))
                            .start();
            Broker broker = new Broker(dir, conf, port, p);
            Awaitility.await("mosquitto listening on " + port)
                    .atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(
                            () -> {
                                if (!p.isAlive()) {
                                    throw new IllegalStateException(
                                            "mosquitto exited: "
                                                    + Files.readString(
                                                            dir.resolve("mosquitto.log")));
                                }
                                try (Socket s = new Socket("127.0.0.1", port)) {
                                    return true;
                                }
                            });
            return broker;
        }

        /** Publishes each line of {@code lines} at QoS 1 as {@code user}, with mosquitto_pub. */
        void publishLines(String user, String topic, String lines)
                throws IOException, InterruptedException {
            Path input = dir.resolve("lines.txt");
            Files.writeString(input, lines);
            Process p =
                    new ProcessBuilder(
                                    executable("mosquitto_pub").toString(),
                                    "-V",
                                    "mqttv5",
                                    "-h",
                                    "127.0.0.1",
                                    "-p",
                                    Integer.toString(port),
                                    "-u",
                                    user,
                                    "-P",
                                    passwordOf(user),
                                    "-q",
                                    "1",
                                    "-t",
                                    topic,
                                    "-l")
                            .redirectInput(input.toFile())
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("mosquitto_pub: " + out).isZero();
        }

        /** Stops the broker cleanly (it saves its database) and starts it again. */
        Broker restart() throws IOException, InterruptedException {
            close();
            return launch(dir, conf, port);
        }

        /**
         * A connected client; {@code user} null for an anonymous one, {@code rightPassword} false
         * to log in with a wrong password.
         */
        Client connect(String user, String clientId, boolean rightPassword) throws MqttException {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            if (user != null) {
                o.setUserName(user);
                o.setPassword(
                        (rightPassword ? passwordOf(user) : "not-" + passwordOf(user))
                                .getBytes(StandardCharsets.UTF_8));
            }
            return Client.connect(port, clientId, o);
        }

        /** A bridge-like client: clean start off and a session that outlives the connection. */
        Client connectPersistent(String user, String clientId) throws MqttException {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(false);
            o.setSessionExpiryInterval(3600L);
            o.setUserName(user);
            o.setPassword(passwordOf(user).getBytes(StandardCharsets.UTF_8));
            return Client.connect(port, clientId, o);
        }

        static Path executable(String name) {
            for (String d : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
            return null;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** A Paho MQTT 5 client that records what it is sent as "topic payload". */
    private static final class Client implements AutoCloseable {
        private final MqttAsyncClient client;
        private final MqttInbox inbox = new MqttInbox();

        private Client(MqttAsyncClient client) {
            this.client = client;
        }

        static Client connect(int port, String clientId, MqttConnectionOptions options)
                throws MqttException {
            MqttAsyncClient c =
                    new MqttAsyncClient(
                            "tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
            Client client = new Client(c);
            c.setCallback(client.inbox);
            try {
                c.connect(options).waitForCompletion(10_000);
            } catch (MqttException e) {
                c.close(true);
                throw e;
            }
            return client;
        }

        void subscribe(String filter) throws MqttException {
            IMqttToken token = client.subscribe(new MqttSubscription(filter, 1));
            token.waitForCompletion(10_000);
            assertThat(token.getReasonCodes()).as("SUBACK of " + filter).containsExactly(1);
        }

        /** Publishes at QoS 1 and returns the PUBACK's reason code. */
        int publish(String topic, String payload) throws MqttException {
            MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            IMqttToken token = client.publish(topic, m);
            token.waitForCompletion(10_000);
            return token.getReasonCodes()[0];
        }

        List<String> received() {
            return inbox.messages().stream().map(m -> m.topic() + " " + m.text()).toList();
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(10_000);
            }
            client.close(true);
        }
    }
}
