package org.smartcity.ingest;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.smartcity.core.http.Health;

/**
 * Asks Kafka every few seconds whether it answers, on its own thread, so that {@code /health} is
 * honest while no reading flows (the producer only finds out when it has something to send) and
 * costs nothing per message.
 */
final class KafkaHealthProbe implements AutoCloseable {
    static final String NAME = "kafka";

    private final Admin admin;
    private final String bootstrap;
    private final Duration timeout;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "ingest-kafka-health");
                        t.setDaemon(true);
                        return t;
                    });
    private volatile Health.Dependency state;

    /**
     * Starts probing at once, then every {@code interval}.
     *
     * @param adminProperties Admin client settings, from {@link IngestConfig#adminProperties()}
     */
    KafkaHealthProbe(Properties adminProperties, String bootstrap, Duration interval) {
        this.bootstrap = bootstrap;
        // An answer slower than the interval is as bad as none for a readiness probe.
        this.timeout =
                interval.compareTo(Duration.ofSeconds(3)) < 0 ? interval : Duration.ofSeconds(3);
        Properties p = new Properties();
        p.putAll(adminProperties);
        p.put("request.timeout.ms", (int) timeout.toMillis());
        p.put("default.api.timeout.ms", (int) timeout.toMillis());
        p.put("reconnect.backoff.max.ms", 1_000);
        this.admin = Admin.create(p);
        this.state = Health.Dependency.down(NAME, "not checked yet: " + bootstrap);
        timer.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The state found by the last probe. */
    Health.Dependency state() {
        return state;
    }

    private void probe() {
        try {
            int brokers =
                    admin.describeCluster(
                                    new DescribeClusterOptions()
                                            .timeoutMs((int) timeout.toMillis()))
                            .nodes()
                            .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)
                            .size();
            state = Health.Dependency.up(NAME, brokers + " broker(s) answering");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            state =
                    Health.Dependency.down(
                            NAME,
                            "Kafka at "
                                    + bootstrap
                                    + " did not answer within "
                                    + timeout.toMillis()
                                    + " ms");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
