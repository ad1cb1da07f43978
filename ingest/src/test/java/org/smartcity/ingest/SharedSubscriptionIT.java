package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBroker;

/**
 * Two bridges in one share group split the stream and together deliver it exactly once.
 *
 * <p>Runs against Mosquitto, which hands shared-subscription messages out round-robin. HiveMQ CE
 * (the embedded demo broker) also delivers every message exactly once to the group, but gives them
 * to whichever member is free first, so a split between two idle bridges is not something a test
 * can expect from it.
 */
class SharedSubscriptionIT {
    private static final int READINGS = 4_000;

    @TempDir Path dir;

    @Test
    void twoInstancesShareTheLoadAndDeliverEverythingOnce() throws Exception {
        SensorFleet fleet = new SensorFleet("shared-", 20);
        try (Mosquitto mosquitto = Mosquitto.start(dir);
                KafkaBroker kafka = KafkaBroker.start(0, dir.resolve("kafka"));
                IngestService a = startHealthy(mosquitto, kafka, "bridge-a");
                IngestService b = startHealthy(mosquitto, kafka, "bridge-b");
                MqttTestPublisher publisher =
                        new MqttTestPublisher(mosquitto.serverUri(), "shared-devices")) {
            fleet.publish(publisher, 0, READINGS);
            publisher.awaitAcknowledged();
            fleet.awaitReadings(kafka.bootstrapServers(), READINGS, Duration.ofMinutes(2));

            assertThat(fleet.deliveries(kafka.bootstrapServers()))
                    .isEqualTo(fleet.expectedDeliveries(READINGS));
            double receivedByA = received(a);
            double receivedByB = received(b);
            assertThat(receivedByA).isPositive();
            assertThat(receivedByB).isPositive();
            assertThat(receivedByA + receivedByB).isEqualTo(READINGS);
        }
    }

    private static IngestService startHealthy(Mosquitto mqtt, KafkaBroker kafka, String clientId)
            throws Exception {
        IngestService service =
                IngestService.start(
                        Brokers.bridgeBetween(
                                mqtt.serverUri(), kafka.bootstrapServers(), clientId));
        await().atMost(Duration.ofSeconds(60)).until(service::isHealthy);
        return service;
    }

    private static double received(IngestService service) {
        return service.registry().get("ingest.messages.received").counter().count();
    }
}
