package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka stops while devices keep publishing: the bridge stops acknowledging, the MQTT broker holds
 * the readings, and once Kafka is back every reading arrives exactly once.
 */
class KafkaOutageIT {
    private static final int READINGS = 6_000;

    @RegisterExtension static final Brokers brokers = new Brokers();

    @Test
    void nothingIsLostOrDuplicatedWhileKafkaIsDown() throws Exception {
        SensorFleet fleet = new SensorFleet("outage-", 40);
        String bootstrap = brokers.kafka.bootstrapServers();
        try (IngestService bridge = IngestService.start(brokers.bridgeConfig("bridge-outage"));
                MqttTestPublisher publisher =
                        new MqttTestPublisher(brokers.mqtt.serverUri(), "outage-devices")) {
            org.awaitility.Awaitility.await().until(bridge::isHealthy);
            fleet.publish(publisher, 0, 2_000);
            fleet.awaitReadings(bootstrap, 2_000, Duration.ofMinutes(1));

            brokers.kafka.kill();
            fleet.publish(publisher, 2_000, READINGS);
            publisher.awaitAcknowledged();
            assertThat(bridge.isHealthy()).isTrue();

            brokers.kafka.restart();
            fleet.awaitReadings(bootstrap, READINGS, Duration.ofMinutes(3));

            assertThat(fleet.deliveries(bootstrap)).isEqualTo(fleet.expectedDeliveries(READINGS));
        }
    }

    @Test
    void aBridgeStartedWhileKafkaIsDownWaitsForIt() throws Exception {
        SensorFleet fleet = new SensorFleet("late-kafka-", 4);
        brokers.kafka.stop();
        CompletableFuture<IngestService> starting =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return IngestService.start(brokers.bridgeConfig("bridge-waiting"));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        brokers.kafka.restart();
        try (IngestService bridge = starting.get(2, TimeUnit.MINUTES);
                MqttTestPublisher publisher =
                        new MqttTestPublisher(brokers.mqtt.serverUri(), "late-kafka-devices")) {
            bridge.awaitSubscribed(Duration.ofMinutes(1));
            fleet.publish(publisher, 0, 100);
            publisher.awaitAcknowledged();
            fleet.awaitReadings(brokers.kafka.bootstrapServers(), 100, Duration.ofMinutes(1));
            assertThat(fleet.deliveries(brokers.kafka.bootstrapServers()))
                    .isEqualTo(fleet.expectedDeliveries(100));
        }
    }
}
