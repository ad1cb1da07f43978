package org.smartcity.brokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerIT {

    private static final String TOPIC = "smartcity.readings.it";

    @TempDir Path dir;

    @Test
    void keepsAcknowledgedRecordsAcrossACrashAndRestart() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(0, dir)) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
            try (var producer =
                    new KafkaProducer<>(
                            Map.<String, Object>of(
                                    "bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                            new StringSerializer(),
                            new StringSerializer())) {
                // The topic does not exist yet: auto-creation must make it.
                producer.send(new ProducerRecord<>(TOPIC, "km-pm25-0042", "38.5"))
                        .get(30, TimeUnit.SECONDS);
            }
            assertThat(readAll(kafka)).containsExactly("km-pm25-0042=38.5");

            int port = kafka.port();
            long pid = kafka.pid();
            kafka.kill();
            assertThat(kafka.isAlive()).isFalse();
            kafka.restart();

            assertThat(kafka.port()).isEqualTo(port);
            assertThat(kafka.pid()).isNotEqualTo(pid);
            assertThat(readAll(kafka)).containsExactly("km-pm25-0042=38.5");
        }
        assertThat(dir.resolve("kafka.log")).content().contains("READY kafka 127.0.0.1:");
    }

    @Test
    void reportsTheBrokersLastOutputWhenItExitsDuringStartup() throws Exception {
        // A file where the log directory should be: the child fails to format and exits.
        Files.writeString(dir.resolve("kafka-logs"), "not a directory");

        assertThatThrownBy(() -> KafkaBroker.start(0, dir))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("exited with code 1")
                .hasMessageContaining("Kafka broker failed to start")
                .hasMessageContaining(dir.resolve("kafka.log").toString());
    }

    /** Reads the topic from the beginning with a fresh consumer group. */
    private static List<String> readAll(KafkaBroker kafka) {
        List<String> values = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        Map.<String, Object>of(
                                "bootstrap.servers",
                                kafka.bootstrapServers(),
                                "group.id",
                                "it-" + UUID.randomUUID(),
                                "auto.offset.reset",
                                "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            await().atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .until(
                            () -> {
                                for (ConsumerRecord<String, String> r :
                                        consumer.poll(Duration.ofMillis(200))) {
                                    values.add(r.key() + "=" + r.value());
                                }
                                return !values.isEmpty();
                            });
        }
        return values;
    }
}
