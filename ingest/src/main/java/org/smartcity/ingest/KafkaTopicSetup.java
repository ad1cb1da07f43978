package org.smartcity.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the bridge writes to when they are missing, with the broker's default
 * replication factor (so the same code suits a one-node demo and a replicated cluster). While Kafka
 * is unreachable it keeps trying: a bridge started before its broker waits for it.
 */
final class KafkaTopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicSetup.class);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private KafkaTopicSetup() {}

    static void ensureTopics(Properties adminProperties, List<String> topics, int partitions)
            throws InterruptedException {
        Properties props = new Properties();
        props.putAll(adminProperties);
        props.put(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT.toMillis());
        props.put(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT.toMillis() / 2);
        long backoffMillis = 500;
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    for (String name : topics) {
                        create(admin, name, partitions);
                    }
                    return;
                } catch (RetriableException e) {
                    LOG.warn(
                            "Kafka at {} not reachable ({}); retrying in {} ms",
                            props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG),
                            e.getMessage(),
                            backoffMillis);
                }
                TimeUnit.MILLISECONDS.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    private static void create(Admin admin, String name, int partitions)
            throws InterruptedException {
        try {
            admin.createTopics(
                            List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return;
            }
            if (e.getCause() instanceof RetriableException retriable) {
                throw retriable;
            }
            throw new IllegalStateException(
                    "Cannot create Kafka topic " + name + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
