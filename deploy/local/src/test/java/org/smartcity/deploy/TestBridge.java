package org.smartcity.deploy;

import java.time.Duration;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.brokers.MqttBroker;
import org.smartcity.ingest.IngestConfig;
import org.smartcity.ingest.IngestService;

/** The MQTT→Kafka bridge as the platform tests run it between their own brokers. */
final class TestBridge {
    private TestBridge() {}

    /**
     * A bridge between {@code mqtt} and {@code kafka} (HTTP endpoint on a free port), returned once
     * it is subscribed, so nothing published afterwards is missed. The caller closes it.
     */
    static IngestService start(MqttBroker mqtt, KafkaBroker kafka, String clientId)
            throws Exception {
        IngestService bridge =
                IngestService.start(
                        IngestConfig.fromFlags(
                                "--mqtt-url",
                                mqtt.serverUri(),
                                "--kafka-bootstrap",
                                kafka.bootstrapServers(),
                                "--mqtt-client-id",
                                clientId,
                                "--http-port",
                                "0"));
        try {
            bridge.awaitSubscribed(Duration.ofSeconds(60));
            return bridge;
        } catch (Exception e) {
            bridge.close();
            throw e;
        }
    }
}
