package org.smartcity.ingest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.brokers.MqttBroker;

/** A Kafka and an MQTT broker, each in its own JVM on a free port, for one test class. */
final class Brokers implements AutoCloseable {
    final KafkaBroker kafka;
    final MqttBroker mqtt;

    private Brokers(KafkaBroker kafka, MqttBroker mqtt) {
        this.kafka = kafka;
        this.mqtt = mqtt;
    }

    static Brokers start(Path dir) {
        KafkaBroker kafka = KafkaBroker.start(0, dir.resolve("kafka"));
        try {
            return new Brokers(kafka, MqttBroker.start(0, dir.resolve("mqtt")));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** Bridge settings pointing at these brokers, without HTTP endpoints, plus extra flags. */
    IngestConfig bridgeConfig(String clientId, String... flags) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "--mqtt-url",
                                mqtt.serverUri(),
                                "--kafka-bootstrap",
                                kafka.bootstrapServers(),
                                "--mqtt-client-id",
                                clientId,
                                "--http-port",
                                "0"));
        all.addAll(List.of(flags));
        return IngestConfig.fromFlags(all.toArray(String[]::new));
    }

    @Override
    public void close() {
        mqtt.close();
        kafka.close();
    }
}
