package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.core.KafkaTopics;

/**
 * No single message can stop ingestion (issue 8, defect 1): payloads bigger than the producer's
 * {@code max.request.size}, published over a real MQTT broker, are dead-lettered as a bounded
 * prefix (OVERSIZED, or UNDELIVERABLE when the record Kafka was given is refused), acknowledged,
 * and the readings published around them keep flowing. Before the fix the bridge put the whole
 * payload in the dead letter, Kafka refused it, and the bridge reconnected and took it again
 * forever: no reading after it ever arrived.
 */
class PoisonMessageIT {
    /** The producer's max.request.size here: small, so the payloads stay under any MQTT limit. */
    private static final int MAX_REQUEST = 96 * 1024;

    /** The largest payload validation takes: over MAX_REQUEST, so a rejection can be too big. */
    private static final int MAX_PAYLOAD = 128 * 1024;

    @RegisterExtension static final Brokers brokers = new Brokers();

    @Test
    void oversizedAndUndeliverablePayloadsAreDeadLetteredAndReadingsKeepFlowing() throws Exception {
        // Over the validation limit: OVERSIZED, of which only a prefix is written.
        byte[] oversized = new byte[200 * 1024];
        Arrays.fill(oversized, (byte) 'p');
        // Under the validation limit but not JSON: its MALFORMED dead letter would carry all of
        // it, more than Kafka takes, so it becomes UNDELIVERABLE.
        byte[] tooBigForKafka = new byte[110 * 1024];
        Arrays.fill(tooBigForKafka, (byte) 'x');
        tooBigForKafka[0] = '{';
        SensorFleet fleet = new SensorFleet("poison-good-", 5);
        String bootstrap = brokers.kafka.bootstrapServers();

        try (IngestService bridge =
                        IngestService.start(
                                brokers.bridgeConfig(
                                        "bridge-poison",
                                        "--kafka-max-request-size",
                                        Integer.toString(MAX_REQUEST),
                                        "--validation-max-payload-bytes",
                                        Integer.toString(MAX_PAYLOAD)));
                MqttTestPublisher publisher =
                        new MqttTestPublisher(brokers.mqtt.serverUri(), "poison-devices")) {
            await().until(bridge::isHealthy);
            fleet.publish(publisher, 0, 50);
            publisher.publish(TestPayloads.topic("pm25", "poison-oversized"), oversized);
            fleet.publish(publisher, 50, 100);
            publisher.publish(TestPayloads.topic("pm25", "poison-undeliverable"), tooBigForKafka);
            fleet.publish(publisher, 100, 150);
            publisher.awaitAcknowledged();

            fleet.awaitReadings(bootstrap, 150, Duration.ofMinutes(1));
            assertThat(fleet.deliveries(bootstrap)).isEqualTo(fleet.expectedDeliveries(150));

            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(bootstrap).size() >= 2);
            Map<String, ConsumerRecord<byte[], byte[]>> byTopic =
                    deadLetters(bootstrap).stream()
                            .collect(
                                    Collectors.toMap(
                                            r -> header(r, KafkaTopics.HEADER_MQTT_TOPIC), r -> r));
            assertThat(byTopic).hasSize(2);

            ConsumerRecord<byte[], byte[]> big =
                    byTopic.get(TestPayloads.topic("pm25", "poison-oversized"));
            assertThat(header(big, KafkaTopics.HEADER_REASON)).isEqualTo("OVERSIZED");
            assertPrefixOf(big, oversized);

            ConsumerRecord<byte[], byte[]> refused =
                    byTopic.get(TestPayloads.topic("pm25", "poison-undeliverable"));
            assertThat(header(refused, KafkaTopics.HEADER_REASON)).isEqualTo("UNDELIVERABLE");
            assertThat(header(refused, KafkaTopics.HEADER_DETAIL))
                    .startsWith(
                            "Kafka refused the record for smartcity.readings.rejected.v1 for good"
                                    + " (RecordTooLargeException");
            assertPrefixOf(refused, tooBigForKafka);

            MeterRegistry meters = bridge.registry();
            assertThat(rejected(meters, "OVERSIZED")).isEqualTo(1.0);
            assertThat(rejected(meters, "UNDELIVERABLE")).isEqualTo(1.0);
            assertThat(rejected(meters, "MALFORMED")).isZero();
            assertThat(
                            meters.get("ingest.readings.accepted")
                                    .tag("metric", "pm25")
                                    .counter()
                                    .count())
                    .isEqualTo(150.0);
            assertThat(meters.get("ingest.kafka.errors").counter().count()).isZero();
            assertThat(bridge.isHealthy()).isTrue();
        }
    }

    private static void assertPrefixOf(ConsumerRecord<byte[], byte[]> dead, byte[] original)
            throws Exception {
        assertThat(dead.value())
                .isEqualTo(Arrays.copyOf(original, KafkaTopics.ORIGINAL_PREFIX_BYTES));
        assertThat(header(dead, KafkaTopics.HEADER_ORIGINAL_SIZE))
                .isEqualTo(Integer.toString(original.length));
        assertThat(header(dead, KafkaTopics.HEADER_ORIGINAL_SHA256))
                .isEqualTo(
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(original)));
    }

    private static double rejected(MeterRegistry meters, String reason) {
        return meters.get("ingest.readings.rejected").tag("reason", reason).counter().count();
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(String bootstrap) {
        return KafkaTopicReader.readAll(bootstrap, KafkaTopics.REJECTED, r -> true);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
