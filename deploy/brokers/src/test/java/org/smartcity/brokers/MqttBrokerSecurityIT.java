package org.smartcity.brokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's users, ACL and size limits, against a real HiveMQ in its JVM: what the
 * issue's attacker did (read the bridge's readings, take over its session, publish as another
 * sensor, send 5 MiB) is refused at the protocol level, while the bridge keeps receiving.
 */
class MqttBrokerSecurityIT {

    private static final int NOT_AUTHORIZED = 0x87;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    private static final int PACKET_TOO_LARGE = 0x95;
    private static final String SHARED = "$share/ingest/city/+/+/+";
    private static final String DEVICE = "km-pm25-0042";
    private static final String DEVICE_PASSWORD = "device-secret-42";
    private static final String OTHER = "km-pm25-0043";
    private static final String BRIDGE_ID = "smartcity-ingest-it";

    @TempDir static Path dir;
    private static MqttCredentials credentials;
    private static MqttBroker mqtt;
    private static MqttClient bridge;
    private static final MqttInbox toBridge = new MqttInbox();
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws MqttException {
        credentials = MqttCredentials.provision(dir.resolve("credentials"));
        credentials.add(DEVICE, DEVICE_PASSWORD);
        credentials.add(OTHER, "other-secret");
        mqtt = MqttBroker.start(0, dir.resolve("mqtt"), credentials);
        bridge =
                connect(
                        mqtt,
                        BRIDGE_ID,
                        credentials.bridgeUser(),
                        credentials.bridgePassword(),
                        toBridge);
        assertThat(subscribe(bridge, SHARED)).isEqualTo(1);
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (bridge != null) {
                close(bridge);
            }
        } finally {
            if (mqtt != null) {
                mqtt.close();
                // Nothing the broker logged, refusals included, holds a password.
                assertThat(Files.readString(mqtt.logFile()))
                        .contains("Refused")
                        .doesNotContain(
                                DEVICE_PASSWORD,
                                "wrong-password",
                                credentials.bridgePassword(),
                                credentials.simulatorPassword());
            }
        }
    }

    @BeforeEach
    void clear() {
        toBridge.clear();
    }

    @Test
    void aDevicePublishesToItsOwnTopicOnlyAndTheBridgeReceivesIt() throws Exception {
        MqttClient device = own(connect(mqtt, DEVICE, DEVICE, DEVICE_PASSWORD, new MqttInbox()));

        assertThat(publish(device, "city/kunming/pm25/" + DEVICE, "38.5")).isZero();
        assertThat(publish(device, "city/kunming/pm25/" + OTHER, "999")).isEqualTo(NOT_AUTHORIZED);
        assertThat(publish(device, "city/kunming/pm25/" + DEVICE + "/x", "1"))
                .isEqualTo(NOT_AUTHORIZED);
        // Refused, not disconnected (HiveMQ's authorizers would drop the connection).
        assertThat(device.isConnected()).isTrue();
        // A marker after the refused ones: once it is in, anything delivered before it is too.
        assertThat(publish(device, "city/kunming/pm25/" + DEVICE, "marker")).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> toBridge.payloads().contains("marker"));
        assertThat(toBridge.payloads()).containsExactly("38.5", "marker");
    }

    @Test
    void theSimulatorWritesForEverySensorOfItsCityOnly() throws Exception {
        MqttClient sim =
                own(
                        connect(
                                mqtt,
                                "smartcity-simulator-1",
                                credentials.simulatorUser(),
                                credentials.simulatorPassword(),
                                new MqttInbox()));

        assertThat(publish(sim, "city/kunming/noise/km-noise-7", "55")).isZero();
        assertThat(publish(sim, "city/dali/noise/d-1", "56")).isEqualTo(NOT_AUTHORIZED);
        assertThat(subscribe(sim, "city/#")).isEqualTo(NOT_AUTHORIZED);
        assertThat(publish(sim, "city/kunming/noise/km-noise-7", "marker")).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> toBridge.payloads().contains("marker"));
        assertThat(toBridge.payloads()).containsExactly("55", "marker");
    }

    @Test
    void strangersCannotReadOrJoinTheShareGroup() throws Exception {
        MqttInbox stolen = new MqttInbox();
        MqttClient device = own(connect(mqtt, DEVICE, DEVICE, DEVICE_PASSWORD, stolen));
        for (String filter : List.of(SHARED, "$share/ingest/city/#", "city/#", "#", "city/+/+/+")) {
            assertThat(subscribe(device, filter)).as(filter).isEqualTo(NOT_AUTHORIZED);
        }
        assertThat(subscribe(device, "city/kunming/pm25/" + DEVICE)).isEqualTo(NOT_AUTHORIZED);

        assertThat(connectCode(DEVICE, DEVICE, "wrong-password"))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(connectCode("nobody", "nobody", "wrong-password"))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(connectCode("anon-1", null, null)).isEqualTo(NOT_AUTHORIZED);
        // Nor through a will message on another sensor's topic.
        MqttConnectionOptions withWill = options(DEVICE, DEVICE_PASSWORD);
        withWill.setWill("city/kunming/pm25/" + OTHER, qos1(utf8("forged will")));
        assertThatThrownBy(() -> new Client(mqtt.serverUri(), DEVICE + "-w").connect(withWill))
                .isInstanceOfSatisfying(
                        MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));

        assertThat(publish(device, "city/kunming/pm25/" + DEVICE, "marker")).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> toBridge.payloads().contains("marker"));
        assertThat(stolen.messages()).isEmpty();
    }

    @Test
    void aDeviceAddedWhileRunningLogsInWithoutARestart() {
        assertThat(connectCode("km-no2-0007", "km-no2-0007", "added-later"))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);

        credentials.add("km-no2-0007", "added-later");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> connectCode("km-no2-0007", "km-no2-0007", "added-later") == 0);
    }

    @Test
    void nobodyTakesOverTheBridgesSession() throws Exception {
        assertThat(connectCode(BRIDGE_ID, DEVICE, DEVICE_PASSWORD))
                .isEqualTo(CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(
                        connectCode(
                                BRIDGE_ID,
                                credentials.simulatorUser(),
                                credentials.simulatorPassword()))
                .isEqualTo(CLIENT_IDENTIFIER_NOT_VALID);
        // Nor a device's: its client id is its own.
        assertThat(connectCode(DEVICE, OTHER, "other-secret"))
                .isEqualTo(CLIENT_IDENTIFIER_NOT_VALID);

        assertThat(bridge.isConnected()).isTrue();
        MqttClient device =
                own(connect(mqtt, DEVICE + "-b", DEVICE, DEVICE_PASSWORD, new MqttInbox()));
        assertThat(publish(device, "city/kunming/pm25/" + DEVICE, "still-mine")).isZero();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> toBridge.payloads().contains("still-mine"));
    }

    @Test
    void advertisesAndEnforcesTheMaximumPacketSize() throws Exception {
        MqttClient device = own(new Client(mqtt.serverUri(), DEVICE));
        IMqttToken connack = device.connectWithResult(options(DEVICE, DEVICE_PASSWORD));
        assertThat(connack.getResponseProperties().getMaximumPacketSize())
                .isEqualTo(MqttBroker.DEFAULT_MAX_PACKET_SIZE);
        assertThat(connack.getResponseProperties().getReceiveMaximum())
                .isEqualTo(MqttBroker.DEFAULT_SERVER_RECEIVE_MAXIMUM);
        byte[] fiveMiB = new byte[5 * 1024 * 1024];
        assertThatThrownBy(() -> device.publish("city/kunming/pm25/" + DEVICE, qos1(fiveMiB)))
                .isInstanceOf(MqttException.class);

        // A client that ignores the advertised maximum is disconnected, reason packet too large.
        try (RawMqttClient raw = new RawMqttClient(mqtt.port())) {
            assertThat(raw.connect(DEVICE + "-raw", DEVICE, DEVICE_PASSWORD)).isZero();
            try {
                raw.publishQos1("city/kunming/pm25/" + DEVICE, 1, fiveMiB);
            } catch (IOException e) {
                // The broker may close the socket before all 5 MiB are written.
            }
            assertThat(disconnectReason(raw)).isIn(PACKET_TOO_LARGE, -1);
        }
        // Refused from the header alone: a 250 MiB announcement is never buffered.
        try (RawMqttClient raw = new RawMqttClient(mqtt.port())) {
            assertThat(raw.connect(DEVICE + "-raw", DEVICE, DEVICE_PASSWORD)).isZero();
            raw.announcePublish("city/kunming/pm25/" + DEVICE, 250L * 1024 * 1024);
            assertThat(disconnectReason(raw)).isIn(PACKET_TOO_LARGE, -1);
        }

        // The broker keeps serving everyone else; nothing oversized reached the bridge.
        assertThat(mqtt.isAlive()).isTrue();
        assertThat(bridge.isConnected()).isTrue();
        MqttClient again = own(connect(mqtt, DEVICE, DEVICE, DEVICE_PASSWORD, new MqttInbox()));
        assertThat(publish(again, "city/kunming/pm25/" + DEVICE, "after")).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> toBridge.payloads().contains("after"));
        assertThat(toBridge.messages())
                .allSatisfy(m -> assertThat(m.payload().length).isLessThan(1024));
    }

    @Test
    void aGatewayKeepsFiveHundredQos1PublishesInFlight() throws Exception {
        int count = 500;
        try (RawMqttClient gateway = new RawMqttClient(mqtt.port())) {
            assertThat(
                            gateway.connect(
                                    "smartcity-simulator-gw",
                                    credentials.simulatorUser(),
                                    credentials.simulatorPassword()))
                    .isZero();
            // All 500 sent before reading a single PUBACK.
            for (int id = 1; id <= count; id++) {
                gateway.publishQos1(
                        "city/kunming/pm25/km-pm25-" + id,
                        id,
                        ("gw-" + id).getBytes(StandardCharsets.UTF_8));
            }
            Set<Integer> acked = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < count; i++) {
                RawMqttClient.Packet ack = gateway.read();
                assertThat(ack).as("PUBACK %d of %d (not a disconnect)", i + 1, count).isNotNull();
                assertThat(ack.type()).isEqualTo(RawMqttClient.PUBACK);
                // No reason code byte means success (0x00).
                assertThat(ack.body().length == 2 || ack.body()[2] == 0).isTrue();
                acked.add(((ack.body()[0] & 0xff) << 8) | (ack.body()[1] & 0xff));
            }
            assertThat(acked).hasSize(count);
        }
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                toBridge.payloads().stream()
                                                .filter(p -> p.startsWith("gw-"))
                                                .count()
                                        == count);
    }

    @Test
    void mosquittoClientsInteroperate() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")),
                "mosquitto_pub is not installed (apt-get install mosquitto-clients): skipped");
        String port = String.valueOf(mqtt.port());
        List<String> device =
                List.of(
                        "-V",
                        "mqttv5",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        port,
                        "-u",
                        DEVICE,
                        "-P",
                        DEVICE_PASSWORD);

        assertThat(devicePub(device, "city/kunming/pm25/" + DEVICE, "-m", "from-mosquitto").exit())
                .isZero();
        assertThat(devicePub(device, "city/kunming/pm25/" + OTHER, "-m", "forged").output())
                .contains("Publish 1 failed: Not authorized");
        assertThat(
                        run(
                                        "mosquitto_sub",
                                        device,
                                        "-i",
                                        DEVICE,
                                        "-t",
                                        SHARED,
                                        "-C",
                                        "1",
                                        "-W",
                                        "5")
                                .output())
                .contains("All subscription requests were denied");
        assertThat(
                        run(
                                "mosquitto_sub",
                                List.of("-V", "mqttv5", "-h", "127.0.0.1", "-p", port),
                                "-t",
                                SHARED,
                                "-C",
                                "1",
                                "-W",
                                "5"))
                .isEqualTo(new Run(NOT_AUTHORIZED, "Connection error: Not authorized\n"));
        // The issue's 5 MiB publish: mosquitto_pub (2.0.11) honours the CONNACK's maximum packet
        // size and drops it itself, silently (exit 0); either way it never reaches the bridge.
        Path big = dir.resolve("big");
        Files.write(big, new byte[5 * 1024 * 1024]);
        assertThat(devicePub(device, "city/kunming/pm25/" + DEVICE, "-f", big.toString()).output())
                .doesNotContain("Connection error");
        assertThat(
                        publish(
                                own(
                                        connect(
                                                mqtt,
                                                DEVICE,
                                                DEVICE,
                                                DEVICE_PASSWORD,
                                                new MqttInbox())),
                                "city/kunming/pm25/" + DEVICE,
                                "marker"))
                .isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> toBridge.payloads().contains("marker"));
        assertThat(toBridge.payloads()).containsExactly("from-mosquitto", "marker");
    }

    @Test
    void anonymousClientsOnlyWithTheFlag() throws Exception {
        try (MqttBroker open =
                MqttBroker.builder(dir.resolve("open"))
                        .credentials(credentials)
                        .allowAnonymous(true)
                        .start()) {
            MqttInbox received = new MqttInbox();
            MqttClient trial = own(connect(open, "trial-1", null, null, received));
            assertThat(subscribe(trial, "city/#")).isEqualTo(1);
            assertThat(publish(trial, "city/kunming/pm25/anything", "anon")).isZero();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> received.payloads().contains("anon"));
            // Users keep their own rules, and anonymous clients cannot use their client ids.
            MqttClient device =
                    own(connect(open, DEVICE, DEVICE, DEVICE_PASSWORD, new MqttInbox()));
            assertThat(subscribe(device, "city/#")).isEqualTo(NOT_AUTHORIZED);
            assertThatThrownBy(() -> connect(open, BRIDGE_ID, null, null, new MqttInbox()))
                    .isInstanceOfSatisfying(
                            MqttException.class,
                            e ->
                                    assertThat(e.getReasonCode())
                                            .isEqualTo(CLIENT_IDENTIFIER_NOT_VALID));
            assertThat(Files.readString(open.logFile())).contains("ANONYMOUS MQTT ACCESS IS ON");
        }
    }

    @Test
    void refusesToStartWithNeitherUsersNorAnonymousAccess() {
        assertThatThrownBy(() -> MqttBroker.builder(dir.resolve("closed")).start())
                .isInstanceOf(IllegalStateException.class);
    }

    /** A command's exit code and output. */
    private record Run(int exit, String output) {}

    private static Run run(String tool, List<String> common, String... more)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/" + tool);
        cmd.addAll(common);
        cmd.addAll(List.of(more));
        Path out = Files.createTempFile(dir, tool, ".out");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        return new Run(p.exitValue(), Files.readString(out));
    }

    /** mosquitto_pub as the device ({@code login}), one QoS 1 message to {@code topic}. */
    private static Run devicePub(List<String> login, String topic, String... message)
            throws IOException, InterruptedException {
        List<String> more = new ArrayList<>(List.of("-i", DEVICE, "-q", "1", "-t", topic));
        more.addAll(List.of(message));
        return run("mosquitto_pub", login, more.toArray(String[]::new));
    }

    /** DISCONNECT's reason code, or -1 if the broker closed the connection without one. */
    private static int disconnectReason(RawMqttClient raw) throws IOException {
        for (RawMqttClient.Packet p = raw.read(); p != null; p = raw.read()) {
            assertThat(p.type())
                    .as("a PUBACK would mean the broker took it")
                    .isNotEqualTo(RawMqttClient.PUBACK);
            if (p.type() == RawMqttClient.DISCONNECT) {
                return p.body().length == 0 ? 0 : p.body()[0] & 0xff;
            }
        }
        return -1;
    }

    private int connectCode(String clientId, String user, String password) {
        try {
            own(connect(mqtt, clientId, user, password, new MqttInbox()));
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    private MqttClient own(MqttClient client) {
        clients.add(client);
        return client;
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MqttBrokerSecurityIT::close);
    }

    private static MqttClient connect(
            MqttBroker broker, String clientId, String user, String password, MqttCallback callback)
            throws MqttException {
        MqttClient client = new Client(broker.serverUri(), clientId);
        client.setCallback(callback);
        try {
            client.connect(options(user, password));
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    private static MqttConnectionOptions options(String user, String password) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        return options;
    }

    /** The PUBACK reason code of a QoS 1 publish (0 = accepted). */
    private static int publish(MqttClient client, String topic, String payload) {
        try {
            IMqttToken token =
                    ((Client) client)
                            .async()
                            .publish(topic, qos1(payload.getBytes(StandardCharsets.UTF_8)));
            token.waitForCompletion(10_000);
            return token.getException() != null
                    ? token.getException().getReasonCode()
                    : token.getReasonCodes()[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /** The SUBACK reason code (the granted QoS, or a failure code). */
    private static int subscribe(MqttClient client, String filter) throws MqttException {
        try {
            IMqttToken token =
                    client.subscribe(
                            new MqttSubscription[] {new MqttSubscription(filter, 1)}, null);
            return token.getReasonCodes()[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MqttMessage qos1(byte[] payload) {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        return message;
    }

    private static void close(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close(true);
        } catch (MqttException e) {
            // closing a test client; the broker may already have dropped it
        }
    }

    /** A client whose asynchronous side tells PUBACK reason codes. */
    private static final class Client extends MqttClient {
        Client(String serverUri, String clientId) throws MqttException {
            super(serverUri, clientId, new MemoryPersistence());
        }

        MqttAsyncClient async() {
            return aClient;
        }
    }
}
