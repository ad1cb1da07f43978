package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.MqttCredentials;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;

/**
 * The README's first command: {@code ./smartcity demo --rate 0}, run from the project's checkout
 * (in CI, a clean clone) on free ports, starts the platform and prints the dashboard's URL; every
 * socket it and its brokers listen on is on loopback; its {@code /health} names each part; readings
 * published by an outside MQTT client reach Kafka, are aggregated, and appear through the OGC API
 * and the live API; a Kafka broker killed with SIGKILL is restarted; Ctrl-C then still stops
 * everything cleanly, while readings flow, with the job's savepoint written (the changelog state
 * backend on), and the next start restores it and stops as cleanly on SIGTERM. Two demo starts for
 * all of it: each costs half a minute.
 */
class SmartCityDemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KAFKA_MAIN = "org.smartcity.brokers.KafkaBrokerMain";

    /** The platform's line naming the savepoint of its stop, relative to the data directory. */
    private static final Pattern SAVED = Pattern.compile("open windows saved to (\\S+)");

    @TempDir Path dir;

    @Test
    void demoListensOnLoopbackAggregatesReadingsSurvivesABrokerKillAndStopsOnCtrlC()
            throws Exception {
        int mqttPort = freePort();
        int kafkaPort = freePort();
        int httpPort = freePort();
        int ingestHttpPort = freePort();
        List<String> ports =
                List.of(
                        "--mqtt-port",
                        Integer.toString(mqttPort),
                        "--kafka-port",
                        Integer.toString(kafkaPort),
                        "--http-port",
                        Integer.toString(httpPort),
                        "--ingest-http-port",
                        Integer.toString(ingestHttpPort));
        Path output = dir.resolve("demo.out");
        Process demo = startDemo(ports, output);
        try {
            String dashboard = "http://localhost:" + httpPort;
            assertThat(read(output)).contains("Dashboard  " + dashboard + "/");
            assertThat(read(output))
                    .contains("MQTT       tcp://127.0.0.1:" + mqttPort)
                    .contains("Kafka      127.0.0.1:" + kafkaPort)
                    .contains("bridge: http://127.0.0.1:" + ingestHttpPort + "/metrics");
            assertThat(get(dashboard + "/").headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
            assertOnlyLoopbackListeners(
                    demo.toHandle(), List.of(mqttPort, kafkaPort, httpPort, ingestHttpPort));
            JsonNode health =
                    await("every dependency up")
                            .atMost(Duration.ofSeconds(60))
                            .until(
                                    () -> health(dashboard),
                                    h -> h.get("status").asText().equals("UP"));
            assertThat(health.get("dependencies").fieldNames())
                    .toIterable()
                    .containsExactly(
                            "server",
                            "kafka",
                            "history",
                            "live-layer",
                            "readings-monitor",
                            "alerts-feed",
                            "kafka-broker",
                            "mqtt-broker",
                            "bridge",
                            "flink-job");
            assertThat(health.at("/dependencies/kafka-broker/detail").asText())
                    .isEqualTo("restarted 0 times");

            // In the minute that began two minutes ago: publishAMinuteAndCloseIt closes it.
            long minute = (Instant.now().toEpochMilli() / 60_000 - 2) * 60_000;
            long ts = minute + 5_000;
            // The broker lets in only its users: a stranger is refused; a device added to the
            // demo's password file while it runs logs in with its own name.
            MqttClient stranger =
                    new MqttClient(
                            "tcp://127.0.0.1:" + mqttPort, "stranger", new MemoryPersistence());
            assertThatThrownBy(stranger::connect).isInstanceOf(MqttException.class);
            stranger.close();
            MqttCredentials users = MqttCredentials.provision(dir.resolve("data/mqtt-credentials"));
            users.add("km-pm25-demo", "device-password");
            MqttClient device =
                    new MqttClient(
                            "tcp://127.0.0.1:" + mqttPort, "km-pm25-demo", new MemoryPersistence());
            try {
                await("the broker knows the new device")
                        .atMost(Duration.ofSeconds(10))
                        .ignoreExceptions()
                        .until(
                                () -> {
                                    device.connect(login("km-pm25-demo", "device-password"));
                                    return true;
                                });
                device.publish(
                        "city/kunming/pm25/km-pm25-demo",
                        ("{\"sensorId\":\"km-pm25-demo\",\"ts\":"
                                        + ts
                                        + ",\"lat\":25.04,\"lon\":102.71,\"value\":42.5,\"seq\":1}")
                                .getBytes(StandardCharsets.UTF_8),
                        1,
                        false);
                device.disconnect();
            } finally {
                device.close();
            }

            assertThat(firstReading("127.0.0.1:" + kafkaPort))
                    .isEqualTo(
                            new Reading(
                                    "km-pm25-demo",
                                    Metric.PM25,
                                    "kunming",
                                    ts,
                                    25.04,
                                    102.71,
                                    42.5,
                                    1L));

            publishAMinuteAndCloseIt(
                    mqttPort, kafkaPort, dir.resolve("data"), dashboard, minute, 42.5);

            // A crash of the Kafka broker: the platform restarts it and says so.
            long kafka = childRunning(demo, KAFKA_MAIN);
            new ProcessBuilder("kill", "-KILL", Long.toString(kafka)).start().waitFor();
            await("the Kafka broker restarted")
                    .atMost(Duration.ofSeconds(90))
                    .until(
                            () -> health(dashboard).at("/dependencies/kafka-broker"),
                            k ->
                                    k.get("status").asText().equals("UP")
                                            && k.get("detail")
                                                    .asText()
                                                    .equals("restarted 1 times"));
            assertThat(read(output))
                    .contains("The kafka broker exited with code 137: restarting it (restart 1)");
            assertThat(childRunning(demo, KAFKA_MAIN)).isNotEqualTo(kafka);
            // The job may have failed over while Kafka was away; a savepoint needs all of its
            // tasks running, which a checkpoint completed since it runs again shows.
            await("the job runs again")
                    .atMost(Duration.ofSeconds(90))
                    .until(
                            () -> health(dashboard).at("/dependencies/flink-job/status").asText(),
                            "UP"::equals);
            Path state = dir.resolve("data").resolve("flink");
            Optional<Path> running = StateDirectory.newestSnapshot(state);
            await("a checkpoint of the running job")
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> !StateDirectory.newestSnapshot(state).equals(running));

            // Ctrl-C while readings flow, so that the job's state changes up to the stop: with
            // the changelog, a checkpoint then has changes to upload, which never completed once
            // Flink's own shutdown hooks had run (StopSignals).
            long stopping;
            try (DevicePublisher devices =
                    new DevicePublisher(
                                    "tcp://127.0.0.1:" + mqttPort, users, "km-pm25-stop-", 4, 20)
                            .start()) {
                await("readings flow")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> devices.acknowledgedCount() >= 40);
                stopping = System.nanoTime();
                ctrlC(demo);
                boolean stopped = demo.waitFor(60, TimeUnit.SECONDS);
                assertThat(stopped).as(read(output)).isTrue();
            }
            // Bounded even after a broker's crash (it took 50 s before the platform restarted it).
            assertThat(Duration.ofNanos(System.nanoTime() - stopping))
                    .isLessThan(Duration.ofSeconds(40));
            String log = read(output);
            assertThat(log).contains("Stopping ...").contains("Stopped.");
            // 128 + SIGINT: the conventional status after Ctrl-C.
            assertThat(demo.exitValue()).as(log).isEqualTo(130);
            assertThat(demo.descendants().filter(ProcessHandle::isAlive)).isEmpty();
            // The stop wrote its savepoint, with the changelog on, and the next start uses it.
            assertThat(log).doesNotContain("Could not stop the aggregation job");
            Matcher saved = SAVED.matcher(log);
            assertThat(saved.find()).as(log).isTrue();
            String savepoint = saved.group(1);
            assertThat(savepoint).startsWith("flink/savepoints/savepoint-");
            assertThat(dir.resolve("data").resolve(savepoint).resolve("_metadata")).isRegularFile();

            Path again = dir.resolve("demo-again.out");
            Process second = startDemo(ports, again);
            try {
                assertThat(read(again)).contains("open windows restored from " + savepoint);
                // SIGTERM this time, as a service manager stops it: the same stop, 128 + 15.
                signal(second, "TERM");
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).as(read(again)).isTrue();
                assertThat(second.exitValue()).as(read(again)).isEqualTo(143);
                assertThat(read(again))
                        .doesNotContain("Could not stop the aggregation job")
                        .contains("open windows saved to flink/savepoints/savepoint-");
            } finally {
                second.descendants().forEach(ProcessHandle::destroyForcibly);
                second.destroyForcibly();
            }
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }

    /**
     * {@code ./smartcity demo --rate 0} with the changelog on, on {@code ports}, its output to
     * {@code output}; returns once it is ready.
     */
    private Process startDemo(List<String> ports, Path output) throws IOException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                // Ctrl-C at a terminal always reaches the demo, but a process
                                // inherits an ignored SIGINT (a shell's background job ignores
                                // it, and so would everything this test runs under): reset it.
                                "env",
                                "--default-signal=INT",
                                "bash",
                                Path.of("../../smartcity").toAbsolutePath().normalize().toString(),
                                "demo",
                                "--rate",
                                "0",
                                "--state-changelog",
                                "true",
                                "--data-dir",
                                dir.resolve("data").toString()));
        command.addAll(ports);
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
        // This build has just produced the classpath: no nested build.
        pb.environment().put("SMARTCITY_NO_BUILD", "1");
        Process demo = pb.start();
        await("platform ready")
                .atMost(Duration.ofSeconds(90))
                .until(() -> !demo.isAlive() || read(output).contains("Platform ready"));
        assertThat(demo.isAlive()).as(read(output)).isTrue();
        return demo;
    }

    /** Ctrl-C: SIGINT to the platform's JVM. */
    private static void ctrlC(Process demo) throws Exception {
        signal(demo, "INT");
    }

    /**
     * Sends {@code signal} to the platform's JVM (the script execs java, so it is that process).
     */
    private static void signal(Process demo, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(demo.pid())).start().waitFor();
    }

    /**
     * Every TCP and UDP socket that the platform's JVM and its brokers (child JVMs) listen on is on
     * a loopback address, and the platform's own ports are among them (so the check saw them).
     */
    private static void assertOnlyLoopbackListeners(ProcessHandle platform, List<Integer> ports)
            throws Exception {
        if (!Listeners.ssAvailable()) {
            // The rest of the test still runs.
            System.err.println("SKIPPED the listener check: ss (iproute2) is not installed");
            return;
        }
        List<Listeners.Listener> listeners = Listeners.of(Listeners.pidsOf(platform));
        assertThat(listeners)
                .extracting(
                        l -> Integer.parseInt(l.local().substring(l.local().lastIndexOf(':') + 1)))
                .containsAll(ports);
        assertThat(listeners).allSatisfy(l -> assertThat(l.loopbackOnly()).as(l.line()).isTrue());
    }

    /** The child JVM of the platform that runs {@code mainClass} (Linux: its /proc cmdline). */
    private static long childRunning(Process platform, String mainClass) {
        return platform.descendants()
                .filter(p -> cmdline(p.pid()).contains(mainClass))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no child process runs " + mainClass))
                .pid();
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code /health} as JSON, whatever its status code. */
    private static JsonNode health(String dashboard) throws Exception {
        return JSON.readTree(get(dashboard + "/health").body());
    }

    /**
     * Two devices per partition of the readings topic publish PM2.5 in {@code minute} (which
     * already holds one reading of {@code earlierValue}), then a reading each at the current time.
     * Every partition's event time then passes the minute's end, so the job closes it without
     * waiting for idle partitions, and the minute appears in the OGC API (history) and the live
     * layer with the values sent.
     */
    private static void publishAMinuteAndCloseIt(
            int mqttPort,
            int kafkaPort,
            Path dataDir,
            String dashboard,
            long minute,
            double earlierValue)
            throws Exception {
        long now = Instant.now().toEpochMilli();
        List<String> devices = twoDevicesPerPartition("127.0.0.1:" + kafkaPort);
        double[] values = new double[devices.size()];
        // A gateway publishing for many sensors: the simulator's user may write for any of them.
        MqttCredentials users = MqttCredentials.provision(dataDir.resolve("mqtt-credentials"));
        MqttClient client =
                new MqttClient(
                        "tcp://127.0.0.1:" + mqttPort,
                        users.simulatorUser() + "-demo-it",
                        new MemoryPersistence());
        try {
            client.connect(login(users.simulatorUser(), users.simulatorPassword()));
            for (int i = 0; i < devices.size(); i++) {
                values[i] = 10 + 3 * i;
                publishPm25(client, devices.get(i), minute + 15_000 + 1_000 * i, values[i], 1);
            }
            for (String device : devices) {
                publishPm25(client, device, now, 99.0, 2);
            }
            client.disconnect();
        } finally {
            client.close();
        }
        double sum = earlierValue;
        for (double v : values) {
            sum += v;
        }
        int expectedCount = values.length + 1;
        double expectedMean = sum / expectedCount;
        String windowStart = Instant.ofEpochMilli(minute).toString();

        JsonNode item =
                await("the minute in the OGC API")
                        .atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(
                                () ->
                                        json(
                                                dashboard
                                                        + "/collections/city_aggregates/items"
                                                        + "?metric=pm25&zone_kind=city"
                                                        + "&window_length=1m&datetime="
                                                        + windowStart),
                                page -> page.get("numberMatched").asInt() == 1);
        JsonNode stored = item.get("features").get(0).get("properties");
        assertThat(stored.get("window_start").asText()).isEqualTo(windowStart);
        assertThat(stored.get("count").asLong()).isEqualTo(expectedCount);
        assertThat(stored.get("distinct_sensors").asLong()).isEqualTo(expectedCount);
        assertThat(stored.get("mean").asDouble()).isCloseTo(expectedMean, within(1e-9));
        assertThat(stored.get("min").asDouble()).isEqualTo(values[0]);
        assertThat(stored.get("max").asDouble())
                .isEqualTo(Math.max(earlierValue, values[values.length - 1]));

        JsonNode live =
                json(dashboard + "/api/live?metric=pm25&zone_kind=city&window_length=1m")
                        .get("features");
        assertThat(live).hasSize(1);
        assertThat(live.get(0).get("properties").get("window_start").asText())
                .isEqualTo(windowStart);
        assertThat(live.get(0).get("properties").get("count").asLong()).isEqualTo(expectedCount);
    }

    private static void publishPm25(
            MqttClient client, String device, long ts, double value, long seq) throws Exception {
        client.publish(
                "city/kunming/pm25/" + device,
                ("{\"ts\":"
                                + ts
                                + ",\"lat\":25.04,\"lon\":102.71,\"value\":"
                                + value
                                + ",\"seq\":"
                                + seq
                                + "}")
                        .getBytes(StandardCharsets.UTF_8),
                1,
                false);
    }

    /** Device ids such that the bridge's keyed records land on every readings partition twice. */
    private static List<String> twoDevicesPerPartition(String bootstrap) throws Exception {
        int partitions;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            partitions =
                    admin.describeTopics(List.of(KafkaTopics.READINGS))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(KafkaTopics.READINGS)
                            .partitions()
                            .size();
        }
        // The producer's default partitioner for keyed records: murmur2 of the key.
        int[] taken = new int[partitions];
        List<String> devices = new ArrayList<>();
        for (int n = 0; devices.size() < 2 * partitions; n++) {
            String id = "km-demo-" + n;
            int p =
                    Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8)))
                            % partitions;
            if (taken[p] < 2) {
                taken[p]++;
                devices.add(id);
            }
        }
        return devices;
    }

    private static JsonNode json(String url) throws Exception {
        HttpResponse<String> r = get(url);
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Reading firstReading(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-it");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(KafkaTopics.READINGS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    return ReadingJson.decode(r.value());
                }
            }
        }
        throw new AssertionError("no reading reached " + KafkaTopics.READINGS);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static MqttConnectionOptions login(String user, String password) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        return o;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
