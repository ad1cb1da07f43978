package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.ExpectedAggregates;
import org.smartcity.jobs.JobConfig;

/**
 * The demo's aggregation job keeps its windows across restarts: readings of one window arrive
 * before a restart and after it, and the stored aggregates count each of them exactly once. The job
 * is restarted once from a retained periodic checkpoint (as after a stop whose savepoint failed)
 * and once from the savepoint of a clean stop.
 */
class DemoRestartIT {
    private static final String GROUP = "restart-it";

    @RegisterExtension static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

    @TempDir Path dir;

    private JobConfig config(String topic) {
        return JobConfig.fromFlags(
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--kafka-readings-topic",
                topic,
                "--kafka-group-id",
                GROUP + "-" + topic,
                "--kafka-aggregates-topic",
                "",
                "--checkpoint-interval",
                "1s",
                // Windows that close within the test (a local day closes at midnight).
                "--window-lengths",
                "1m,15m,1h",
                "--store-history",
                dir.resolve("history").toString(),
                "--store-live-catalog",
                "none");
    }

    private LocalFlinkJob start(JobConfig job) throws Exception {
        return LocalFlinkJob.start(
                job, dir.resolve("flink"), CityAggregationJob.historySink(job), null);
    }

    @Test
    void aWindowOpenAcrossRestartsCountsEveryReadingOnce() throws Exception {
        String topic = "restart.readings";
        PipelineProbes.createTopic(KAFKA.bootstrapServers(), topic, 6);
        JobConfig job = config(topic);
        Instant now = Instant.now();
        // One window of every length, all in the past, so that one marker closes them all.
        Instant windowStart =
                now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)).plusSeconds(420);
        List<Reading> before = readings(windowStart, 0, 20);
        List<Reading> between = readings(windowStart, 20, 40);
        List<Reading> after = readings(windowStart, 40, 60);
        Path checkpoints = dir.resolve("flink").resolve(LocalFlinkJob.CHECKPOINTS);
        Path savepoints = dir.resolve("flink").resolve(LocalFlinkJob.SAVEPOINTS);

        try (LocalFlinkJob first = start(job)) {
            assertThat(first.restoredFrom()).isEmpty();
            PipelineProbes.sendAndAwaitCheckpoint(job, before);
            // The stop's savepoint fails (its directory cannot be created): the job is cancelled
            // and the next start must make do with the last periodic checkpoint.
            StateDirectory.deleteRecursively(savepoints);
            Files.writeString(savepoints, "not a directory");
        }
        assertThat(snapshots(checkpoints)).as("the periodic checkpoint is retained").hasSize(1);
        Files.delete(savepoints);

        Path restoredCheckpoint;
        try (LocalFlinkJob second = start(job)) {
            restoredCheckpoint = second.restoredFrom().orElseThrow();
            assertThat(restoredCheckpoint.getParent().getParent()).isEqualTo(checkpoints);
            assertThat(restoredCheckpoint.getFileName().toString()).startsWith("chk-");
            PipelineProbes.sendAndAwaitCheckpoint(job, between);
        }

        List<Path> jobDirsBefore = children(checkpoints);
        try (LocalFlinkJob third = start(job)) {
            Path savepoint = third.restoredFrom().orElseThrow();
            assertThat(savepoint.getParent()).isEqualTo(savepoints);
            assertThat(children(checkpoints))
                    .as("checkpoints of earlier runs are deleted")
                    .doesNotContainAnyElementsOf(jobDirsBefore);
            assertThat(Files.exists(restoredCheckpoint)).isFalse();

            PipelineProbes.send(KAFKA.bootstrapServers(), topic, after);
            PipelineProbes.closeWindows(
                    KAFKA.bootstrapServers(),
                    topic,
                    now.plus(Duration.ofMinutes(1)).toEpochMilli());

            List<Reading> all = new ArrayList<>(before);
            all.addAll(between);
            all.addAll(after);
            Map<String, ZoneAggregate> expected =
                    ExpectedAggregates.of(all, Zoning.create(job.zoning()), job.windowLengths());
            assertThat(expected.values())
                    .as("one window per zone and length, with all three parts")
                    .allSatisfy(
                            a ->
                                    assertThat(windowStart.toEpochMilli())
                                            .isBetween(
                                                    a.windowStartMillis(), a.windowEndMillis() - 1))
                    .anySatisfy(a -> assertThat(a.count()).isEqualTo(all.size() / 2));
            Map<String, ZoneAggregate> stored = PipelineProbes.awaitHistory(job, expected.keySet());
            assertThat(stored.keySet()).isEqualTo(expected.keySet());
            expected.forEach(
                    (id, e) -> {
                        ExpectedAggregates.assertMatches(id, stored.get(id), e);
                        assertThat(stored.get(id).revision()).as(id + " revision").isOne();
                    });
        }
    }

    @Test
    void aSnapshotThatCannotBeRestoredGivesAFreshStart() throws Exception {
        String topic = "restart.broken";
        PipelineProbes.createTopic(KAFKA.bootstrapServers(), topic, 2);
        Path broken = dir.resolve("flink").resolve(LocalFlinkJob.SAVEPOINTS).resolve("savepoint-1");
        Files.createDirectories(broken);
        Files.write(broken.resolve("_metadata"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

        try (LocalFlinkJob job = start(config(topic))) {
            assertThat(job.restoredFrom()).isEmpty();
            assertThat(broken).doesNotExist();
            await("the fresh job runs and checkpoints")
                    .atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    !snapshots(
                                                    dir.resolve("flink")
                                                            .resolve(LocalFlinkJob.CHECKPOINTS))
                                            .isEmpty());
        }
        assertThat(snapshots(dir.resolve("flink").resolve(LocalFlinkJob.SAVEPOINTS)))
                .as("the fresh job's own savepoint")
                .hasSize(1);
    }

    /**
     * Two sensors of each of two metrics at two places, one reading per second from {@code
     * fromSecond} (inclusive) to {@code toSecond} of the window.
     */
    private static List<Reading> readings(Instant windowStart, int fromSecond, int toSecond) {
        List<Reading> out = new ArrayList<>();
        for (int s = fromSecond; s < toSecond; s++) {
            long ts = windowStart.plusSeconds(s).toEpochMilli();
            out.add(reading("km-pm25-r1", Metric.PM25, ts, 25.0406, 102.7123, 30 + s));
            out.add(reading("km-pm25-r2", Metric.PM25, ts, 24.8800, 102.8300, 60 - s * 0.5));
            out.add(reading("km-noise-r1", Metric.NOISE, ts, 25.0406, 102.7123, 55 + s % 7));
            out.add(reading("km-noise-r2", Metric.NOISE, ts, 24.8800, 102.8300, 70 - s % 5));
        }
        return out;
    }

    private static Reading reading(
            String sensor, Metric metric, long ts, double lat, double lon, double value) {
        return new Reading(sensor, metric, "kunming", ts, lat, lon, value, null);
    }

    /** Snapshot directories (holding {@code _metadata}) anywhere under {@code dir}. */
    private static Set<Path> snapshots(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .collect(Collectors.toSet());
        }
    }

    private static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
