package org.smartcity.deploy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.changelog.fs.FsStateChangelogOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.SerializedThrowable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.config.CommandLine;
import org.smartcity.core.http.Health;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;

/**
 * The aggregation job on a Flink MiniCluster inside the platform's JVM: the same topology as on a
 * cluster ({@link CityAggregationJob#build}), with memory sized for a laptop, and with its state
 * kept across restarts in a directory of the platform's data.
 *
 * <p>Why: the stores under the data directory survive a restart, so the windows open at the time
 * must too, or their aggregates would miss the readings before the restart. State is kept as
 * follows:
 *
 * <ul>
 *   <li>Checkpoints go to {@code <stateDir>/checkpoints/<jobId>/chk-N} (Flink's filesystem
 *       checkpoint storage; the newest one is retained when the job is cancelled or fails, or the
 *       JVM dies). The heap state is kept with Flink's changelog (by default: {@link
 *       #DEFAULT_CHANGELOG}; {@code --state-changelog false} turns it off): a checkpoint writes the
 *       state's changes to {@code <stateDir>/changelog/<jobId>} and points at the state last
 *       written in full (materialized, every {@link #MATERIALIZATION_INTERVAL}), so it is small and
 *       quick; without it, each checkpoint is a full snapshot. {@link StateDirectory} has the
 *       layout.
 *   <li>{@link #close()} stops the job with a savepoint in {@code <stateDir>/savepoints}: every
 *       reading read so far is in it, and the sinks have flushed. If that fails or takes over 5 s
 *       (Kafka already gone), the job is cancelled and its last periodic checkpoint remains: the
 *       next start then reads the readings after it again, and rewrites the windows they closed
 *       with the same ids and values.
 *   <li>{@link #start} restores the newest completed snapshot of either kind (a directory holding a
 *       {@code _metadata} file), window state and Kafka offsets together, so every reading counts
 *       once. Flink claims it (deletes it once a newer checkpoint exists); everything else earlier
 *       runs left is deleted, but the files the restored snapshot points at. State of operators the
 *       job no longer has is dropped. A snapshot taken with the changelog restores without it and
 *       the other way round.
 *   <li>A snapshot that cannot be restored (corrupt, or written by an incompatible version of the
 *       job) is reported in one log line, and the job starts with empty windows instead.
 * </ul>
 */
public final class LocalFlinkJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFlinkJob.class);

    public static final String CHECKPOINTS = StateDirectory.CHECKPOINTS;
    static final String SAVEPOINTS = StateDirectory.SAVEPOINTS;
    public static final String CHANGELOG = StateDirectory.CHANGELOG;

    /**
     * Whether the demo keeps its state with Flink's changelog unless told otherwise: on, because a
     * checkpoint then writes only what changed, so exactly-once alerts wait less at high rates
     * (docs/benchmark-log.md, Alerts); at the demo's 200 readings/s it hardly changes alert latency
     * or cost. It was off for a while because a graceful stop's savepoint never completed with it,
     * which was the stop running in a shutdown hook beside Flink's own ({@link
     * org.smartcity.core.config.StopSignals}).
     */
    public static final boolean DEFAULT_CHANGELOG = true;

    /**
     * How often the changelog's heap state is written in full (materialized), so that the changes
     * since then are all a checkpoint writes. Shorter costs a full snapshot's CPU more often;
     * longer keeps more changelog on disk and replays more at a restore (Flink's default: 10 min).
     * Chosen from AlertLatencyBenchmark runs (docs/benchmark-log.md, Alerts).
     */
    public static final Duration MATERIALIZATION_INTERVAL = Duration.ofSeconds(30);

    private static final int PARALLELISM = 2;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How long a stop waits for its savepoint (0.17 s in a graceful stop of the demo, README
     * Aggregation). Short, because a sink waiting for a Kafka that is gone would hold the savepoint
     * up; without it, the next start resumes from the last checkpoint, just as correctly.
     */
    private static final Duration SAVEPOINT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * How long a stop waits for a cancellation, and then for the cluster: a task stuck in a Kafka
     * client whose broker is gone is left behind rather than holding up Ctrl-C (its last checkpoint
     * is on disk already).
     */
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(10);

    private static final long POLL_MILLIS = 50;

    /** Every socket of the MiniCluster listens on this address only. */
    private static final String LOOPBACK = "127.0.0.1";

    /** Longest wait for the job's status when {@code /health} asks for it. */
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    private final MiniCluster cluster;
    private final JobID job;
    private final Path stateDir;
    private final Path restoredFrom;

    /** The savepoint {@link #close()} wrote, once it has. */
    private volatile Path savedTo;

    private LocalFlinkJob(MiniCluster cluster, JobID job, Path stateDir, Path restoredFrom) {
        this.cluster = cluster;
        this.job = job;
        this.stateDir = stateDir;
        this.restoredFrom = restoredFrom;
    }

    /**
     * Starts the job, restored from the newest snapshot under {@code stateDir} if there is one that
     * can be restored. A restored job is running when this returns (that is how a snapshot that
     * cannot be restored is noticed); a fresh one has been submitted.
     *
     * @param stateDir where checkpoints and savepoints are kept; created if missing
     * @param history the history sink, or {@code null}
     * @param live the live layer sink, or {@code null}
     */
    static LocalFlinkJob start(
            JobConfig config, Path stateDir, Sink<ZoneAggregate> history, Sink<ZoneAggregate> live)
            throws Exception {
        return start(config, stateDir, DEFAULT_CHANGELOG, history, live);
    }

    /**
     * As {@link #start(JobConfig, Path, Sink, Sink)}, with or without the changelog. A snapshot
     * written either way restores either way: switching it is a restart, not a loss of state.
     *
     * @param changelog whether checkpoints write only the state's changes (Flink's changelog state
     *     backend) rather than a full snapshot of the heap state each time
     */
    static LocalFlinkJob start(
            JobConfig config,
            Path stateDir,
            boolean changelog,
            Sink<ZoneAggregate> history,
            Sink<ZoneAggregate> live)
            throws Exception {
        return start(config, stateDir, changelog, MATERIALIZATION_INTERVAL, history, live);
    }

    /**
     * As {@link #start(JobConfig, Path, boolean, Sink, Sink)} with another materialization
     * interval: for tests that need a materialization within seconds, or none at all.
     */
    static LocalFlinkJob start(
            JobConfig config,
            Path stateDir,
            boolean changelog,
            Duration materialization,
            Sink<ZoneAggregate> history,
            Sink<ZoneAggregate> live)
            throws Exception {
        Path dir = stateDir.toAbsolutePath();
        Files.createDirectories(dir.resolve(CHECKPOINTS));
        Files.createDirectories(dir.resolve(SAVEPOINTS));
        Configuration conf = configuration(dir, changelog, materialization);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(PARALLELISM)
                                .build());
        cluster.start();
        try {
            Path snapshot = StateDirectory.newestSnapshot(dir).orElse(null);
            // Read before the start: once the job has claimed the snapshot, Flink may delete it.
            Optional<Set<Path>> needed =
                    snapshot == null
                            ? Optional.empty()
                            : StateDirectory.referencedFilesOrEmpty(snapshot);
            JobID job = null;
            if (snapshot != null) {
                job = submit(cluster, conf, config, history, live, snapshot);
                String problem = awaitRunning(cluster, job);
                if (problem == null) {
                    LOG.info("Aggregation state restored from {}", snapshot);
                } else {
                    LOG.warn(
                            "Cannot restore the aggregation state from {} ({}); starting with"
                                    + " empty windows",
                            snapshot,
                            problem);
                    stop(cluster, job);
                    job = null;
                    snapshot = null;
                }
            }
            if (job == null) {
                // Nothing to check: the sinks open their stores while the platform goes on.
                job = submit(cluster, conf, config, history, live, null);
            }
            // After the start: a snapshot that failed to restore is deleted too.
            StateDirectory.deleteUnneeded(dir, snapshot, needed, job);
            return new LocalFlinkJob(cluster, job, dir, snapshot);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The job as {@code /health} reports it: up only while it is RUNNING; a job failing over,
     * cancelled (by whatever means) or finished is down with its status.
     */
    Health.Dependency health() {
        String name = "flink-job";
        try {
            JobStatus status =
                    cluster.getJobStatus(job).get(STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Health.Dependency.of(name, status == JobStatus.RUNNING, "job is " + status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.Dependency.down(name, "interrupted");
        } catch (TimeoutException e) {
            return Health.Dependency.down(
                    name, "no status within " + STATUS_TIMEOUT.toSeconds() + " s");
        } catch (Exception e) {
            return Health.Dependency.down(name, "no status: " + CommandLine.messageOf(e));
        }
    }

    /** The MiniCluster: for fault-injection tests (a TaskManager's crash). */
    MiniCluster cluster() {
        return cluster;
    }

    /** The running job's id. */
    JobID jobId() {
        return job;
    }

    /** Where the running job was restored from, if it was. */
    Optional<Path> restoredFrom() {
        return Optional.ofNullable(restoredFrom);
    }

    /** The savepoint the stop wrote, if {@link #close()} wrote one. */
    Optional<Path> savedTo() {
        return Optional.ofNullable(savedTo);
    }

    /**
     * Stops the job with a savepoint in the state directory (every reading read so far, sinks
     * flushed), or, if that fails, cancels it, leaving its last checkpoint; then stops the cluster.
     *
     * <p>Call it before the JVM shuts down, not from a shutdown hook: Flink's own hooks stop parts
     * of the MiniCluster at the same time, and with the changelog the savepoint then never
     * completes ({@link org.smartcity.core.config.StopSignals} has the details).
     */
    @Override
    public void close() throws Exception {
        try {
            // Bounded: a shutdown must not hang on a cluster too busy to answer (suspected when
            // SmartCityDemoIT's demo once did not stop under load); no answer counts as not
            // running.
            JobStatus status =
                    cluster.getJobStatus(job)
                            .completeOnTimeout(
                                    null, STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .get();
            if (status != JobStatus.RUNNING) {
                // Failing over (Kafka gone, say): a savepoint would only time out.
                LOG.warn(
                        "The aggregation job is {}, not running: stopping it without a savepoint;"
                                + " the next start resumes from its last checkpoint",
                        status == null ? "not answering" : status);
                stop(cluster, job);
                return;
            }
            // Cancel with a savepoint rather than stop with one: a stop whose savepoint never
            // completes (Kafka gone) leaves the tasks waiting for it, and then they cancel slowly.
            String savepoint =
                    cluster.triggerSavepoint(
                                    job,
                                    stateDir.resolve(SAVEPOINTS).toUri().toString(),
                                    true,
                                    SavepointFormatType.CANONICAL)
                            .get(SAVEPOINT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            savedTo = Path.of(URI.create(savepoint));
            LOG.info("Aggregation state saved to {}", savedTo);
            stop(cluster, job);
        } catch (Exception e) {
            LOG.warn(
                    "Could not stop the aggregation job with a savepoint ({}); the next start"
                            + " resumes from its last checkpoint",
                    e instanceof TimeoutException
                            ? "none within " + SAVEPOINT_TIMEOUT.toSeconds() + " s"
                            : CommandLine.messageOf(e));
            stop(cluster, job);
        } finally {
            try {
                cluster.closeAsync().get(CANCEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn(
                        "Flink did not stop within {} s; leaving it to the JVM's exit",
                        CANCEL_TIMEOUT.toSeconds());
            }
        }
    }

    private static Configuration configuration(
            Path stateDir, boolean changelog, Duration materialization) {
        Configuration conf = stateConfiguration(stateDir, changelog, materialization);
        // The job keeps its state on the heap; Flink's managed memory (for RocksDB and batch
        // operators) would only reserve memory the demo never uses.
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(16));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(32));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(32));
        // The MiniCluster always serves Flink's REST API, which can cancel the job and write
        // savepoints anywhere without authentication: loopback only, any free port (never a
        // clash). The platform does not use it; someone on this machine may, to look at the job.
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        conf.set(RestOptions.ADDRESS, LOOPBACK);
        conf.set(WebOptions.CANCEL_ENABLE, false);
        // Whatever else Flink listens on (the BlobServer, RPC and the TaskManager's data port
        // when they are remote): loopback too. The wildcard address is Flink's default.
        conf.set(JobManagerOptions.ADDRESS, LOOPBACK);
        conf.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(TaskManagerOptions.HOST, LOOPBACK);
        conf.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        return conf;
    }

    /**
     * Where and how the demo's job keeps its state: the heap backend, checkpoints and savepoints
     * under {@code stateDir} (the newest checkpoint retained on cancellation), and with {@code
     * changelog} Flink's changelog state backend writing its changes to {@code stateDir/changelog}
     * and materializing every {@link #MATERIALIZATION_INTERVAL}. Public for the benchmarks, which
     * must measure what the demo runs.
     */
    public static Configuration stateConfiguration(Path stateDir, boolean changelog) {
        return stateConfiguration(stateDir, changelog, MATERIALIZATION_INTERVAL);
    }

    private static Configuration stateConfiguration(
            Path stateDir, boolean changelog, Duration materialization) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                stateDir.resolve(CHECKPOINTS).toUri().toString());
        conf.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                stateDir.resolve(SAVEPOINTS).toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // A checkpoint then writes only what changed since the last one (tens of KiB at 20,000
        // readings/s, against 35-100 MB of full heap snapshots), so the exactly-once alerts, which
        // a read_committed reader sees when the checkpoint after them completes, wait less.
        conf.set(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG, changelog);
        if (changelog) {
            conf.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, "filesystem");
            conf.set(
                    FsStateChangelogOptions.BASE_PATH,
                    stateDir.resolve(CHANGELOG).toUri().toString());
            conf.set(StateChangelogOptions.PERIODIC_MATERIALIZATION_INTERVAL, materialization);
        }
        return conf;
    }

    private static JobID submit(
            MiniCluster cluster,
            Configuration conf,
            JobConfig config,
            Sink<ZoneAggregate> history,
            Sink<ZoneAggregate> live,
            Path snapshot)
            throws Exception {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        CityAggregationJob.build(env, config, history, live);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("city-aggregation");
        if (snapshot != null) {
            // Non-restored state allowed: an operator the job no longer has (a sink switched off)
            // must not keep the windows from coming back.
            graph.setSavepointRestoreSettings(
                    SavepointRestoreSettings.forPath(
                            snapshot.toUri().toString(), true, RecoveryClaimMode.CLAIM));
        }
        return cluster.submitJob(graph).get().getJobID();
    }

    /**
     * Waits until every task of {@code job} runs (state restored); returns why it did not, or
     * {@code null} when it does.
     */
    private static String awaitRunning(MiniCluster cluster, JobID job) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(job).get();
            ErrorInfo failure = graph.getFailureInfo();
            if (failure != null) {
                return rootMessage(failure.getException());
            }
            if (graph.getState().isGloballyTerminalState()) {
                return "the job ended as " + graph.getState();
            }
            if (graph.getState() == JobStatus.RUNNING && allTasksRunning(graph)) {
                return null;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        throw new IllegalStateException(
                "The aggregation job did not start within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static boolean allTasksRunning(AccessExecutionGraph graph) {
        boolean any = false;
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            if (v.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** The innermost cause, as "Type: message" (Flink's failure info holds a copy of it). */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String type =
                root instanceof SerializedThrowable s
                        ? s.getOriginalErrorClassName()
                        : root.getClass().getName();
        String message = root.getMessage();
        if (message == null) {
            return type;
        }
        // A SerializedThrowable's message may already start with the original type.
        return message.startsWith(type)
                ? message.substring(type.lastIndexOf('.') + 1)
                : type.substring(type.lastIndexOf('.') + 1) + ": " + message;
    }

    /** Cancels a job that is not done and waits until it is. */
    private static void stop(MiniCluster cluster, JobID job) {
        try {
            if (!cluster.getJobStatus(job)
                    .get(CANCEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .isGloballyTerminalState()) {
                cluster.cancelJob(job).get(CANCEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            cluster.requestJobResult(job).get(CANCEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.warn(
                    "The aggregation job did not stop within {} s of its cancellation",
                    CANCEL_TIMEOUT.toSeconds());
        } catch (Exception e) {
            LOG.warn("Cancelling the aggregation job failed: {}", CommandLine.messageOf(e));
        }
    }
}
