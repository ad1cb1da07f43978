package org.smartcity.ingest;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;

/**
 * A test's own sensors (ids with a prefix no other test uses) publishing numbered PM2.5 readings,
 * and what of them reached Kafka: reading {@code i} comes from sensor {@code i % sensors} with
 * {@code seq = i / sensors}, so "exactly once" is a statement about (sensorId, seq) pairs.
 */
final class SensorFleet {
    private final String prefix;
    private final int sensors;

    SensorFleet(String prefix, int sensors) {
        this.prefix = prefix;
        this.sensors = sensors;
    }

    String sensorId(int i) {
        return prefix + (i % sensors);
    }

    void publish(MqttTestPublisher publisher, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            String id = sensorId(i);
            publisher.publish(
                    TestPayloads.topic("pm25", id),
                    TestPayloads.pm25(id, Instant.now(), 10 + i % 90, i / sensors));
        }
    }

    /** The readings of this fleet in the readings topic, in topic order. */
    List<Reading> readingsInKafka(String bootstrap) {
        return KafkaTopicReader.readAll(bootstrap, KafkaTopics.READINGS, this::ours).stream()
                .map(r -> ReadingJson.decode(r.value()))
                .toList();
    }

    /** How often each (sensorId, seq) pair is in the readings topic. */
    Map<String, Long> deliveries(String bootstrap) {
        return readingsInKafka(bootstrap).stream()
                .collect(
                        Collectors.groupingBy(
                                r -> r.sensorId() + "#" + r.seq(), Collectors.counting()));
    }

    void awaitReadings(String bootstrap, int atLeast, Duration timeout) {
        await("at least " + atLeast + " readings of " + prefix + "* in Kafka")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> readingsInKafka(bootstrap).size() >= atLeast);
    }

    /** Asserts every one of {@code count} readings is in Kafka exactly once. */
    Map<String, Long> expectedDeliveries(int count) {
        return java.util.stream.IntStream.range(0, count)
                .boxed()
                .collect(
                        Collectors.toMap(
                                i -> sensorId(i) + "#" + (i / sensors), i -> 1L, (a, b) -> a + b));
    }

    boolean ours(ConsumerRecord<byte[], byte[]> r) {
        return r.key() != null && new String(r.key(), StandardCharsets.UTF_8).startsWith(prefix);
    }

    static <T> Map<T, Long> countBy(List<T> items) {
        return items.stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
