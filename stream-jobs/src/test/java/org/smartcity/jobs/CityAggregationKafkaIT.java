package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.smartcity.jobs.TestReadings.at;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.ReadingJson;
import org.smartcity.sinks.FlinkTestCluster;

/**
 * The whole job as {@code main} builds it, against a real Kafka broker (its own JVM) with the
 * shipped Kunming zoning: readings in, an undecodable record skipped, aggregates and their
 * correction out as JSON, a reading beyond the lateness in the late topic; and the job started
 * before its readings topic exists.
 */
class CityAggregationKafkaIT {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void readsReadingsAndWritesAggregatesCorrectionsAndLateReadings() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String readingsTopic = "readings-" + run;
        String lateTopic = "late-" + run;
        String aggregatesTopic = "aggregates-" + run;
        JobConfig cfg = config(run);

        try (KafkaProducer<byte[], byte[]> producer =
                KafkaTestClients.producer(KAFKA.bootstrapServers())) {
            // Written before the job starts: the first run reads a backlog.
            send(producer, readingsTopic, reading("km-a", "05:00:10", 10));
            send(producer, readingsTopic, reading("km-b", "05:00:20", 20));
            send(producer, readingsTopic, "{not a reading".getBytes(StandardCharsets.UTF_8));
            // Moves event time to 05:01:24.999: the 05:00 minute fires.
            send(producer, readingsTopic, reading("km-c", "05:01:30", 30));

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            CityAggregationJob.build(env, cfg, null, null);
            JobClient job = env.executeAsync(CityAggregationJob.JOB_NAME);
            try (KafkaConsumer<String, String> aggregates =
                            KafkaTestClients.consumer(KAFKA.bootstrapServers(), aggregatesTopic);
                    KafkaConsumer<String, String> late =
                            KafkaTestClients.consumer(KAFKA.bootstrapServers(), lateTopic)) {
                String cityMinute = "pm25|city|kunming|" + at("05:00:00") + "|1m";
                List<JsonNode> seen = new ArrayList<>();
                await().atMost(PATIENCE)
                        .untilAsserted(
                                () -> {
                                    seen.addAll(KafkaTestClients.pollJson(aggregates));
                                    assertThat(KafkaTestClients.emissions(seen, cityMinute))
                                            .hasSize(1);
                                    // The cell and the district of the same minute come out
                                    // too, possibly in a later poll than the city's.
                                    assertThat(seen)
                                            .extracting(n -> n.get("zoneKind").asText())
                                            .contains("h3", "district", "city");
                                });
                JsonNode first = KafkaTestClients.emissions(seen, cityMinute).get(0);
                assertThat(first.get("revision").asInt()).isEqualTo(1);
                assertThat(first.get("count").asLong()).isEqualTo(2);
                assertThat(first.get("mean").asDouble()).isEqualTo(15);

                send(producer, readingsTopic, reading("km-d", "04:40:00", 99)); // closed for good
                send(producer, readingsTopic, reading("km-d", "05:00:40", 60)); // corrects 05:00

                await().atMost(PATIENCE)
                        .untilAsserted(
                                () -> {
                                    seen.addAll(KafkaTestClients.pollJson(aggregates));
                                    assertThat(KafkaTestClients.emissions(seen, cityMinute))
                                            .hasSize(2);
                                });
                JsonNode corrected = KafkaTestClients.emissions(seen, cityMinute).get(1);
                assertThat(corrected.get("revision").asInt()).isEqualTo(2);
                assertThat(corrected.get("count").asLong()).isEqualTo(3);
                assertThat(corrected.get("distinctSensors").asLong()).isEqualTo(3);
                assertThat(corrected.get("max").asDouble()).isEqualTo(60);

                List<JsonNode> lateRecords = new ArrayList<>();
                await().atMost(PATIENCE)
                        .untilAsserted(
                                () -> {
                                    lateRecords.addAll(KafkaTestClients.pollJson(late));
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

    /**
     * The job started before its readings topic exists (the bridge, which creates it, not started
     * yet), with no restart allowed: it stays RUNNING and checkpoints while it waits, and
     * aggregates the readings once the topic is created and written to. Before the source waited
     * ({@code AwaitedTopicSubscriber}), the job FAILED here at once (and, with restarts allowed,
     * restarted for as long as its strategy let it).
     */
    @Test
    void waitsForAMissingReadingsTopicThenAggregatesIt(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String readingsTopic = "readings-" + run;
        String aggregatesTopic = "aggregates-" + run;
        JobConfig cfg = config(run);

        // No restart: a source failing on the missing topic fails the job, and the test.
        Configuration noRestart = new Configuration();
        noRestart.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(noRestart);
        CityAggregationJob.build(env, cfg, null, null);
        JobClient job = env.executeAsync(CityAggregationJob.JOB_NAME);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()));
                KafkaConsumer<String, String> aggregates =
                        KafkaTestClients.consumer(KAFKA.bootstrapServers(), aggregatesTopic)) {
            // Two checkpoints complete while the topic is missing: the job runs, and its source
            // has looked for the topic (the enumerator starts before the tasks) and is waiting.
            await().atMost(PATIENCE)
                    .failFast(() -> job.getJobStatus().get().isGloballyTerminalState())
                    .until(() -> completedCheckpoints(cluster, job.getJobID()) >= 2);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .doesNotContain(readingsTopic);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            admin.createTopics(List.of(new NewTopic(readingsTopic, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            try (KafkaProducer<byte[], byte[]> producer =
                    KafkaTestClients.producer(KAFKA.bootstrapServers())) {
                send(producer, readingsTopic, reading("km-a", "05:00:10", 10));
                send(producer, readingsTopic, reading("km-b", "05:00:20", 20));
                // Moves event time to 05:01:24.999: the 05:00 minute fires.
                send(producer, readingsTopic, reading("km-c", "05:01:30", 30));
            }

            String cityMinute = "pm25|city|kunming|" + at("05:00:00") + "|1m";
            List<JsonNode> seen = new ArrayList<>();
            await().atMost(PATIENCE)
                    .untilAsserted(
                            () -> {
                                seen.addAll(KafkaTestClients.pollJson(aggregates));
                                assertThat(KafkaTestClients.emissions(seen, cityMinute)).hasSize(1);
                            });
            JsonNode minute = KafkaTestClients.emissions(seen, cityMinute).get(0);
            assertThat(minute.get("revision").asInt()).isEqualTo(1);
            assertThat(minute.get("count").asLong()).isEqualTo(2);
            assertThat(minute.get("mean").asDouble()).isEqualTo(15);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** The job on topics {@code readings-RUN}, {@code late-RUN} and {@code aggregates-RUN}. */
    private static JobConfig config(String run) {
        return JobConfig.fromFlags(
                "--kafka-bootstrap=" + KAFKA.bootstrapServers(),
                "--kafka-group-id=aggregation-" + run,
                "--kafka-readings-topic=readings-" + run,
                "--kafka-late-topic=late-" + run,
                "--kafka-aggregates-topic=aggregates-" + run,
                "--checkpoint-interval=1s",
                "--parallelism=1");
    }

    private static long completedCheckpoints(MiniCluster cluster, JobID job) throws Exception {
        return cluster.getExecutionGraph(job)
                .get()
                .getCheckpointStatsSnapshot()
                .getCounts()
                .getNumberOfCompletedCheckpoints();
    }

    private static byte[] reading(String sensor, String time, double value) {
        return ReadingJson.encode(TestReadings.centralPm25(sensor, time, value));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
    }
}
