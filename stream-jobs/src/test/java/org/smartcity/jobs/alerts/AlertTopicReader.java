package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;

/**
 * Reads an alerts topic from its beginning, as the dashboard does ({@code read_committed}) or
 * seeing uncommitted records too, and decodes each record, checking that its key is its alert's id.
 */
final class AlertTopicReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;

    private AlertTopicReader(String bootstrap, String topic, String isolation) {
        consumer =
                new KafkaConsumer<>(
                        Map.of(
                                "bootstrap.servers",
                                bootstrap,
                                "group.id",
                                "check-" + topic + "-" + isolation,
                                "auto.offset.reset",
                                "earliest",
                                "isolation.level",
                                isolation),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Only what the job's transactions committed. */
    static AlertTopicReader committed(String bootstrap, String topic) {
        return new AlertTopicReader(bootstrap, topic, "read_committed");
    }

    /** Everything produced, aborted transactions included. */
    static AlertTopicReader uncommitted(String bootstrap, String topic) {
        return new AlertTopicReader(bootstrap, topic, "read_uncommitted");
    }

    /**
     * The alerts that arrive within one poll of 500 ms; each record's key must be its alert's id.
     */
    List<Alert> poll() {
        List<Alert> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            Alert a = AlertJson.decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.id());
            out.add(a);
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
