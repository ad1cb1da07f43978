package org.smartcity.core.http;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether Kafka answers, for {@code /health}: a cluster description asked every {@code interval} by
 * an Admin client of its own, in the background ({@link HealthProbe}), so that a service that is
 * idle still notices an outage (a producer or consumer finds out only when it has something to do)
 * and a request to {@code /health} costs nothing. The bridge and the dashboard use it; their
 * modules bring {@code kafka-clients}, which is optional here.
 */
public final class KafkaHealth {
    /** The dependency's name in {@code /health}. */
    public static final String NAME = "kafka";

    private KafkaHealth() {}

    /**
     * Starts probing now, then every {@code interval}; closing the probe closes its Admin client.
     *
     * @param clientProperties at least {@code bootstrap.servers}, and whatever security settings
     *     the service's other Kafka clients use
     * @param timeout how long one probe may take before Kafka counts as down
     */
    public static HealthProbe probe(
            Properties clientProperties, Duration interval, Duration timeout) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        int millis = (int) timeout.toMillis();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        // Find a restarted broker soon after it is back, not after the default backoff of 1 s
        // doubling to a minute.
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "smartcity-health");
        Admin admin = Admin.create(p);
        return HealthProbe.start(
                NAME,
                interval,
                timeout,
                () ->
                        admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                                .nodes()
                                .get(millis + 500L, TimeUnit.MILLISECONDS),
                () -> admin.close(Duration.ofSeconds(2)));
    }
}
