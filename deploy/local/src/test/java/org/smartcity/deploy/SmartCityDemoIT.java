package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;

/**
 * The README's first command: {@code ./smartcity demo --rate 0} starts the platform, a reading
 * published by an outside MQTT client reaches Kafka, and Ctrl-C stops everything cleanly.
 */
class SmartCityDemoIT {
    @TempDir Path dir;

    @Test
    void demoTakesAReadingFromAnExternalClientAndStopsCleanlyOnCtrlC() throws Exception {
        int mqttPort = freePort();
        int kafkaPort = freePort();
        int httpPort = freePort();
        Path output = dir.resolve("demo.out");
        ProcessBuilder pb =
                new ProcessBuilder(
                                "bash",
                                Path.of("../../smartcity").toAbsolutePath().normalize().toString(),
                                "demo",
                                "--rate",
                                "0",
                                "--mqtt-port",
                                Integer.toString(mqttPort),
                                "--kafka-port",
                                Integer.toString(kafkaPort),
                                "--http-port",
                                Integer.toString(httpPort),
                                "--data-dir",
                                dir.resolve("data").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
        // This build has just produced the classpath: no nested build.
        pb.environment().put("SMARTCITY_NO_BUILD", "1");
        Process demo = pb.start();
        try {
            await("platform ready")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> !demo.isAlive() || read(output).contains("Platform ready"));
            assertThat(demo.isAlive()).as(read(output)).isTrue();

            long ts = Instant.now().toEpochMilli();
            MqttClient device =
                    new MqttClient(
                            "tcp://127.0.0.1:" + mqttPort, "km-pm25-demo", new MemoryPersistence());
            try {
                device.connect();
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

            // Ctrl-C: SIGINT to the platform's JVM (the script execs java, so it is that process).
            new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String log = read(output);
            assertThat(log).contains("Stopping ...").contains("Stopped.");
            // 128 + SIGINT: the JVM's conventional status after Ctrl-C, once its hooks are done.
            assertThat(demo.exitValue()).as(log).isEqualTo(130);
            assertThat(demo.descendants().filter(ProcessHandle::isAlive)).isEmpty();
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
