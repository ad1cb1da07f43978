package org.smartcity.brokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttBrokerIT {

    private static final String TOPIC = "city/kunming/pm25/km-pm25-0042";
    private static final String SHARED = "$share/ingest/city/+/+/+";

    @TempDir Path dir;

    @Test
    void deliversQos1AndKeepsAnOfflineSessionsMessagesThroughACrash() throws Exception {
        try (MqttBroker mqtt = MqttBroker.startAnonymous(0, dir)) {
            assertThat(mqtt.serverUri()).isEqualTo("tcp://127.0.0.1:" + mqtt.port());
            assertThatThrownBy(() -> MqttBroker.startAnonymous(mqtt.port(), dir.resolve("second")))
                    .isInstanceOf(PortInUseException.class);

            MqttInbox received = new MqttInbox();
            MqttClient bridge = connect(mqtt, "bridge", false, received);
            bridge.subscribe(SHARED, 1);
            MqttClient device = connect(mqtt, "km-pm25-0042", true, new MqttInbox());
            device.publish(TOPIC, qos1("38.5")); // returns on PUBACK

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> received.payloads().contains("38.5"));

            // The bridge goes away; its persistent session queues what arrives meanwhile.
            bridge.disconnect();
            bridge.close();
            device.publish(TOPIC, qos1("40.0"));
            device.disconnect();
            device.close();
            // A crash, not a clean stop: HiveMQ acknowledges a PUBLISH only once it is persisted.
            mqtt.kill();
            mqtt.restart();

            MqttInbox afterRestart = new MqttInbox();
            MqttClient bridgeAgain = connect(mqtt, "bridge", false, afterRestart);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> afterRestart.payloads().contains("40.0"));
            bridgeAgain.disconnect();
            bridgeAgain.close();
        }
    }

    private static MqttClient connect(
            MqttBroker mqtt, String clientId, boolean cleanStart, MqttCallback callback)
            throws MqttException {
        MqttClient client = new MqttClient(mqtt.serverUri(), clientId, new MemoryPersistence());
        client.setCallback(callback);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(cleanStart ? 0L : 3600L);
        client.connect(options);
        return client;
    }

    private static MqttMessage qos1(String payload) {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        return message;
    }
}
