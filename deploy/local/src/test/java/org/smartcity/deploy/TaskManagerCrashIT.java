package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's TaskManager crash, against the local platform in this JVM: while devices
 * publish, the MiniCluster's only TaskManager is terminated after a completed checkpoint and a new
 * one started (as in stream-jobs' CrashRecoveryITCase, which checks that the aggregates of such a
 * recovery count every reading once). The job comes back by itself, restored from that checkpoint,
 * and {@code /health} reports it running again.
 */
class TaskManagerCrashIT {
    @TempDir Path dir;

    @Test
    void theJobRecoversFromItsCheckpointOnANewTaskManager() throws Exception {
        try (LocalPlatform platform =
                        LocalPlatform.start(TestPlatforms.quiet(dir.resolve("data")), System.out);
                DevicePublisher devices =
                        new DevicePublisher(platform, "crash-tm-", 8, 200).start()) {
            LocalFlinkJob job = platform.flinkJob();
            await("a completed checkpoint")
                    .atMost(Duration.ofMinutes(1))
                    .until(
                            () ->
                                    checkpoints(job).getCounts().getNumberOfCompletedCheckpoints()
                                            > 0);
            assertThat(job.health().up()).isTrue();

            job.cluster().terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            job.cluster().startTaskManager();

            await("the job running again, restored from its checkpoint")
                    .atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    graph(job).getState() == JobStatus.RUNNING
                                            && checkpoints(job).getLatestRestoredCheckpoint()
                                                    != null
                                            && job.health().up());
            // And it goes on: a new checkpoint completes after the restore.
            long completed = checkpoints(job).getCounts().getNumberOfCompletedCheckpoints();
            await("a checkpoint after the recovery")
                    .atMost(Duration.ofMinutes(1))
                    .until(
                            () ->
                                    checkpoints(job).getCounts().getNumberOfCompletedCheckpoints()
                                            > completed);
            assertThat(devices.acknowledgedCount()).isPositive();
        }
    }

    private static AccessExecutionGraph graph(LocalFlinkJob job) throws Exception {
        return job.cluster().getExecutionGraph(job.jobId()).get(10, TimeUnit.SECONDS);
    }

    private static CheckpointStatsSnapshot checkpoints(LocalFlinkJob job) throws Exception {
        return graph(job).getCheckpointStatsSnapshot();
    }
}
