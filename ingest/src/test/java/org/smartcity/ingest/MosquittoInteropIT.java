package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;

/**
 * Interoperability with the broker most cities already run: readings published with {@code
 * mosquitto_pub} through a real Mosquitto reach Kafka.
 */
@EnabledIf(value = "org.smartcity.ingest.Mosquitto#installed", disabledReason = Mosquitto.MISSING)
class MosquittoInteropIT {
    private static final int READINGS = 25;

    /** Shared with the other Mosquitto ITs: none of them stops it, each reads only its fleet. */
    @RegisterExtension static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

    @TempDir Path dir;

    @Test
    void readingsPublishedWithMosquittoPubReachKafka() throws Exception {
        Mosquitto.assumeInstalled("mosquitto", "mosquitto_pub");
        SensorFleet fleet = new SensorFleet("mosq-", 5);
        try (Mosquitto mosquitto = Mosquitto.start(dir);
                IngestService bridge =
                        IngestService.start(
                                Brokers.bridgeBetween(
                                        mosquitto.serverUri(),
                                        KAFKA.bootstrapServers(),
                                        "bridge-mosquitto"))) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(bridge::isHealthy);
            for (int i = 0; i < READINGS; i++) {
                String id = fleet.sensorId(i);
                String payload =
                        new String(
                                TestPayloads.pm25(id, Instant.now(), 10 + i, i / 5),
                                StandardCharsets.UTF_8);
                Process pub =
                        new ProcessBuilder(
                                        List.of(
                                                Mosquitto.executable("mosquitto_pub").toString(),
                                                "-V",
                                                "mqttv5",
                                                "-h",
                                                "127.0.0.1",
                                                "-p",
                                                Integer.toString(mosquitto.port()),
                                                "-q",
                                                "1",
                                                "-t",
                                                TestPayloads.topic("pm25", id),
                                                "-m",
                                                payload))
                                .redirectErrorStream(true)
                                .start();
                assertThat(pub.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(pub.exitValue()).as("mosquitto_pub exit code").isZero();
            }
            fleet.awaitReadings(KAFKA.bootstrapServers(), READINGS, Duration.ofMinutes(1));
            assertThat(fleet.deliveries(KAFKA.bootstrapServers()))
                    .isEqualTo(fleet.expectedDeliveries(READINGS));
        }
    }
}
