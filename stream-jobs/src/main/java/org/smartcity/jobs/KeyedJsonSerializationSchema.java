package org.smartcity.jobs;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records to one Kafka topic with a string key and a JSON value, both computed from the
 * record: aggregates keyed by feature id (so a compacted topic keeps the newest revision), late
 * readings keyed by sensor id (as the readings topic is).
 *
 * @param <T> the record type
 */
final class KeyedJsonSerializationSchema<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, byte[]> json;

    KeyedJsonSerializationSchema(
            String topic,
            SerializableFunction<T, String> key,
            SerializableFunction<T, byte[]> json) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.key = Objects.requireNonNull(key, "key");
        this.json = Objects.requireNonNull(json, "json");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                key.apply(element).getBytes(StandardCharsets.UTF_8),
                json.apply(element));
    }
}
