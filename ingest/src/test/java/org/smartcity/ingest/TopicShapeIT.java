package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.core.KafkaTopics;

/**
 * Readings on topics of the wrong shape are dead-lettered as TOPIC_MISMATCH, not dropped by the
 * broker for want of a subscriber (issue 8, defect 8; before the fix the bridge subscribed to
 * {@code city/+/+/+} and they were nowhere). A session left by a bridge of before the change, with
 * its {@code city/+/+/+} subscription, is taken over without delivering anything twice; and since
 * that session makes the bridge look its first messages up in Kafka, the same payload on several
 * wrong topics must still give one dead letter each.
 */
class TopicShapeIT {
    private static final String CLIENT_ID = "bridge-topic-shape";

    @RegisterExtension static final Brokers brokers = new Brokers();

    @Test
    void wrongShapedTopicsAreDeadLetteredAndAnOldSessionDeliversNothingTwice() throws Exception {
        leaveAnOldBridgeSession();
        List<String> wrongTopics =
                List.of(
                        "city",
                        "city/kunming",
                        "city/kunming/pm25",
                        "city/kunming/pm25/ts-extra/level",
                        "city/kunming/pm25/ts-extra/level/more");
        SensorFleet fleet = new SensorFleet("shape-", 4);
        String bootstrap = brokers.kafka.bootstrapServers();

        try (IngestService bridge = IngestService.start(brokers.bridgeConfig(CLIENT_ID));
                MqttTestPublisher publisher =
                        new MqttTestPublisher(brokers.mqtt.serverUri(), "shape-devices")) {
            bridge.awaitSubscribed(Duration.ofMinutes(1));
            byte[] reading = TestPayloads.pm25("ts-extra", Instant.now(), 12, 1);
            for (int i = 0; i < wrongTopics.size(); i++) {
                publisher.publish(wrongTopics.get(i), reading);
                fleet.publish(publisher, i * 40, (i + 1) * 40);
            }
            publisher.awaitAcknowledged();

            fleet.awaitReadings(bootstrap, 200, Duration.ofMinutes(1));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> deadLetters(bootstrap).size() >= wrongTopics.size());
            // Every reading once, although the resumed session had subscribed city/+/+/+ too.
            assertThat(fleet.deliveries(bootstrap)).isEqualTo(fleet.expectedDeliveries(200));
            Map<String, ConsumerRecord<byte[], byte[]>> byTopic =
                    deadLetters(bootstrap).stream()
                            .collect(
                                    Collectors.toMap(
                                            r -> header(r, KafkaTopics.HEADER_MQTT_TOPIC), r -> r));
            assertThat(byTopic).containsOnlyKeys(wrongTopics);
            for (String topic : wrongTopics) {
                ConsumerRecord<byte[], byte[]> dead = byTopic.get(topic);
                assertThat(header(dead, KafkaTopics.HEADER_REASON)).isEqualTo("TOPIC_MISMATCH");
                assertThat(header(dead, KafkaTopics.HEADER_DETAIL))
                        .isEqualTo(
                                "topic '"
                                        + topic
                                        + "' is not of the form city/{city}/{metric}/{sensorId}");
                assertThat(dead.value()).isEqualTo(reading);
            }
        }
    }

    /** A session as a bridge of before the change leaves it when it dies: city/+/+/+ in it. */
    private static void leaveAnOldBridgeSession() throws Exception {
        MqttAsyncClient old =
                new MqttAsyncClient(brokers.mqtt.serverUri(), CLIENT_ID, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(3_600L);
        old.connect(o).waitForCompletion(30_000);
        old.subscribe(new MqttSubscription[] {new MqttSubscription("$share/ingest/city/+/+/+", 1)})
                .waitForCompletion(30_000);
        old.disconnect().waitForCompletion(30_000);
        old.close();
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(String bootstrap) {
        return KafkaTopicReader.readAll(bootstrap, KafkaTopics.REJECTED, r -> true);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
