package org.smartcity.deploy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;

/**
 * The demo's job ({@link LocalFlinkJob}, with the history sink) in a JVM of its own, so that a test
 * can kill it as a crash or the OOM killer would: SIGKILL, no savepoint, no cancellation, files
 * half-written.
 */
final class FlinkJobProcess implements AutoCloseable {
    private static final String STARTED = "STARTED restored-from=";

    private final Process process;
    private final Path log;

    private FlinkJobProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
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
            List<String> jobFlags) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FlinkJobProcess.class.getName());
        command.add(stateDir.toString());
        command.add(Boolean.toString(changelog));
        command.add(materialization.toString());
        command.addAll(jobFlags);
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            FlinkJobProcess job = new FlinkJobProcess(p, log);
            await("the job in its own JVM started")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> !p.isAlive() || job.log().contains(STARTED));
            if (!p.isAlive()) {
                throw new IllegalStateException("the job's JVM exited:\n" + job.log());
            }
            return job;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The snapshot the job was restored from, if it was. */
    Optional<Path> restoredFrom() {
        String line = log().lines().filter(l -> l.startsWith(STARTED)).findFirst().orElseThrow();
        String path = line.substring(STARTED.length());
        return path.equals("-") ? Optional.empty() : Optional.of(Path.of(path));
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, and waits until the JVM is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
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
