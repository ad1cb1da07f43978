package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;
import org.smartcity.jobs.KafkaTestClients;
import org.smartcity.simulator.MessageGenerator;
import org.smartcity.simulator.PlannedReading;
import org.smartcity.simulator.SimulatedMessage;
import org.smartcity.simulator.SimulatorConfig;
import org.smartcity.sinks.FlinkTestCluster;

/**
 * The job as {@code main} builds it with {@code --alert-rules FILE}, exactly once, against a real
 * Kafka broker: a district's minute mean above its level raises one alert; when the readings stop
 * (nothing more reaches the readings topic, event time stalls) the silent-sensor alerts still open,
 * on processing time; a sensor's next reading clears its alert. A read_committed consumer sees each
 * revision once, keyed by the alert id.
 */
class AlertsKafkaIT {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final double LAT = 25.0406;
    private static final double LON = 102.7123;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir static Path dir;

    @Test
    void raisesOnceExactlyAndSeesEverySensorFallSilent() throws Exception {
        AlertJobRun run = AlertJobRun.in(dir);
        List<String> rules = new ArrayList<>(AlertJobRun.PM25_MINUTE_RULE);
        rules.addAll(
                List.of(
                        "    title: PM2.5 minute mean",
                        "  - id: silent",
                        "    kind: silent",
                        "    after: 3s",
                        "    source: test"));
        run.writeRules(rules);
        JobConfig cfg = run.config(KAFKA.bootstrapServers(), "--checkpoint-interval=1s");
        Zone district = Zoning.kunming().district(LAT, LON).orElseThrow();
        long minute = Instant.parse("2026-12-04T05:00:00Z").toEpochMilli();

        try (KafkaProducer<byte[], byte[]> producer =
                KafkaTestClients.producer(KAFKA.bootstrapServers())) {
            send(producer, run.readingsTopic(), "km-a", minute + 10_000, 100);
            // Moves event time past 05:01: the 05:00 minute fires with km-a's 100 alone.
            send(producer, run.readingsTopic(), "km-c", minute + 90_000, 20);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            CityAggregationJob.build(env, cfg, null, null);
            JobClient job = env.executeAsync("alerts-" + run.id());
            try (AlertTopicReader alerts =
                    AlertTopicReader.committed(KAFKA.bootstrapServers(), run.alertsTopic())) {
                String raised = "pm25-minute|district|" + district.id() + "|" + minute;
                String silentA = "silent|sensor|km-a|" + (minute + 13_000);
                String silentC = "silent|sensor|km-c|" + (minute + 93_000);
                List<Alert> seen = new ArrayList<>();
                // Nothing more is sent: only processing time can tell that km-c went silent.
                await().atMost(PATIENCE)
                        .untilAsserted(
                                () -> {
                                    seen.addAll(alerts.poll());
                                    assertThat(seen)
                                            .extracting(Alert::id)
                                            .contains(raised, silentA, silentC);
                                });

                // km-c reports once more: its alert clears, and 3 s later a new episode opens,
                // with an id of its own.
                send(producer, run.readingsTopic(), "km-c", minute + 100_000, 20);
                String silentCAgain = "silent|sensor|km-c|" + (minute + 103_000);
                await().atMost(PATIENCE)
                        .untilAsserted(
                                () -> {
                                    seen.addAll(alerts.poll());
                                    assertThat(seen).extracting(Alert::id).contains(silentCAgain);
                                });
                // Two more checkpoints: nothing else arrives (no duplicate revision).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < deadline) {
                    seen.addAll(alerts.poll());
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

    /**
     * The simulator's {@code outage} scenario against the rules that ship with the job, with their
     * two 10-minute limits (silent sensor, coverage) shortened as much as the script's minute: one
     * script minute is 500 ms, so the limits are 5 s. The readings go to Kafka when they are due
     * (in real time: coverage and a city-wide silence are seen on processing time). Every
     * silent-sensor episode that a plain loop over the sent readings finds opens and clears exactly
     * once, with its exact id and clearing time; the outage district has a coverage alert in the
     * first step, every district with PM2.5 sensors one in the second, and all of them clear.
     */
    @Test
    void anOutageOpensAndClearsSilentAndCoverageAlertsWithTheDefaultRules() throws Exception {
        AlertJobRun run = AlertJobRun.in(dir);
        long minuteMillis = 500;
        long limit = 10 * minuteMillis;
        String defaults;
        try (var in =
                AlertsKafkaIT.class.getResourceAsStream(
                        "/org/smartcity/jobs/alerts/default-alert-rules.yaml")) {
            defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(defaults.split("after: 10m", -1)).hasSize(3); // silent and coverage
        Files.writeString(
                run.rules(), defaults.replace("after: 10m", "after: " + limit / 1000 + "s"));
        JobConfig cfg = run.config(KAFKA.bootstrapServers(), "--checkpoint-interval=1s");

        // The readings go out only once the job runs: the topic is made first with one partition
        // (the broker's auto-creation on the first reading would pick its own count).
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KAFKA.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(run.readingsTopic(), 1, (short) 1)))
                    .all()
                    .get();
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        CityAggregationJob.build(env, cfg, null, null);
        JobClient job = env.executeAsync("outage-" + run.id());
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<byte[], byte[]> producer =
                        KafkaTestClients.producer(KAFKA.bootstrapServers());
                AlertTopicReader alerts =
                        AlertTopicReader.committed(KAFKA.bootstrapServers(), run.alertsTopic())) {
            await().atMost(PATIENCE).until(() -> job.getJobStatus().get() == JobStatus.RUNNING);
            // 40 sensors, each reporting every 0.4 s (so each is heard before the first step),
            // for 40 s: the district is silent from 0.5 s to 15.5 s, every sensor from 20.5 s to
            // 35.5 s. The first reading is due 3 s from
            // now, so that the job's source reads them as they come.
            long start = System.currentTimeMillis() + 3_000;
            long end = start + 40_000;
            MessageGenerator generator =
                    new MessageGenerator(
                            SimulatorConfig.parse(
                                    "--scenario=outage",
                                    "--scenario-minute=" + minuteMillis + "ms",
                                    "--sensors=40",
                                    "--rate=100",
                                    "--duration=40s"),
                            Clock.fixed(Instant.ofEpochMilli(start), ZoneOffset.UTC));
            List<Reading> sent = new ArrayList<>();
            while (generator.hasNext()) {
                SimulatedMessage m = generator.next();
                List<Reading> readings =
                        m.readings().stream().map(PlannedReading::forwarded).toList();
                sent.addAll(readings);
                sender.schedule(
                        () -> {
                            for (Reading r : readings) {
                                producer.send(
                                        new ProducerRecord<>(
                                                run.readingsTopic(),
                                                r.sensorId().getBytes(StandardCharsets.UTF_8),
                                                ReadingJson.encode(r)));
                            }
                        },
                        m.sendTime().toEpochMilli() - System.currentTimeMillis(),
                        TimeUnit.MILLISECONDS);
            }

            // The oracle: a sensor silent for longer than the limit between two readings.
            Map<String, List<Long>> times = new TreeMap<>();
            sent.forEach(
                    r ->
                            times.computeIfAbsent(r.sensorId(), k -> new ArrayList<>())
                                    .add(r.timestampMillis()));
            List<Tuple> expected = new ArrayList<>();
            times.forEach(
                    (sensor, ts) -> {
                        for (int i = 1; i < ts.size(); i++) {
                            if (ts.get(i) - ts.get(i - 1) > limit) {
                                String id =
                                        "sensor-silent|sensor|"
                                                + sensor
                                                + "|"
                                                + (ts.get(i - 1) + limit);
                                expected.add(tuple(id, 1, AlertStatus.ACTIVE, null));
                                expected.add(tuple(id, 2, AlertStatus.CLEARED, ts.get(i)));
                            }
                        }
                    });
            Zoning zoning = Zoning.kunming();
            Set<String> pm25Districts = new TreeSet<>();
            Set<String> outageSensors = new TreeSet<>();
            for (Reading r : sent) {
                zoning.district(r.lat(), r.lon())
                        .ifPresent(
                                d -> {
                                    if (r.metric() == Metric.PM25) {
                                        pm25Districts.add(d.id());
                                    }
                                    if (d.id().equals(generator.outageDistrict())) {
                                        outageSensors.add(r.sensorId());
                                    }
                                });
            }
            // Each sensor of the district once in the first step, every sensor in the second.
            assertThat(expected).hasSize(2 * (outageSensors.size() + times.size()));
            assertThat(pm25Districts).contains(generator.outageDistrict());

            List<Alert> seen = new ArrayList<>();
            await().atMost(Duration.ofMillis(end - System.currentTimeMillis()).plus(PATIENCE))
                    .untilAsserted(
                            () -> {
                                seen.addAll(alerts.poll());
                                assertThat(silent(seen, end))
                                        .extracting(
                                                Alert::id,
                                                Alert::revision,
                                                Alert::status,
                                                Alert::clearedAtMillis)
                                        .containsExactlyInAnyOrderElementsOf(expected);
                                assertThat(coverage(seen, start + 20_500))
                                        .containsExactly(generator.outageDistrict() + " cleared");
                                assertThat(coverage(seen, end).stream().distinct())
                                        .containsExactlyInAnyOrderElementsOf(
                                                pm25Districts.stream()
                                                        .map(d -> d + " cleared")
                                                        .toList());
                            });
        } finally {
            sender.shutdownNow();
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** The silent-sensor alerts opened before {@code endMillis}, when the readings stop. */
    private static List<Alert> silent(List<Alert> alerts, long endMillis) {
        return alerts.stream()
                .filter(a -> a.rule().equals("sensor-silent") && a.openedAtMillis() < endMillis)
                .toList();
    }

    /**
     * For each coverage episode opened before {@code endMillis}, "district cleared" once it has
     * cleared, "district active" while it is open (in opening order).
     */
    private static List<String> coverage(List<Alert> alerts, long endMillis) {
        Map<String, String> episodes = new java.util.LinkedHashMap<>();
        alerts.stream()
                .filter(a -> a.rule().equals("pm25-coverage") && a.openedAtMillis() < endMillis)
                .forEach(
                        a ->
                                episodes.merge(
                                        a.id(),
                                        a.subjectId() + (a.isCleared() ? " cleared" : " active"),
                                        (old, now) -> old.endsWith("cleared") ? old : now));
        return List.copyOf(episodes.values());
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, String sensor, long ts, double v)
            throws Exception {
        KafkaTestClients.send(
                producer,
                topic,
                new Reading(sensor, Metric.PM25, "kunming", ts, LAT, LON, v, null));
    }
}
