package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.core.ChildProcess;

/**
 * A bridge killed with SIGKILL in the middle of a stream loses nothing and duplicates nothing: the
 * broker keeps what was not acknowledged, and the next instance finds in Kafka what the dead one
 * had written but not acknowledged.
 */
class BridgeCrashIT {
    private static final int READINGS = 10_000;

    @RegisterExtension static final Brokers brokers = new Brokers();

    @Test
    void everyReadingReachesKafkaExactlyOnceAcrossAKilledBridge() throws Exception {
        SensorFleet fleet = new SensorFleet("crash-", 50);
        String bootstrap = brokers.kafka.bootstrapServers();
        ChildProcess first =
                BridgeProcess.start(brokers, "bridge-crash", brokers.dir().resolve("first.log"));
        try (MqttTestPublisher publisher =
                new MqttTestPublisher(brokers.mqtt.serverUri(), "crash-devices")) {
            CompletableFuture<Void> publishing =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    fleet.publish(publisher, 0, READINGS);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });

            fleet.awaitReadings(bootstrap, 3_000, Duration.ofMinutes(2));
            first.kill();
            int beforeRestart = fleet.readingsInKafka(bootstrap).size();
            assertThat(beforeRestart).isLessThan(READINGS);

            try (ChildProcess second =
                    BridgeProcess.start(
                            brokers, "bridge-crash", brokers.dir().resolve("second.log"))) {
                publishing.get();
                publisher.awaitAcknowledged();
                fleet.awaitReadings(bootstrap, READINGS, Duration.ofMinutes(3));

                assertThat(fleet.deliveries(bootstrap))
                        .isEqualTo(fleet.expectedDeliveries(READINGS));
            }
        }
    }
}
