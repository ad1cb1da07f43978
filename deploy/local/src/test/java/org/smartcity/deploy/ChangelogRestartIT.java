package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.ExpectedAggregates;
import org.smartcity.jobs.JobConfig;
import org.smartcity.jobs.alerts.AlertJobRun;

/**
 * The demo's job with Flink's changelog state backend across crashes and restarts, against a real
 * Kafka broker and the FileSystem history store: four consecutive minutes of readings, one minute
 * per run, with a threshold rule raising, escalating, clearing and raising again an alert.
 *
 * <ol>
 *   <li>run A (its own JVM) materializes its state, checkpoints, and is killed (SIGKILL);
 *   <li>run B restores A's checkpoint, checkpoints without materializing (its checkpoints point at
 *       A's materialized state and A's changelog), and is killed too;
 *   <li>run C restores B's checkpoint, which needs A's files: the start's clean-up must keep them;
 *       C stops with a savepoint;
 *   <li>run D restores the savepoint, and nothing of A, B and C is left on disk.
 * </ol>
 *
 * <p>Then every reading counts once in the stored aggregates, and a {@code read_committed} reader
 * of the alerts topic sees each alert revision once. A second test switches a state directory from
 * full snapshots (the demo's default before the changelog) to the changelog and back, each time
 * from a retained checkpoint: a user upgrading, or turning the changelog off, keeps the windows.
 */
class ChangelogRestartIT {
    private static final long MIN = 60_000;

    /** Sensor c1's place: its district is the rule's subject. */
    private static final double LAT = 25.0406;

    private static final double LON = 102.7123;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

    @TempDir Path dir;

    @Test
    void twoCrashesAndAStopLoseNothingAndRepeatNothing() throws Exception {
        String topic = "changelog.readings";
        String alerts = "changelog.alerts";
        // One partition: the watermark follows the readings, with no marker in other partitions.
        PipelineProbes.createTopic(KAFKA.bootstrapServers(), topic, 1);
        PipelineProbes.createTopic(KAFKA.bootstrapServers(), alerts, 1);
        Path rules = dir.resolve("rules.yaml");
        AlertJobRun.writeRules(rules, AlertJobRun.PM25_MINUTE_RULE);
        List<String> flags = new ArrayList<>(flags(topic, alerts));
        flags.addAll(List.of("--alert-rules", rules.toString()));
        JobConfig job = JobConfig.fromFlags(flags.toArray(String[]::new));
        Path state = dir.resolve("flink");
        Path checkpoints = state.resolve(LocalFlinkJob.CHECKPOINTS);
        long m0 = minuteInThePastHour();
        // c1's minute means: moderate, severe, clear, moderate again.
        List<Reading> minute0 = minute(m0, 100);
        List<Reading> minute1 = minute(m0 + MIN, 200);
        List<Reading> minute2 = minute(m0 + 2 * MIN, 30);
        List<Reading> minute3 = minute(m0 + 3 * MIN, 100);

        // A: minutes 0 and 1 (minute 0 closes: raised), a materialization, then a crash.
        Path runA;
        try (FlinkJobProcess a =
                FlinkJobProcess.start(
                        state, true, Duration.ofSeconds(2), dir.resolve("a.log"), flags)) {
            assertThat(a.restoredFrom()).as(a.log()).isEmpty();
            PipelineProbes.sendAndAwaitCheckpoint(job, concat(minute0, minute1));
            runA =
                    await("a checkpoint pointing at materialized state")
                            .atMost(Duration.ofSeconds(60))
                            .until(() -> materializedDirOfNewest(state), d -> d != null);
            a.kill();
        }

        // B: restored; minute 2 (minute 1 closes: severe); no materialization; a crash.
        try (FlinkJobProcess b =
                FlinkJobProcess.start(
                        state, true, Duration.ofHours(1), dir.resolve("b.log"), flags)) {
            Path restored = b.restoredFrom().orElseThrow(() -> new AssertionError(b.log()));
            assertThat(restored.getParent().getParent()).isEqualTo(checkpoints);
            PipelineProbes.sendAndAwaitCheckpoint(job, minute2);
            await("B's newest checkpoint points at A's materialized state")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> runA.equals(materializedDirOfNewest(state)));
            b.kill();
        }

        // C: restored from B's checkpoint, which needs A's files; minute 3 (minute 2 closes:
        // cleared); a stop with a savepoint.
        Path savepoints = state.resolve(LocalFlinkJob.SAVEPOINTS);
        try (LocalFlinkJob c = start(job, state)) {
            Path restored = c.restoredFrom().orElseThrow();
            assertThat(restored.getParent().getParent()).isEqualTo(checkpoints);
            assertThat(restored.getParent()).isNotEqualTo(runA);
            assertOnlyNeededFilesLeft(state, restored, c);
            PipelineProbes.sendAndAwaitCheckpoint(job, minute3);
        }
        assertThat(StateDirectory.children(savepoints)).as("C's savepoint").hasSize(1);

        // D: restored from the savepoint, which is self-contained: nothing else is kept.
        try (LocalFlinkJob d = start(job, state)) {
            assertThat(d.restoredFrom().orElseThrow().getParent()).isEqualTo(savepoints);
            assertThat(jobDirs(state))
                    .as("only D's own checkpoint and changelog directories")
                    .allSatisfy(p -> assertThat(p.getFileName()).hasToString(d.jobId().toString()));
            PipelineProbes.closeWindows(KAFKA.bootstrapServers(), topic, now());

            List<Reading> all = concat(concat(minute0, minute1), concat(minute2, minute3));
            assertHistoryCountsEachReadingOnce(job, all);
            String district = Zoning.kunming().district(LAT, LON).orElseThrow().id();
            String first = "pm25-minute|district|" + district + "|" + m0;
            String second = "pm25-minute|district|" + district + "|" + (m0 + 3 * MIN);
            List<Alert> seen =
                    await("every alert revision committed")
                            .atMost(Duration.ofSeconds(60))
                            .until(() -> committedAlerts(alerts), l -> l.size() >= 4);
            // By hand: raised by minute 0 (opened at its start), severe from minute 1, cleared
            // by minute 2; raised again by minute 3. Each revision once, none repeated by a
            // replay after a crash.
            assertThat(seen)
                    .extracting(Alert::id, Alert::revision, Alert::status)
                    .containsExactlyInAnyOrder(
                            tuple(first, 1, AlertStatus.ACTIVE),
                            tuple(first, 2, AlertStatus.ACTIVE),
                            tuple(first, 3, AlertStatus.CLEARED),
                            tuple(second, 1, AlertStatus.ACTIVE));
            assertThat(seen)
                    .filteredOn(a -> a.status() == AlertStatus.ACTIVE)
                    .extracting(Alert::revision, Alert::severity)
                    .containsExactlyInAnyOrder(
                            tuple(1, Severity.MODERATE),
                            tuple(2, Severity.SEVERE),
                            tuple(1, Severity.MODERATE));
        }
    }

    @Test
    void aCheckpointOfFullSnapshotsRestoresWithTheChangelogAndBack() throws Exception {
        String topic = "switch.readings";
        PipelineProbes.createTopic(KAFKA.bootstrapServers(), topic, 1);
        JobConfig job = JobConfig.fromFlags(flags(topic, "switch.alerts").toArray(String[]::new));
        Path state = dir.resolve("flink");
        Path savepoints = state.resolve(LocalFlinkJob.SAVEPOINTS);
        long m0 = minuteInThePastHour();
        List<Reading> first = minute(m0, 40);
        List<Reading> second = minute(m0 + MIN, 50);
        List<Reading> third = minute(m0 + 2 * MIN, 60);

        // Full snapshots, as the demo wrote them before the changelog; each stop's savepoint
        // fails, so that the next start restores a checkpoint in the backend's own format.
        try (LocalFlinkJob old = LocalFlinkJob.start(job, state, false, sink(job), null)) {
            PipelineProbes.sendAndAwaitCheckpoint(job, first);
            failTheSavepoint(savepoints);
        }
        Files.delete(savepoints);
        try (LocalFlinkJob upgraded = LocalFlinkJob.start(job, state, true, sink(job), null)) {
            assertThat(upgraded.restoredFrom().orElseThrow().getFileName().toString())
                    .startsWith("chk-");
            PipelineProbes.sendAndAwaitCheckpoint(job, second);
            failTheSavepoint(savepoints);
        }
        Files.delete(savepoints);
        try (LocalFlinkJob off = LocalFlinkJob.start(job, state, false, sink(job), null)) {
            assertThat(off.restoredFrom().orElseThrow().getFileName().toString())
                    .startsWith("chk-");
            PipelineProbes.send(KAFKA.bootstrapServers(), topic, third);
            PipelineProbes.closeWindows(KAFKA.bootstrapServers(), topic, now());
            assertHistoryCountsEachReadingOnce(job, concat(first, concat(second, third)));
        }
    }

    private List<String> flags(String topic, String alerts) {
        return List.of(
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--kafka-readings-topic",
                topic,
                "--kafka-group-id",
                "changelog-it-" + topic,
                "--kafka-aggregates-topic",
                "",
                "--kafka-alerts-topic",
                alerts,
                "--kafka-delivery-guarantee",
                "exactly-once",
                "--checkpoint-interval",
                "500ms",
                // The source subtask without a partition must not hold the watermark back.
                "--watermark-idleness",
                "1s",
                "--window-lengths",
                "1m,15m,1h",
                "--store-history",
                dir.resolve("history").toString(),
                "--store-live-catalog",
                "none");
    }

    /** The job in this JVM as the demo starts it with {@code --state-changelog true}. */
    private static LocalFlinkJob start(JobConfig job, Path state) throws Exception {
        return LocalFlinkJob.start(job, state, true, sink(job), null);
    }

    private static Sink<ZoneAggregate> sink(JobConfig job) {
        return CityAggregationJob.historySink(job);
    }

    /**
     * 7 minutes into the last whole hour: the four minutes from there are in one 15-min and one 1-h
     * window, all in the past, so that one marker at {@link #now} closes them all.
     */
    private static long minuteInThePastHour() {
        return Instant.now()
                .truncatedTo(ChronoUnit.HOURS)
                .minus(Duration.ofHours(1))
                .plus(Duration.ofMinutes(7))
                .toEpochMilli();
    }

    /** A minute from now: past the end of every window of the last whole hour. */
    private static long now() {
        return Instant.now().plus(Duration.ofMinutes(1)).toEpochMilli();
    }

    /**
     * One minute of readings every 2 s: PM2.5 sensor c1 at {@code c1Value} in the rule's district,
     * c2 at 30 in another, a noise sensor beside c1; and one reading each of 600 temperature
     * sensors spread over the city, so that the state (a cell and its windows per sensor) is
     * written to files, not inline in the checkpoint's metadata as a few kilobytes would be.
     */
    private static List<Reading> minute(long start, double c1Value) {
        List<Reading> out = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 600; i++) {
            out.add(
                    reading(
                            "km-temp-c" + i,
                            Metric.TEMPERATURE,
                            start + 30_000,
                            24.90 + 0.25 * random.nextDouble(),
                            102.60 + 0.30 * random.nextDouble(),
                            10 + random.nextInt(10)));
        }
        for (int s = 0; s < 60; s += 2) {
            long ts = start + s * 1_000L;
            out.add(reading("km-pm25-c1", Metric.PM25, ts, LAT, LON, c1Value));
            out.add(reading("km-pm25-c2", Metric.PM25, ts, 24.8800, 102.8300, 30));
            out.add(reading("km-noise-c1", Metric.NOISE, ts, LAT, LON, 55 + s % 7));
        }
        return out;
    }

    private static Reading reading(
            String sensor, Metric metric, long ts, double lat, double lon, double value) {
        return new Reading(sensor, metric, "kunming", ts, lat, lon, value, null);
    }

    private static List<Reading> concat(List<Reading> a, List<Reading> b) {
        List<Reading> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The stop's savepoint fails (its directory cannot be created): a checkpoint is retained. */
    private static void failTheSavepoint(Path savepoints) throws IOException {
        StateDirectory.deleteRecursively(savepoints);
        Files.writeString(savepoints, "not a directory");
    }

    /**
     * The job directory under {@code checkpoints} holding materialized state that the newest
     * checkpoint points at (a file outside its own {@code chk-N}), or null if none does yet.
     */
    private static Path materializedDirOfNewest(Path state) throws IOException {
        Path newest = StateDirectory.newestSnapshot(state).orElse(null);
        if (newest == null) {
            return null;
        }
        Path checkpoints = state.resolve(LocalFlinkJob.CHECKPOINTS).toAbsolutePath();
        try {
            for (Path f : StateDirectory.referencedFiles(newest).orElseThrow()) {
                if (f.startsWith(checkpoints) && !f.startsWith(newest.toAbsolutePath())) {
                    return checkpoints.resolve(checkpoints.relativize(f).getName(0));
                }
            }
        } catch (NoSuchFileException e) {
            return null; // subsumed meanwhile
        }
        return null;
    }

    /**
     * Every file left of earlier runs under the checkpoints and changelog directories is in the
     * restored checkpoint's directory or named by it; the running job's own are not looked at.
     */
    private static void assertOnlyNeededFilesLeft(Path state, Path restored, LocalFlinkJob running)
            throws IOException {
        Set<Path> needed = new HashSet<>(StateDirectory.referencedFiles(restored).orElseThrow());
        assertThat(needed)
                .as("the restored checkpoint needs changelog files")
                .anySatisfy(
                        f ->
                                assertThat(f)
                                        .startsWith(
                                                state.resolve(LocalFlinkJob.CHANGELOG)
                                                        .toAbsolutePath()));
        List<Path> left = new ArrayList<>();
        for (Path jobDir : jobDirs(state)) {
            if (jobDir.getFileName().toString().equals(running.jobId().toString())) {
                continue;
            }
            try (Stream<Path> s = Files.walk(jobDir)) {
                s.filter(Files::isRegularFile).forEach(left::add);
            }
        }
        assertThat(left)
                .isNotEmpty()
                .allSatisfy(
                        f ->
                                assertThat(
                                                f.toAbsolutePath().startsWith(restored)
                                                        || needed.contains(f.toAbsolutePath()))
                                        .as(f + " is needed")
                                        .isTrue());
        assertThat(needed).allSatisfy(f -> assertThat(f).exists());
    }

    /** The per-job directories under {@code checkpoints} and {@code changelog}. */
    private static List<Path> jobDirs(Path state) throws IOException {
        List<Path> out = new ArrayList<>();
        out.addAll(StateDirectory.children(state.resolve(LocalFlinkJob.CHECKPOINTS)));
        out.addAll(StateDirectory.children(state.resolve(LocalFlinkJob.CHANGELOG)));
        return out;
    }

    /** The history holds every window of {@code all}, each counting every reading once. */
    private static void assertHistoryCountsEachReadingOnce(JobConfig job, List<Reading> all)
            throws Exception {
        Map<String, ZoneAggregate> expected =
                ExpectedAggregates.of(all, Zoning.create(job.zoning()), job.windowLengths());
        Map<String, ZoneAggregate> stored = PipelineProbes.awaitHistory(job, expected.keySet());
        assertThat(stored.keySet()).isEqualTo(expected.keySet());
        expected.forEach((id, e) -> ExpectedAggregates.assertMatches(id, stored.get(id), e));
    }

    /**
     * Every alert revision a {@code read_committed} reader sees now: up to the last stable offset,
     * without the records of transactions aborted by the crashes.
     */
    private static List<Alert> committedAlerts(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KAFKA.bootstrapServers(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long end = consumer.endOffsets(partitions).get(partitions.get(0));
            List<Alert> out = new ArrayList<>();
            while (consumer.position(partitions.get(0)) < end) {
                consumer.poll(Duration.ofMillis(500))
                        .forEach(r -> out.add(AlertJson.decode(r.value())));
            }
            return out;
        }
    }
}
