package org.smartcity.ingest;

import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.smartcity.core.KafkaTopics;

/**
 * Creates the topics the bridge writes to when they are missing, with the broker's default
 * replication factor (so the same code suits a one-node demo and a replicated cluster).
 */
final class KafkaTopicSetup {
    private KafkaTopicSetup() {}

    static void ensureTopics(Properties adminProperties, int partitions)
            throws InterruptedException {
        try (Admin admin = Admin.create(adminProperties)) {
            for (String name : List.of(KafkaTopics.READINGS, KafkaTopics.REJECTED)) {
                try {
                    admin.createTopics(
                                    List.of(
                                            new NewTopic(
                                                    name,
                                                    Optional.of(partitions),
                                                    Optional.empty())))
                            .all()
                            .get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "Cannot create Kafka topic "
                                        + name
                                        + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
        }
    }
}
