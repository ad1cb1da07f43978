package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;

/**
 * The job as {@code main} builds it with {@code --alert-rules FILE}, exactly once, against a real
 * Kafka broker: a district's minute mean above its level raises one alert; when the readings stop
 * (nothing more reaches the readings topic, event time stalls) the silent-sensor alerts still open,
 * on processing time; a sensor's next reading clears its alert. A read_committed consumer sees each
 * revision once, keyed by the alert id.
 */
class AlertsKafkaIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final double LAT = 25.0406;
    private static final double LON = 102.7123;

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
    void raisesOnceExactlyAndSeesEverySensorFallSilent() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String readingsTopic = "readings-" + run;
        String alertsTopic = "alerts-" + run;
        Path rules = dir.resolve("rules-" + run + ".yaml");
        Files.writeString(
                rules,
                String.join(
                        "\n",
                        "rules:",
                        "  - id: pm25-minute",
                        "    kind: threshold",
                        "    title: PM2.5 minute mean",
                        "    metric: pm25",
                        "    zone_kind: district",
                        "    window: 1m",
                        "    statistic: mean",
                        "    levels: {moderate: 75, severe: 150}",
                        "    clear_below: 65",
                        "    source: test",
                        "  - id: silent",
                        "    kind: silent",
                        "    after: 3s",
                        "    source: test",
                        ""));
        JobConfig cfg =
                JobConfig.fromFlags(
                        "--kafka-bootstrap=" + kafka.bootstrapServers(),
                        "--kafka-group-id=alerts-" + run,
                        "--kafka-readings-topic=" + readingsTopic,
                        "--kafka-alerts-topic=" + alertsTopic,
                        "--kafka-aggregates-topic=",
                        "--kafka-delivery-guarantee=exactly-once",
                        "--alert-rules=" + rules,
                        "--checkpoint-interval=1s",
                        // The topic has one partition: the source subtask without one must not
                        // hold event time back for the default minute.
                        "--watermark-idleness=1s",
                        "--parallelism=2");
        Zone district = Zoning.kunming().district(LAT, LON).orElseThrow();
        long minute = Instant.parse("2026-12-04T05:00:00Z").toEpochMilli();

        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, readingsTopic, "km-a", minute + 10_000, 100);
            // Moves event time past 05:01: the 05:00 minute fires with km-a's 100 alone.
            send(producer, readingsTopic, "km-c", minute + 90_000, 20);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            CityAggregationJob.build(env, cfg, null, null);
            JobClient job = env.executeAsync("alerts-" + run);
            try (KafkaConsumer<byte[], byte[]> alerts = consumer(alertsTopic)) {
                String raised = "pm25-minute|district|" + district.id() + "|" + minute;
                String silentA = "silent|sensor|km-a|" + (minute + 13_000);
                String silentC = "silent|sensor|km-c|" + (minute + 93_000);
                List<Alert> seen = new ArrayList<>();
                // Nothing more is sent: only processing time can tell that km-c went silent.
                await().atMost(PATIENCE)
                        .untilAsserted(
                                () -> {
                                    seen.addAll(poll(alerts));
                                    assertThat(seen)
                                            .extracting(Alert::id)
                                            .contains(raised, silentA, silentC);
                                });

                // km-c reports once more: its alert clears, and 3 s later a new episode opens,
                // with an id of its own.
                send(producer, readingsTopic, "km-c", minute + 100_000, 20);
                String silentCAgain = "silent|sensor|km-c|" + (minute + 103_000);
                await().atMost(PATIENCE)
                        .untilAsserted(
                                () -> {
                                    seen.addAll(poll(alerts));
                                    assertThat(seen).extracting(Alert::id).contains(silentCAgain);
                                });
                // Two more checkpoints: nothing else arrives (no duplicate revision).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < deadline) {
                    seen.addAll(poll(alerts));
                }

                assertThat(seen)
                        .extracting(Alert::id, Alert::revision, Alert::status)
                        .containsExactlyInAnyOrder(
                                tuple(raised, 1, AlertStatus.ACTIVE),
                                tuple(silentA, 1, AlertStatus.ACTIVE),
                                tuple(silentC, 1, AlertStatus.ACTIVE),
                                tuple(silentC, 2, AlertStatus.CLEARED),
                                tuple(silentCAgain, 1, AlertStatus.ACTIVE));
                Alert pm25 = seen.stream().filter(a -> a.id().equals(raised)).findFirst().get();
                assertThat(pm25.severity()).isEqualTo(Severity.MODERATE);
                assertThat(pm25.value()).isEqualTo(100.0);
                assertThat(pm25.threshold()).isEqualTo(75.0);
                assertThat(pm25.subjectName()).isEqualTo(district.name());
                assertThat(pm25.updatedAtMillis()).isEqualTo(minute + 60_000);
                Alert cleared = seen.stream().filter(a -> a.isCleared()).findFirst().orElseThrow();
                assertThat(cleared.clearedAtMillis()).isEqualTo(minute + 100_000);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, String sensor, long ts, double v)
            throws Exception {
        byte[] value =
                ReadingJson.encode(
                        new Reading(sensor, Metric.PM25, "kunming", ts, LAT, LON, v, null));
        producer.send(new ProducerRecord<>(topic, sensor.getBytes(StandardCharsets.UTF_8), value))
                .get(30, TimeUnit.SECONDS);
    }

    /** Alerts from the topic; each record's key must be its alert's id. */
    private static List<Alert> poll(KafkaConsumer<byte[], byte[]> consumer) {
        List<Alert> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            Alert a = AlertJson.decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.id());
            out.add(a);
        }
        return out;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String topic) {
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                "bootstrap.servers",
                                kafka.bootstrapServers(),
                                "group.id",
                                "check-" + topic,
                                "auto.offset.reset",
                                "earliest",
                                "isolation.level",
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
