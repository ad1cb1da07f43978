package org.smartcity.dashboard;

import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.http.Health;

/**
 * Follows the alerts topic into an {@link AlertBook}: from the beginning (the topic is compacted,
 * so that is each alert's newest revision and whatever came after), reading only committed records
 * ({@code read_committed}: the job writes alerts in transactions, exactly once). The following
 * itself is a {@link TopicFollower}'s: without a consumer group, so every dashboard has them all
 * and a restarted one rebuilds its book; a topic that does not exist yet (no alert raised so far)
 * is picked up when it appears; a failing consumer is restarted, resuming where it was.
 */
final class AlertFeed implements AutoCloseable {
    /** The feed's name in {@code /health}. */
    static final String NAME = "alerts-feed";

    private final AlertBook book;
    private final TopicFollower follower;

    AlertFeed(String kafkaBootstrap, String topic, AlertBook book) {
        this.book = book;
        Properties p =
                TopicFollower.consumerProperties(kafkaBootstrap, "smartcity-dashboard-alerts");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.follower =
                new TopicFollower(
                        NAME,
                        "dashboard-alerts-feed",
                        List.of(topic),
                        () -> new KafkaConsumer<>(p),
                        Clock.systemUTC(),
                        (c, partitions) -> c.seekToBeginning(partitions),
                        this::accept);
    }

    void start() {
        follower.start();
    }

    /** Records that were not alerts and were skipped. */
    long skipped() {
        return follower.skipped();
    }

    Health.Dependency dependency() {
        return follower.dependency();
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return; // a tombstone: nothing to show
        }
        book.offer(AlertJson.decode(r.value()));
    }

    @Override
    public void close() {
        follower.close();
    }
}
