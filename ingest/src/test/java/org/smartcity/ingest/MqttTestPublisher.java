package org.smartcity.ingest;

import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * Publishes QoS 1 messages as fast as the broker's receive maximum allows, and waits for the
 * broker's acknowledgement of every one of them.
 */
final class MqttTestPublisher implements AutoCloseable {
    private final MqttAsyncClient client;
    private final PublishWindow window;

    MqttTestPublisher(String serverUri, String clientId) throws MqttException {
        client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        IMqttToken token = client.connect(o);
        token.waitForCompletion(30_000);
        window = new PublishWindow(token);
    }

    void publish(String topic, byte[] payload) throws MqttException, InterruptedException {
        window.acquire();
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        client.publish(topic, m, null, window);
    }

    /** Waits until the broker has acknowledged everything published. */
    void awaitAcknowledged() throws InterruptedException {
        if (!window.awaitAllAnswered(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not acknowledge every publication");
        }
        if (window.failures() > 0) {
            throw new IllegalStateException(window.failures() + " publications failed");
        }
    }

    @Override
    public void close() throws MqttException {
        client.disconnect().waitForCompletion(10_000);
        client.close();
    }
}
