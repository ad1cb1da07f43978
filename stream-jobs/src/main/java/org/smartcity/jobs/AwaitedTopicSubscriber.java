package org.smartcity.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.flink.connector.kafka.source.enumerator.subscriber.KafkaSubscriber;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readings source's subscription to its one topic, which waits for the topic when it does not
 * exist yet instead of failing.
 *
 * <p>The connector's own topic-list subscriber throws when a topic is missing; that fails the
 * source's split enumerator, so the whole job restarts, finds the topic still missing, and restarts
 * again for as long as the restart strategy allows, a stack trace each time. A job started before
 * the bridge (which creates the readings topic, {@code --kafka-create-topics}: the one home for
 * topic creation, with the partition count) is a normal order of start-up, not a failure. So the
 * enumerator logs one line, "Waiting for topic X on BOOTSTRAP", looks the topic up again every
 * {@link #RETRY} and hands out its partitions, from the earliest offset, once it exists. The wait
 * runs in the enumerator's worker thread, which does nothing else for this source: the job is
 * RUNNING meanwhile, checkpoints complete (with no splits), and a cancel interrupts the wait.
 *
 * <p>Anything else (Kafka unreachable, not authorized) still fails as before.
 */
final class AwaitedTopicSubscriber implements KafkaSubscriber {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AwaitedTopicSubscriber.class);

    /** How often a missing topic is looked up again: one cheap metadata request per second. */
    static final Duration RETRY = Duration.ofSeconds(1);

    private final String topic;
    private final String bootstrap;

    /**
     * @param topic the one topic to read
     * @param bootstrap the cluster, only to name it in the log
     */
    AwaitedTopicSubscriber(String topic, String bootstrap) {
        this.topic = topic;
        this.bootstrap = bootstrap;
    }

    @Override
    public Set<TopicPartition> getSubscribedTopicPartitions(AdminClient admin) {
        boolean waited = false;
        while (true) {
            TopicDescription description = describe(admin);
            if (description != null) {
                if (waited) {
                    LOG.info(
                            "Topic {} on {} exists now, {} partitions: reading it",
                            topic,
                            bootstrap,
                            description.partitions().size());
                }
                return description.partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .collect(Collectors.toSet());
            }
            if (!waited) {
                LOG.warn(
                        "Waiting for topic {} on {}: it does not exist yet (the ingest bridge"
                                + " creates it when it starts)",
                        topic,
                        bootstrap);
                waited = true;
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlinkRuntimeException("Interrupted waiting for topic " + topic, e);
            }
        }
    }

    /** The topic's description; {@code null} when it does not exist. */
    private TopicDescription describe(AdminClient admin) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw new FlinkRuntimeException(
                    "Cannot describe topic " + topic + " on " + bootstrap, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRuntimeException("Interrupted describing topic " + topic, e);
        }
    }
}
