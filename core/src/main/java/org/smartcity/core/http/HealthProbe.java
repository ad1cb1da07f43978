package org.smartcity.core.http;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A dependency checked in the background, so that {@code /health} answers from the last result and
 * costs nothing per request: a check (a Kafka metadata request, a store listing) runs every {@code
 * interval} on its own daemon thread.
 *
 * <p>The dependency is UP while the last check succeeded and is recent. It is DOWN with the check's
 * error before the first check has finished, after a failed check, and when a check has been
 * running for longer than {@code timeout} (a store that hangs instead of failing), saying for how
 * long.
 */
public final class HealthProbe implements AutoCloseable {
    /** One check: returns normally when the dependency answered, throws otherwise. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private final String name;
    private final Duration timeout;
    private final Check check;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService executor;
    private final AutoCloseable resource;

    private final Object lock = new Object();
    private long lastSuccessNanos;
    private boolean everSucceeded;
    private String lastFailure = "first check not finished yet";
    private long checkStartedNanos = -1;

    private HealthProbe(
            String name,
            Duration timeout,
            Check check,
            LongSupplier nanos,
            AutoCloseable resource) {
        this.name = Objects.requireNonNull(name);
        this.resource = resource;
        this.timeout = timeout;
        this.check = check;
        this.nanoClock = nanos;
        this.executor =
                Executors.newSingleThreadScheduledExecutor(
                        task -> {
                            Thread t = new Thread(task, "health-probe-" + name);
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * Starts checking now and then every {@code interval}.
     *
     * @param name the dependency's name in {@code /health}
     * @param timeout how long one check may take before the dependency counts as down
     */
    public static HealthProbe start(String name, Duration interval, Duration timeout, Check check) {
        return start(name, interval, timeout, check, null);
    }

    /**
     * As {@link #start(String, Duration, Duration, Check)}, closing {@code resource} (the client
     * the check uses) when the probe is closed.
     */
    public static HealthProbe start(
            String name, Duration interval, Duration timeout, Check check, AutoCloseable resource) {
        HealthProbe p = new HealthProbe(name, timeout, check, System::nanoTime, resource);
        p.executor.scheduleWithFixedDelay(
                p::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return p;
    }

    /** A probe that only checks when {@link #runOnce} is called: for tests. */
    static HealthProbe manual(String name, Duration timeout, Check check, LongSupplier nanos) {
        return new HealthProbe(name, timeout, check, nanos, null);
    }

    /** Runs one check and records its outcome. */
    void runOnce() {
        synchronized (lock) {
            checkStartedNanos = nanoClock.getAsLong();
        }
        String failure = null;
        try {
            check.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "check interrupted";
        } catch (Exception e) {
            failure = describe(e);
        } catch (Error e) {
            failure = describe(e);
            throw e;
        } finally {
            synchronized (lock) {
                checkStartedNanos = -1;
                if (failure == null) {
                    everSucceeded = true;
                    lastSuccessNanos = nanoClock.getAsLong();
                    lastFailure = null;
                } else {
                    lastFailure = failure;
                }
            }
        }
    }

    /** The dependency as {@code /health} reports it now. */
    public Health.Dependency dependency() {
        synchronized (lock) {
            long now = nanoClock.getAsLong();
            if (checkStartedNanos >= 0 && now - checkStartedNanos > timeout.toNanos()) {
                return Health.Dependency.down(
                        name,
                        "no answer for "
                                + seconds(now - checkStartedNanos)
                                + " s"
                                + (lastFailure == null ? "" : " (before: " + lastFailure + ")"));
            }
            if (lastFailure != null) {
                return Health.Dependency.down(
                        name,
                        lastFailure
                                + (everSucceeded
                                        ? "; last answered "
                                                + seconds(now - lastSuccessNanos)
                                                + " s ago"
                                        : ""));
            }
            return Health.Dependency.up(name);
        }
    }

    /** Whether the last check succeeded and none is overdue. */
    public boolean up() {
        return dependency().up();
    }

    private static long seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos);
    }

    /**
     * The message of the innermost cause, which names the real problem (not "ExecutionException").
     */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                // Closing a client of a dependency that is gone may fail; nothing to do about it.
            }
        }
    }
}
