package org.smartcity.core.config;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import sun.misc.Signal;

/**
 * How every long-running process of the platform stops: the demo, the bridge and the dashboard
 * (through {@link CommandLine#serve}). Waits for the process to be told to stop (Ctrl-C: SIGINT;
 * {@code kill} or a service manager: SIGTERM; a closed terminal: SIGHUP) and then stops it in the
 * waiting thread, the main thread, before the JVM begins to shut down; the JVM then exits with the
 * status a shell expects after that signal (128 + its number).
 *
 * <p>Why not in a JVM shutdown hook, as the bridge and the dashboard once stopped: the JVM starts
 * every shutdown hook at once, so a stop in a hook races every library's own hooks. In the demo the
 * Flink MiniCluster registers hooks that close parts of its TaskManager while the job still runs.
 * One of them ({@code TaskExecutorStateChangelogStoragesManager}) closes the changelog's upload
 * scheduler; from then on a checkpoint's upload of state changes never completes, the task's only
 * asynchronous-snapshot thread waits for it for ever, and the stop's savepoint, queued behind it on
 * that thread, never completes either: with the changelog on, every Ctrl-C fell back to the last
 * checkpoint (thread dumps: six {@code AsyncOperations} threads in {@code
 * ChangelogKeyedStateBackend} joining the upload). Handling the signal instead keeps the JVM whole
 * until the process has stopped.
 *
 * <p>{@code sun.misc.Signal} is the JDK's only way to handle a signal; it lives in the {@code
 * jdk.unsupported} module, which JEP 260 keeps open for exactly such uses (javac still warns). A
 * shutdown hook remains the fallback: should the JVM shut down by other means ({@link System#exit}
 * in another thread; under {@code -Xrs}, where the JVM leaves these signals to the OS and they
 * cannot be handled here, an exit by whoever embeds it), the stop runs there, as before. A signal
 * the process inherited as ignored (a shell's background job ignores SIGINT) stays ignored, as it
 * does for the JVM's own handling.
 */
public final class StopSignals {

    /** The signals that ask a process to stop. */
    public static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    private StopSignals() {}

    /**
     * Blocks until one of {@link #SIGNALS} arrives, runs {@code stop} in the calling thread, and
     * returns the exit status for that signal (128 + its number), for the caller to exit with.
     * Further signals while {@code stop} runs are ignored, as they were while a shutdown hook ran.
     * Should the JVM shut down first (another thread exits it, or a signal could not be handled),
     * {@code stop} runs in the shutdown hook {@code <name>-shutdown} instead, once, and this method
     * does not return. An exception from {@code stop} in the calling thread is thrown on.
     */
    public static int awaitThenStop(String name, Runnable stop) throws InterruptedException {
        CompletableFuture<Signal> received = new CompletableFuture<>();
        for (String signal : SIGNALS) {
            try {
                Signal.handle(new Signal(signal), received::complete);
            } catch (IllegalArgumentException e) {
                // Unknown on this system, or left to the OS (-Xrs): the hook below covers an exit.
            }
        }
        FutureTask<Void> stopOnce = new FutureTask<>(stop, null);
        Thread hook =
                new Thread(
                        () -> {
                            // Returns at once if the signal's stop already runs: wait for it.
                            stopOnce.run();
                            awaitQuietly(stopOnce);
                        },
                        name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Signal signal;
        try {
            signal = received.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
        stopOnce.run();
        try {
            stopOnce.get();
        } catch (ExecutionException e) {
            // A Runnable throws only unchecked exceptions: the caller reports it.
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e.getCause();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook finds the stop done.
            }
        }
        return 128 + signal.getNumber();
    }

    private static void awaitQuietly(FutureTask<Void> task) {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Reported by the signal's waiter, if there is one; the JVM exits either way.
        }
    }
}
