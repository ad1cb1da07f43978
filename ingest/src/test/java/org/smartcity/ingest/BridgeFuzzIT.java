package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.RejectionReason;

/**
 * Every message accounted for, whatever is published (issue 8): {@value #MESSAGES} seeded messages
 * from {@link FuzzedMessages} through a real MQTT broker and Kafka, after which every message, or
 * every element of a gateway array, is exactly once in the readings topic or in the dead-letter
 * topic with the reason its fault calls for, and the bridge's meters agree with both topics.
 */
class BridgeFuzzIT {
    private static final int MESSAGES = 10_000;
    private static final long SEED = 8_2026_12_04L;

    @RegisterExtension static final Brokers brokers = new Brokers();

    @Test
    void everyMessageEndsUpExactlyOnceInReadingsOrDeadLetters() throws Exception {
        FuzzedMessages generator = new FuzzedMessages(SEED, Instant.now(), "kunming");
        List<FuzzedMessages.Message> messages = new ArrayList<>(MESSAGES);
        for (int n = 0; n < MESSAGES; n++) {
            messages.add(generator.next(n));
        }
        Map<String, Long> expected =
                messages.stream()
                        .flatMap(m -> m.expected().stream())
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        long expectedRecords = expected.values().stream().mapToLong(Long::longValue).sum();
        String bootstrap = brokers.kafka.bootstrapServers();

        try (IngestService bridge = IngestService.start(brokers.bridgeConfig("bridge-fuzz"));
                MqttTestPublisher publisher =
                        new MqttTestPublisher(brokers.mqtt.serverUri(), "fuzz-devices")) {
            bridge.awaitSubscribed(Duration.ofMinutes(1));
            for (FuzzedMessages.Message m : messages) {
                publisher.publish(m.topic(), m.payload());
            }
            publisher.awaitAcknowledged();

            await("all " + expectedRecords + " records in Kafka")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> outcomes(bootstrap).size() >= expectedRecords);
            List<String> outcomes = outcomes(bootstrap);
            Map<String, Long> actual =
                    outcomes.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            Function.identity(), Collectors.counting()));
            assertThat(actual).isEqualTo(expected);

            // The meters tell the same story as the topics.
            MeterRegistry meters = bridge.registry();
            assertThat(meters.get("ingest.messages.received").counter().count())
                    .isEqualTo((double) MESSAGES);
            double acceptedMeter = 0;
            for (Metric m : Metric.values()) {
                acceptedMeter +=
                        meters.get("ingest.readings.accepted")
                                .tag("metric", m.id())
                                .counter()
                                .count();
            }
            assertThat(acceptedMeter)
                    .isEqualTo(
                            (double)
                                    outcomes.stream()
                                            .filter(o -> o.startsWith("accepted"))
                                            .count());
            Map<RejectionReason, Long> deadLettersByReason = new EnumMap<>(RejectionReason.class);
            Map<RejectionReason, Long> meteredByReason = new EnumMap<>(RejectionReason.class);
            for (RejectionReason reason : RejectionReason.values()) {
                deadLettersByReason.put(
                        reason,
                        outcomes.stream().filter(o -> o.endsWith("] " + reason.name())).count());
                meteredByReason.put(
                        reason,
                        (long)
                                meters.get("ingest.readings.rejected")
                                        .tag("reason", reason.name())
                                        .counter()
                                        .count());
            }
            assertThat(meteredByReason).isEqualTo(deadLettersByReason);
            // Every kind of fault made it in.
            assertThat(deadLettersByReason)
                    .allSatisfy(
                            (reason, count) -> {
                                if (reason != RejectionReason.UNDELIVERABLE) {
                                    assertThat(count).as(reason.name()).isPositive();
                                }
                            });
            assertThat(bridge.isHealthy()).isTrue();
        }
    }

    /** Every record in both topics, as the identities {@link FuzzedMessages} expects. */
    private static List<String> outcomes(String bootstrap) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KafkaTopicReader.readAll(bootstrap, KafkaTopics.READINGS, x -> true)) {
            Reading reading = ReadingJson.decode(r.value());
            out.add(FuzzedMessages.accepted(reading.sensorId(), reading.seq()));
        }
        for (ConsumerRecord<byte[], byte[]> r :
                KafkaTopicReader.readAll(bootstrap, KafkaTopics.REJECTED, x -> true)) {
            out.add(
                    FuzzedMessages.rejected(
                            header(r, KafkaTopics.HEADER_MQTT_TOPIC),
                            Integer.parseInt(header(r, KafkaTopics.HEADER_ELEMENT_INDEX)),
                            RejectionReason.valueOf(header(r, KafkaTopics.HEADER_REASON))));
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
