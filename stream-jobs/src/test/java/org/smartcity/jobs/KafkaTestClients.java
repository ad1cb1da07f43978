package org.smartcity.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;

/** The Kafka clients of the job's integration tests: readings in, the job's JSON outputs out. */
public final class KafkaTestClients {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaTestClients() {}

    /** A producer of raw bytes that waits for every replica ({@code acks=all}). */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /**
     * A consumer of {@code topic} from its beginning, values as strings (the job's JSON outputs);
     * its own group, so that it sees every record.
     */
    public static KafkaConsumer<String, String> consumer(String bootstrap, String topic) {
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                "bootstrap.servers",
                                bootstrap,
                                "group.id",
                                "check-" + topic,
                                "auto.offset.reset",
                                "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** The JSON values that arrive within one poll of 500 ms. */
    public static List<JsonNode> pollJson(KafkaConsumer<String, String> consumer)
            throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    /** The aggregates among {@code seen} with {@code featureId}, in arrival order. */
    public static List<JsonNode> emissions(List<JsonNode> seen, String featureId) {
        return seen.stream().filter(n -> n.get("featureId").asText().equals(featureId)).toList();
    }

    /**
     * Sends {@code reading} as the bridge writes it (canonical JSON keyed by sensor id) and waits
     * for Kafka's acknowledgement.
     */
    public static void send(KafkaProducer<byte[], byte[]> producer, String topic, Reading reading)
            throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                topic,
                                reading.sensorId().getBytes(StandardCharsets.UTF_8),
                                ReadingJson.encode(reading)))
                .get(30, TimeUnit.SECONDS);
    }
}
