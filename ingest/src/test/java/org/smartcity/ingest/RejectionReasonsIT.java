package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.RejectionReason;

/**
 * Every rejection reason, produced by a real bad payload published over MQTT, lands in the
 * dead-letter topic with that reason and the original bytes, while good readings published between
 * them keep flowing.
 */
class RejectionReasonsIT {
    @RegisterExtension static final Brokers brokers = new Brokers();

    /** One bad input: published on the topic of sensor {@code rj-<reason>}. */
    record BadInput(RejectionReason reason, String metric, String payload) {
        String sensorId() {
            return "rj-" + reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static String reading(
            String sensorId, Instant ts, double lat, double lon, String value, String unit) {
        return String.format(
                Locale.ROOT,
                "{\"sensorId\":\"%s\",\"ts\":\"%s\",\"lat\":%s,\"lon\":%s,\"value\":%s,\"unit\":\"%s\"}",
                sensorId,
                ts,
                lat,
                lon,
                value,
                unit);
    }

    private static List<BadInput> badInputs(Instant now) {
        double lat = TestPayloads.LAT;
        double lon = TestPayloads.LON;
        List<BadInput> inputs = new ArrayList<>();
        inputs.add(
                new BadInput(
                        RejectionReason.MALFORMED, "pm25", "{\"sensorId\": \"rj-malformed\", "));
        inputs.add(
                new BadInput(
                        RejectionReason.MISSING_FIELD,
                        "pm25",
                        "{\"ts\":\"" + now + "\",\"lat\":25.04,\"lon\":102.71}"));
        inputs.add(
                new BadInput(
                        RejectionReason.WRONG_TYPE,
                        "pm25",
                        reading("rj-wrong-type", now, lat, lon, "\"high\"", "ug/m3")));
        inputs.add(
                new BadInput(
                        RejectionReason.UNKNOWN_METRIC,
                        "radon",
                        reading("rj-unknown-metric", now, lat, lon, "3", "Bq/m3")));
        inputs.add(
                new BadInput(
                        RejectionReason.UNIT_MISMATCH,
                        "pm25",
                        reading("rj-unit-mismatch", now, lat, lon, "3", "ppm")));
        inputs.add(
                new BadInput(
                        RejectionReason.OUT_OF_RANGE,
                        "humidity",
                        reading("rj-out-of-range", now, lat, lon, "130", "%")));
        inputs.add(
                new BadInput(
                        RejectionReason.BAD_COORDINATES,
                        "pm25",
                        reading("rj-bad-coordinates", now, 95, lon, "3", "ug/m3")));
        inputs.add(
                new BadInput(
                        RejectionReason.OUT_OF_AREA,
                        "pm25",
                        reading("rj-out-of-area", now, 39.9042, 116.4074, "3", "ug/m3")));
        inputs.add(
                new BadInput(
                        RejectionReason.FUTURE_TIMESTAMP,
                        "pm25",
                        reading(
                                "rj-future-timestamp",
                                now.plus(Duration.ofHours(1)),
                                lat,
                                lon,
                                "3",
                                "ug/m3")));
        inputs.add(
                new BadInput(
                        RejectionReason.STALE_TIMESTAMP,
                        "pm25",
                        reading(
                                "rj-stale-timestamp",
                                now.minus(Duration.ofDays(8)),
                                lat,
                                lon,
                                "3",
                                "ug/m3")));
        inputs.add(
                new BadInput(
                        RejectionReason.TOPIC_MISMATCH,
                        "pm25",
                        reading("someone-else", now, lat, lon, "3", "ug/m3")));
        char[] padding = new char[70 * 1024];
        Arrays.fill(padding, ' ');
        inputs.add(
                new BadInput(
                        RejectionReason.OVERSIZED,
                        "pm25",
                        reading("rj-oversized", now, lat, lon, "3", "ug/m3")
                                + new String(padding)));
        return inputs;
    }

    @Test
    void everyReasonIsDeadLetteredAndGoodReadingsKeepFlowing() throws Exception {
        Instant now = Instant.now();
        List<BadInput> inputs = badInputs(now);
        assertThat(inputs)
                .extracting(BadInput::reason)
                // UNDELIVERABLE is no verdict on a payload: PoisonMessageIT shows it.
                .containsExactlyInAnyOrderElementsOf(
                        EnumSet.complementOf(EnumSet.of(RejectionReason.UNDELIVERABLE)));
        SensorFleet fleet = new SensorFleet("rj-good-", 3);
        String bootstrap = brokers.kafka.bootstrapServers();

        try (IngestService bridge = IngestService.start(brokers.bridgeConfig("bridge-rejections"));
                MqttTestPublisher publisher =
                        new MqttTestPublisher(brokers.mqtt.serverUri(), "rejection-devices")) {
            await().until(bridge::isHealthy);
            int good = 0;
            for (BadInput input : inputs) {
                publisher.publish(
                        TestPayloads.topic(input.metric(), input.sensorId()),
                        input.payload().getBytes(StandardCharsets.UTF_8));
                fleet.publish(publisher, good, good + 2);
                good += 2;
            }
            publisher.awaitAcknowledged();
            int expectedGood = good;

            await().atMost(Duration.ofMinutes(1))
                    .until(() -> deadLetters(bootstrap).size() >= inputs.size());
            Map<String, ConsumerRecord<byte[], byte[]>> byTopic =
                    deadLetters(bootstrap).stream()
                            .collect(
                                    Collectors.toMap(
                                            r -> header(r, KafkaTopics.HEADER_MQTT_TOPIC), r -> r));
            assertThat(byTopic).hasSize(inputs.size());
            for (BadInput input : inputs) {
                ConsumerRecord<byte[], byte[]> dead =
                        byTopic.get(TestPayloads.topic(input.metric(), input.sensorId()));
                assertThat(header(dead, KafkaTopics.HEADER_REASON))
                        .as(input.sensorId())
                        .isEqualTo(input.reason().name());
                assertThat(header(dead, KafkaTopics.HEADER_DETAIL)).isNotBlank();
                byte[] original = input.payload().getBytes(StandardCharsets.UTF_8);
                if (input.reason() == RejectionReason.OVERSIZED) {
                    // Only a prefix, with the size of the whole.
                    assertThat(dead.value())
                            .isEqualTo(Arrays.copyOf(original, KafkaTopics.ORIGINAL_PREFIX_BYTES));
                    assertThat(header(dead, KafkaTopics.HEADER_ORIGINAL_SIZE))
                            .isEqualTo(Integer.toString(original.length));
                } else {
                    assertThat(dead.value()).isEqualTo(original);
                }
            }
            fleet.awaitReadings(bootstrap, expectedGood, Duration.ofMinutes(1));
            assertThat(fleet.deliveries(bootstrap))
                    .isEqualTo(fleet.expectedDeliveries(expectedGood));
            assertThat(bridge.isHealthy()).isTrue();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(String bootstrap) {
        // This class has brokers of its own: every dead letter is one of its inputs.
        return KafkaTopicReader.readAll(bootstrap, KafkaTopics.REJECTED, r -> true);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
