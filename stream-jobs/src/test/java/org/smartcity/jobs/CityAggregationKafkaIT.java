package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.smartcity.jobs.TestReadings.at;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;

/**
 * The whole job as {@code main} builds it, against a real Kafka broker (its own JVM) with the
 * shipped Kunming zoning: readings in, an undecodable record skipped, aggregates and their
 * correction out as JSON, a reading beyond the lateness in the late topic.
 */
class CityAggregationKafkaIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir static Path dir;
    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.start(0, dir);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void readsReadingsAndWritesAggregatesCorrectionsAndLateReadings() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String readingsTopic = "readings-" + run;
        String lateTopic = "late-" + run;
        String aggregatesTopic = "aggregates-" + run;
        JobConfig cfg =
                JobConfig.fromFlags(
                        "--kafka-bootstrap=" + kafka.bootstrapServers(),
                        "--kafka-group-id=aggregation-" + run,
                        "--kafka-readings-topic=" + readingsTopic,
                        "--kafka-late-topic=" + lateTopic,
                        "--kafka-aggregates-topic=" + aggregatesTopic,
                        "--checkpoint-interval=1s",
                        "--parallelism=1");

        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            // Written before the job starts: the first run reads a backlog.
            send(producer, readingsTopic, reading("km-a", "05:00:10", 10));
            send(producer, readingsTopic, reading("km-b", "05:00:20", 20));
            send(producer, readingsTopic, "{not a reading".getBytes(StandardCharsets.UTF_8));
            // Moves event time to 05:01:24.999: the 05:00 minute fires.
            send(producer, readingsTopic, reading("km-c", "05:01:30", 30));

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            CityAggregationJob.build(env, cfg, null, null);
            JobClient job = env.executeAsync(CityAggregationJob.JOB_NAME);
            try (KafkaConsumer<String, String> aggregates = consumer(aggregatesTopic);
                    KafkaConsumer<String, String> late = consumer(lateTopic)) {
                String cityMinute = "pm25|city|kunming|" + at("05:00:00") + "|1m";
                List<JsonNode> seen = new ArrayList<>();
                await().atMost(PATIENCE)
                        .untilAsserted(
                                () -> {
                                    seen.addAll(poll(aggregates));
                                    assertThat(emissions(seen, cityMinute)).hasSize(1);
                                    // The cell and the district of the same minute come out
                                    // too, possibly in a later poll than the city's.
                                    assertThat(seen)
                                            .extracting(n -> n.get("zoneKind").asText())
                                            .contains("h3", "district", "city");
                                });
                JsonNode first = emissions(seen, cityMinute).get(0);
                assertThat(first.get("revision").asInt()).isEqualTo(1);
                assertThat(first.get("count").asLong()).isEqualTo(2);
                assertThat(first.get("mean").asDouble()).isEqualTo(15);

                send(producer, readingsTopic, reading("km-d", "04:40:00", 99)); // closed for good
                send(producer, readingsTopic, reading("km-d", "05:00:40", 60)); // corrects 05:00

                await().atMost(PATIENCE)
                        .untilAsserted(
                                () -> {
                                    seen.addAll(poll(aggregates));
                                    assertThat(emissions(seen, cityMinute)).hasSize(2);
                                });
                JsonNode corrected = emissions(seen, cityMinute).get(1);
                assertThat(corrected.get("revision").asInt()).isEqualTo(2);
                assertThat(corrected.get("count").asLong()).isEqualTo(3);
                assertThat(corrected.get("distinctSensors").asLong()).isEqualTo(3);
                assertThat(corrected.get("max").asDouble()).isEqualTo(60);

                List<JsonNode> lateRecords = new ArrayList<>();
                await().atMost(PATIENCE)
                        .untilAsserted(
                                () -> {
                                    lateRecords.addAll(poll(late));
                                    assertThat(lateRecords).hasSize(1);
                                });
                JsonNode lateRecord = lateRecords.get(0);
                assertThat(lateRecord.get("reason").asText()).isEqualTo("BEYOND_ALLOWED_LATENESS");
                assertThat(lateRecord.get("reading").get("sensorId").asText()).isEqualTo("km-d");
                assertThat(lateRecord.get("reading").get("ts").asLong()).isEqualTo(at("04:40:00"));
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static byte[] reading(String sensor, String time, double value) {
        // Central Kunming: in an H3 cell, a district and the city.
        return ReadingJson.encode(
                new Reading(
                        sensor, Metric.PM25, "kunming", at(time), 25.0406, 102.7123, value, null));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
    }

    private static List<JsonNode> emissions(List<JsonNode> seen, String featureId) {
        return seen.stream().filter(n -> n.get("featureId").asText().equals(featureId)).toList();
    }

    private static List<JsonNode> poll(KafkaConsumer<String, String> consumer) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static KafkaConsumer<String, String> consumer(String topic) {
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                "bootstrap.servers",
                                kafka.bootstrapServers(),
                                "group.id",
                                "check-" + topic,
                                "auto.offset.reset",
                                "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
