package org.smartcity.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.smartcity.core.ChildProcess;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;

/**
 * The demo's job ({@link LocalFlinkJob}, with the history sink) in a JVM of its own, so that a test
 * can kill it as a crash or the OOM killer would: SIGKILL, no savepoint, no cancellation, files
 * half-written.
 */
final class FlinkJobProcess implements AutoCloseable {
    private static final String STARTED = "STARTED restored-from=";

    private final ChildProcess process;

    private FlinkJobProcess(ChildProcess process) {
        this.process = process;
    }

    /**
     * Starts the job on {@code stateDir} and waits until it runs (a restored job) or is submitted.
     *
     * @param materialization the changelog's materialization interval
     * @param jobFlags the job's flags ({@link JobConfig#fromFlags})
     */
    static FlinkJobProcess start(
            Path stateDir,
            boolean changelog,
            Duration materialization,
            Path log,
            List<String> jobFlags)
            throws InterruptedException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                stateDir.toString(),
                                Boolean.toString(changelog),
                                materialization.toString()));
        args.addAll(jobFlags);
        ChildProcess job =
                ChildProcess.start(
                        ChildProcess.java(
                                List.of("-Xmx512m"), FlinkJobProcess.class.getName(), args),
                        log);
        job.awaitReady(
                "the job in its own JVM",
                Duration.ofSeconds(90),
                () -> job.log().contains(STARTED));
        return new FlinkJobProcess(job);
    }

    /** The snapshot the job was restored from, if it was. */
    Optional<Path> restoredFrom() {
        String line = log().lines().filter(l -> l.startsWith(STARTED)).findFirst().orElseThrow();
        String path = line.substring(STARTED.length());
        return path.equals("-") ? Optional.empty() : Optional.of(Path.of(path));
    }

    String log() {
        return process.log();
    }

    /** SIGKILL, and waits until the JVM is gone. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** A crash, as {@link #kill}: the tests never stop the job gracefully. */
    @Override
    public void close() throws InterruptedException {
        process.kill();
    }

    /**
     * The child JVM: {@code STATE_DIR CHANGELOG MATERIALIZATION JOB_FLAGS...}; prints {@value
     * #STARTED} and the restored snapshot ({@code -} for none), then runs until killed.
     */
    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        boolean changelog = Boolean.parseBoolean(args[1]);
        Duration materialization = Duration.parse(args[2]);
        JobConfig job = JobConfig.fromFlags(Arrays.copyOfRange(args, 3, args.length));
        LocalFlinkJob flink =
                LocalFlinkJob.start(
                        job,
                        stateDir,
                        changelog,
                        materialization,
                        CityAggregationJob.historySink(job),
                        null);
        System.out.println(STARTED + flink.restoredFrom().map(Path::toString).orElse("-"));
        System.out.flush();
        // Until the test kills this JVM.
        new CountDownLatch(1).await(1, TimeUnit.HOURS);
    }
}
