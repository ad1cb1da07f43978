package org.smartcity.core;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A process a test or benchmark starts beside itself (a JVM on this JVM's class path, or a broker
 * binary), its output in a log file: so that it can be killed as a crash or the OOM killer would,
 * SIGKILL with no shutdown hook, or stopped as an operator would, SIGTERM. The crash tests' bridge
 * and job JVMs and the benchmarks' external brokers share it.
 */
public final class ChildProcess implements AutoCloseable {
    /** How long {@link #close} lets the process stop on SIGTERM before it kills it. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * The command that runs {@code mainClass} in a JVM of its own, with this JVM's {@code java} and
     * class path.
     *
     * @param jvmOptions heap size and other options, before the class path
     */
    public static List<String> java(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Starts {@code command}, its standard output and error into {@code log}. */
    public static ChildProcess start(List<String> command, Path log) {
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            return new ChildProcess(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits at most {@code atMost} until {@code ready} holds; returns this.
     *
     * @param what the process, for the failure's message
     * @throws IllegalStateException with the log, if the process exits first or is not ready in
     *     time; it is then killed
     */
    public ChildProcess awaitReady(String what, Duration atMost, Callable<Boolean> ready)
            throws InterruptedException {
        try {
            await(what + " ready").atMost(atMost).until(() -> !isAlive() || ready.call());
        } catch (ConditionTimeoutException e) {
            kill();
            throw new IllegalStateException(what + " not ready within " + atMost + ":\n" + log());
        }
        if (!isAlive()) {
            throw new IllegalStateException(
                    what + " exited with status " + process.exitValue() + ":\n" + log());
        }
        return this;
    }

    /** Everything the process has written so far; empty before its first line. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * SIGKILL: no shutdown hook, no clean disconnect, files half-written; waits until it is gone.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, and SIGKILL if the process has not stopped after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }
}
