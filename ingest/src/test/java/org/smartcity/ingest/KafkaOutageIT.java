package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.core.http.Health;

/**
 * Kafka stops while devices keep publishing: the bridge reports Kafka DOWN on {@code /health},
 * stops acknowledging, the MQTT broker holds the readings, and once Kafka is back the bridge is UP
 * again by itself and every reading arrives exactly once.
 */
class KafkaOutageIT {
    private static final int READINGS = 6_000;

    @RegisterExtension static final Brokers brokers = new Brokers();

    @Test
    void nothingIsLostOrDuplicatedWhileKafkaIsDown() throws Exception {
        SensorFleet fleet = new SensorFleet("outage-", 40);
        String bootstrap = brokers.kafka.bootstrapServers();
        try (IngestService bridge =
                        IngestService.start(
                                brokers.bridgeConfig(
                                        "bridge-outage", "--kafka-health-interval", "1s"));
                MqttTestPublisher publisher =
                        new MqttTestPublisher(brokers.mqtt.serverUri(), "outage-devices")) {
            await().until(bridge::isHealthy);
            fleet.publish(publisher, 0, 2_000);
            fleet.awaitReadings(bootstrap, 2_000, Duration.ofMinutes(1));

            brokers.kafka.kill();
            // Honest health, readings flowing or not: DOWN naming Kafka.
            await().atMost(Duration.ofSeconds(20)).until(() -> !bridge.isHealthy());
            assertThat(bridge.health().down())
                    .extracting(Health.Dependency::name)
                    .containsExactly("kafka");
            fleet.publish(publisher, 2_000, READINGS);
            publisher.awaitAcknowledged();
            assertThat(bridge.isHealthy()).isFalse();

            brokers.kafka.restart();
            await().atMost(Duration.ofMinutes(1)).until(bridge::isHealthy);
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
