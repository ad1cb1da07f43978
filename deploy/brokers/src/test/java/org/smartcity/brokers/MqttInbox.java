package org.smartcity.brokers;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * What a test's MQTT client is sent, in arrival order: set it as a Paho 5 client's callback and
 * read {@link #messages()} or {@link #payloads()} from the test thread (Awaitility) while Paho's
 * thread adds to it. Every other callback event is ignored: the tests that use it assert on what
 * arrives, and learn of refusals from the reason codes their own calls return.
 */
public final class MqttInbox implements MqttCallback {

    /** One delivered message: its topic and its payload as sent. */
    public record Message(String topic, byte[] payload) {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    // Copy-on-write: Paho's callback thread appends while a test reads or awaits a snapshot.
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    /** The messages so far, oldest first; a live read-only view. */
    public List<Message> messages() {
        return Collections.unmodifiableList(messages);
    }

    /** The payloads so far as UTF-8 text, oldest first. */
    public List<String> payloads() {
        return messages.stream().map(Message::text).toList();
    }

    /** Forgets what arrived so far, so that a test sharing the client sees only its own. */
    public void clear() {
        messages.clear();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        messages.add(new Message(topic, message.getPayload()));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
}
