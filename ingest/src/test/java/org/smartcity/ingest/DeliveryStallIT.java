package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;

/**
 * A broker that stops delivering to the bridge while connection and subscription stay up is
 * noticed, reported by {@code /health} and left by reconnecting ({@link DeliveryWatchdog}).
 *
 * <p>The stall is made with Debian's Mosquitto, which checks read access per delivered message: the
 * operator's ACL takes read access away and Mosquitto reloads it (SIGHUP), so it silently stops
 * sending anything to the bridge, as the embedded HiveMQ CE did after a crash. When read access is
 * back, readings flow again without anyone restarting the bridge.
 */
@EnabledIf(value = "org.smartcity.ingest.Mosquitto#installed", disabledReason = Mosquitto.MISSING)
class DeliveryStallIT {
    private static final String READ_AND_WRITE = "topic readwrite city/#\n";
    private static final String WRITE_ONLY = "topic write city/#\n";

    /** Shared with the other Mosquitto ITs: none of them stops it, each reads only its fleet. */
    @RegisterExtension static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

    @TempDir Path dir;

    @Test
    void aBrokerThatStopsDeliveringIsNoticedReportedAndLeft() throws Exception {
        Mosquitto.assumeInstalled("mosquitto");
        Path acl = dir.resolve("acl");
        Files.writeString(acl, READ_AND_WRITE); // lines before any "user" are anonymous clients'
        SensorFleet fleet = new SensorFleet("stall-", 2);
        // "user": run as this user, so that Mosquitto started as root can read the test's files.
        List<String> conf = List.of("acl_file " + acl, "user " + System.getProperty("user.name"));
        try (Mosquitto mosquitto = Mosquitto.start(dir, conf);
                IngestService bridge =
                        IngestService.start(
                                Brokers.bridgeBetween(
                                        mosquitto.serverUri(),
                                        KAFKA.bootstrapServers(),
                                        "bridge-stall",
                                        "--mqtt-heartbeat-interval",
                                        "500ms",
                                        "--mqtt-stall-timeout",
                                        "2s"))) {
            await().atMost(Duration.ofSeconds(60)).until(bridge::isHealthy);
            await("heartbeats back through the subscription")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> meter(bridge, "ingest_mqtt_heartbeats_total") >= 2);
            assertThat(meter(bridge, "ingest_mqtt_stalls_total")).isZero();

            Files.writeString(acl, WRITE_ONLY);
            mosquitto.reload();
            await("the stall reported by /health")
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    bridge.health()
                                            .toJson()
                                            .contains(
                                                    "the broker acknowledged a heartbeat but"
                                                            + " delivered nothing"));
            assertThat(bridge.isHealthy()).isFalse();
            assertThat(meter(bridge, "ingest_mqtt_stalls_total")).isGreaterThanOrEqualTo(1);

            Files.writeString(acl, READ_AND_WRITE);
            mosquitto.reload();
            await("the bridge healthy again by itself")
                    .atMost(Duration.ofSeconds(60))
                    .until(bridge::isHealthy);
            try (MqttTestPublisher device =
                    new MqttTestPublisher(mosquitto.serverUri(), "stall-device")) {
                fleet.publish(device, 0, 4);
            }
            fleet.awaitReadings(KAFKA.bootstrapServers(), 4, Duration.ofMinutes(1));
            assertThat(fleet.deliveries(KAFKA.bootstrapServers()))
                    .isEqualTo(fleet.expectedDeliveries(4));
        }
    }

    /** A counter's value in the bridge's Prometheus scrape (0 when absent). */
    private static double meter(IngestService bridge, String name) {
        return bridge.scrape()
                .lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .findFirst()
                .orElse(0);
    }
}
