package org.smartcity.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.brokers.BrokerProcess;
import org.smartcity.core.config.CommandLine;
import org.smartcity.core.http.Health;

/**
 * Restarts the local platform's brokers when they die (a crash, an out-of-memory exit, a {@code
 * kill -9}), on the same port and data directory, so their clients reconnect and resume their
 * sessions without anybody restarting the demo. Each restart is logged as a warning naming the
 * broker, its exit code and the restart number, and {@link #health()} reports it.
 *
 * <p>One thread checks every broker each {@link #CHECK_INTERVAL}; a restart that fails is retried
 * with a growing pause (up to {@link #MAX_BACKOFF}). {@link #close()} stops the thread (an
 * interrupted restart kills the half-started broker) and must come before the brokers are stopped:
 * the supervisor would restart them otherwise.
 */
final class BrokerSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerSupervisor.class);

    static final Duration CHECK_INTERVAL = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final List<Watched> brokers = new ArrayList<>();
    private final Thread thread;

    /** Starts supervising {@code brokers}, which are running. */
    BrokerSupervisor(List<? extends BrokerProcess> brokers) {
        brokers.forEach(b -> this.brokers.add(new Watched(b)));
        thread = new Thread(this::run, "broker-supervisor");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * One dependency per broker for {@code /health}, named {@code kafka-broker} or {@code
     * mqtt-broker}: down while it restarts, else up with its restart count.
     */
    List<Supplier<Health.Dependency>> dependencies() {
        return brokers.stream().map(w -> (Supplier<Health.Dependency>) w::health).toList();
    }

    /** Restarts of {@code broker} that succeeded so far. */
    int restarts(BrokerProcess broker) {
        return brokers.stream().filter(w -> w.broker == broker).findFirst().orElseThrow().restarts;
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(LocalPlatform.COMPONENT_STOP_TIMEOUT.toMillis());
    }

    @Override
    public String toString() {
        return "broker supervisor";
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (Watched w : brokers) {
                    if (!w.broker.isAlive()) {
                        restart(w);
                    }
                }
                TimeUnit.MILLISECONDS.sleep(CHECK_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            // close(): the owner stops the brokers now.
        }
    }

    /** Restarts a dead broker, retrying until it runs; throws when interrupted. */
    private void restart(Watched w) throws InterruptedException {
        String exit =
                w.broker.exitCode().stream().mapToObj(Integer::toString).findFirst().orElse("?");
        w.down = "exited with code " + exit + "; restarting";
        long backoff = CHECK_INTERVAL.toMillis();
        for (int attempt = 1; ; attempt++) {
            LOG.warn(
                    "The {} broker exited with code {}: restarting it (restart {}{}); its log is"
                            + " {}",
                    w.broker.name(),
                    exit,
                    w.restarts + 1,
                    attempt == 1 ? "" : ", attempt " + attempt,
                    w.broker.logFile());
            try {
                w.broker.restart();
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                w.restarts++;
                w.down = null;
                LOG.warn(
                        "The {} broker is back on port {} (restarted {} times)",
                        w.broker.name(),
                        w.broker.port(),
                        w.restarts);
                return;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                w.down = "exited with code " + exit + "; restart failed: " + firstLine(e);
                LOG.error(
                        "Restarting the {} broker failed ({}); trying again in {} s",
                        w.broker.name(),
                        CommandLine.messageOf(e),
                        TimeUnit.MILLISECONDS.toSeconds(backoff));
                TimeUnit.MILLISECONDS.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    private static String firstLine(Exception e) {
        String m = CommandLine.messageOf(e);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** A broker and what the supervisor knows of it; written by the supervisor thread only. */
    private static final class Watched {
        final BrokerProcess broker;
        volatile int restarts;

        /** Why it is down, or null while it runs. */
        volatile String down;

        Watched(BrokerProcess broker) {
            this.broker = broker;
        }

        Health.Dependency health() {
            String name = broker.name() + "-broker";
            String why = down;
            if (why != null) {
                return Health.Dependency.down(name, why);
            }
            if (!broker.isAlive()) {
                return Health.Dependency.down(name, "exited; restarting");
            }
            return Health.Dependency.up(name, "restarted " + restarts + " times");
        }
    }
}
