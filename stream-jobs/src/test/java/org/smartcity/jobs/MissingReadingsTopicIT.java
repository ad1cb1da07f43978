package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.smartcity.jobs.TestReadings.at;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
 * The job started before its readings topic exists (the bridge, which creates it, not started yet):
 * with no restart allowed, the job must stay RUNNING while it waits, and aggregate the readings
 * once the topic is created and written to.
 */
class MissingReadingsTopicIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

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
    void waitsForTheReadingsTopicThenAggregatesIt(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String readingsTopic = "readings-" + run;
        String aggregatesTopic = "aggregates-" + run;
        JobConfig cfg =
                JobConfig.fromFlags(
                        "--kafka-bootstrap=" + kafka.bootstrapServers(),
                        "--kafka-group-id=aggregation-" + run,
                        "--kafka-readings-topic=" + readingsTopic,
                        "--kafka-late-topic=late-" + run,
                        "--kafka-aggregates-topic=" + aggregatesTopic,
                        "--alert-rules=none",
                        "--checkpoint-interval=1s",
                        "--parallelism=1");

        // No restart: a source failing on the missing topic fails the job, and the test.
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(noRestart());
        CityAggregationJob.build(env, cfg, null, null);
        JobClient job = env.executeAsync(CityAggregationJob.JOB_NAME);
        try (KafkaConsumer<String, String> aggregates = consumer(aggregatesTopic)) {
            await().atMost(PATIENCE)
                    .failFast(() -> job.getJobStatus().get().isGloballyTerminalState())
                    .until(() -> job.getJobStatus().get() == JobStatus.RUNNING);
            // Two checkpoints complete while the topic is missing: the job runs, and its source
            // has looked for the topic (the enumerator starts before the tasks) and is waiting.
            await().atMost(PATIENCE)
                    .failFast(() -> job.getJobStatus().get().isGloballyTerminalState())
                    .until(() -> completedCheckpoints(cluster, job.getJobID()) >= 2);
            assertThat(topicExists(readingsTopic)).isFalse();
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(readingsTopic, 2, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                send(producer, readingsTopic, 0, reading("km-a", "05:00:10", 10));
                send(producer, readingsTopic, 1, reading("km-b", "05:00:20", 20));
                // Past 05:01 plus the out-of-orderness on both partitions: the 05:00 minute fires.
                send(producer, readingsTopic, 0, reading("km-c", "05:01:30", 30));
                send(producer, readingsTopic, 1, reading("km-d", "05:01:30", 30));
            }

            String cityMinute = "pm25|city|kunming|" + at("05:00:00") + "|1m";
            List<JsonNode> seen = new ArrayList<>();
            await().atMost(PATIENCE)
                    .untilAsserted(
                            () -> {
                                seen.addAll(poll(aggregates));
                                assertThat(emissions(seen, cityMinute)).hasSize(1);
                            });
            JsonNode minute = emissions(seen, cityMinute).get(0);
            assertThat(minute.get("revision").asInt()).isEqualTo(1);
            assertThat(minute.get("count").asLong()).isEqualTo(2);
            assertThat(minute.get("mean").asDouble()).isEqualTo(15);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static long completedCheckpoints(MiniCluster cluster, JobID job) throws Exception {
        return cluster.getExecutionGraph(job)
                .get()
                .getCheckpointStatsSnapshot()
                .getCounts()
                .getNumberOfCompletedCheckpoints();
    }

    private static boolean topicExists(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic);
        }
    }

    private static Configuration noRestart() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return conf;
    }

    private static byte[] reading(String sensor, String time, double value) {
        // Central Kunming: in an H3 cell, a district and the city.
        return ReadingJson.encode(
                new Reading(
                        sensor, Metric.PM25, "kunming", at(time), 25.0406, 102.7123, value, null));
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, int partition, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, null, value))
                .get(30, TimeUnit.SECONDS);
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
