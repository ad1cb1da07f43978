package org.smartcity.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.mqtt.NoDelaySocketFactory;

/**
 * Publishes over a few long-lived Paho MQTT 5 connections, on behalf of all sensors: a sensor
 * always uses the same connection (by its id), so its messages arrive in the order sent.
 *
 * <p>Each connection allows a window of unacknowledged QoS 1 messages (the configured maximum,
 * capped by the broker's receive maximum, beyond which Paho refuses to publish); a full window
 * blocks the publisher, which is the back-pressure that keeps the simulator from outrunning the
 * broker. Connections reconnect by themselves and keep their session, so Paho resends what was
 * unacknowledged when a connection dropped; while a connection is down, publishing waits.
 */
final class MqttTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final long SESSION_EXPIRY_SECONDS = 3600;

    /**
     * How often a blocked publish looks again, and checks for a stop: Paho offers no wait for
     * "connected again", so this is the granularity of waiting out a reconnect.
     */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final List<Connection> connections;
    private final StopSignal stop;

    private MqttTransport(List<Connection> connections, StopSignal stop) {
        this.connections = connections;
        this.stop = stop;
    }

    /**
     * Connects every connection.
     *
     * @throws MqttException when one cannot connect; those already connected are closed
     */
    static MqttTransport open(SimulatorConfig config, StopSignal stop) throws MqttException {
        List<Connection> connections = new ArrayList<>(config.connections());
        try {
            for (int i = 0; i < config.connections(); i++) {
                connections.add(Connection.open(config, config.mqttClientId() + "-" + i));
            }
        } catch (MqttException | RuntimeException e) {
            connections.forEach(Connection::close);
            throw e;
        }
        LOG.info(
                "Connected to {} with {} connection(s), window of {} unacknowledged message(s)"
                        + " each",
                config.mqttUrl(),
                connections.size(),
                connections.get(0).windowSize);
        return new MqttTransport(List.copyOf(connections), stop);
    }

    @Override
    public boolean send(SimulatedMessage message, Delivery delivery) throws InterruptedException {
        Connection c =
                connections.get(Math.floorMod(message.sensorId().hashCode(), connections.size()));
        return c.send(message, delivery, stop);
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Connection c : connections) {
            // All permits free means nothing is in flight on this connection.
            if (!c.window.tryAcquire(
                    c.windowSize, deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            c.window.release(c.windowSize);
        }
        return true;
    }

    @Override
    public void close() {
        connections.forEach(Connection::close);
    }

    /** One client connection and its window of unacknowledged messages. */
    private static final class Connection implements MqttCallback {
        final MqttAsyncClient client;
        final String clientId;
        final int windowSize;
        final Semaphore window;

        private Connection(MqttAsyncClient client, String clientId, int windowSize) {
            this.client = client;
            this.clientId = clientId;
            this.windowSize = windowSize;
            this.window = new Semaphore(windowSize);
        }

        static Connection open(SimulatorConfig config, String clientId) throws MqttException {
            MqttAsyncClient client =
                    new MqttAsyncClient(config.mqttUrl(), clientId, new MemoryPersistence());
            try {
                IMqttToken token = client.connect(options(config));
                token.waitForCompletion(CONNECT_TIMEOUT.toMillis());
                if (!client.isConnected()) {
                    throw new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
                }
                MqttProperties granted = token.getResponseProperties();
                Integer receiveMaximum = granted == null ? null : granted.getReceiveMaximum();
                int window =
                        Math.min(
                                config.maxInflight(),
                                receiveMaximum == null ? 65_535 : receiveMaximum);
                Connection c = new Connection(client, clientId, window);
                client.setCallback(c);
                return c;
            } catch (MqttException e) {
                try {
                    client.close(true);
                } catch (MqttException ignored) {
                    // Closing a client that never connected: nothing left to release.
                }
                throw e;
            }
        }

        private static MqttConnectionOptions options(SimulatorConfig config) {
            MqttConnectionOptions o = new MqttConnectionOptions();
            if (NoDelaySocketFactory.appliesTo(config.mqttUrl())) {
                o.setSocketFactory(new NoDelaySocketFactory());
            }
            o.setAutomaticReconnect(true);
            // Retry soon: while one connection is down, the sensors it serves hold up the rest.
            // (Paho 1.2.5 ignores setAutomaticReconnectDelay; only this bound is used, and the
            // delay doubles from 1 s while below it.)
            o.setMaxReconnectDelay(4000);
            // A kept session lets Paho resend unacknowledged QoS 1 messages after a reconnect.
            o.setCleanStart(false);
            o.setSessionExpiryInterval(SESSION_EXPIRY_SECONDS);
            o.setKeepAliveInterval(30);
            o.setConnectionTimeout((int) CONNECT_TIMEOUT.toSeconds());
            if (config.mqttUsername() != null) {
                o.setUserName(config.mqttUsername());
            }
            if (config.mqttPassword() != null) {
                o.setPassword(config.mqttPassword().getBytes(StandardCharsets.UTF_8));
            }
            return o;
        }

        boolean send(SimulatedMessage m, Delivery delivery, StopSignal stop)
                throws InterruptedException {
            while (!window.tryAcquire(RETRY_NANOS, TimeUnit.NANOSECONDS)) {
                if (stop.isRequested()) {
                    return false;
                }
            }
            MqttMessage message = new MqttMessage(m.payload());
            message.setQos(1);
            Outcome outcome = new Outcome(window, delivery);
            while (true) {
                try {
                    client.publish(m.topic(), message, null, outcome);
                    return true;
                } catch (MqttException e) {
                    if (!isTransient(e)) {
                        outcome.onFailure(null, e);
                        return true;
                    }
                    if (stop.await(RETRY_NANOS)) {
                        window.release();
                        return false;
                    }
                }
            }
        }

        /** Refusals that pass once the client has reconnected or drained its window. */
        private static boolean isTransient(MqttException e) {
            int code = e.getReasonCode();
            return code == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED
                    || code == MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS
                    || code == MqttClientException.REASON_CODE_MAX_INFLIGHT;
        }

        void close() {
            try {
                if (client.isConnected()) {
                    client.disconnect(DISCONNECT_TIMEOUT.toMillis())
                            .waitForCompletion(DISCONNECT_TIMEOUT.toMillis());
                }
            } catch (MqttException e) {
                LOG.debug("{}: disconnect failed: {}", clientId, e.getMessage());
            }
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.debug("{}: close failed: {}", clientId, e.getMessage());
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn(
                    "{}: connection lost ({}); reconnecting",
                    clientId,
                    response.getException() != null
                            ? response.getException().getMessage()
                            : response.getReasonString());
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
                LOG.info("{}: reconnected to {}", clientId, serverUri);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("{}: {}", clientId, exception.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // A publisher subscribes to nothing.
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // Outcomes are reported per message by Outcome.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication.
        }
    }

    /**
     * Frees the message's place in the window and reports its outcome, once: after a dropped
     * connection Paho may report a message more than once (failed, then resent and acknowledged).
     */
    private static final class Outcome implements MqttActionListener {
        private final Semaphore window;
        private final Delivery delivery;
        private final AtomicBoolean reported = new AtomicBoolean();

        Outcome(Semaphore window, Delivery delivery) {
            this.window = window;
            this.delivery = delivery;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            int[] codes = token.getReasonCodes();
            // MQTT 5: a PUBACK with a code of 0x80 or more refuses the message.
            if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                onFailure(token, new MqttException(codes[0]));
                return;
            }
            if (reported.compareAndSet(false, true)) {
                window.release();
                delivery.confirmed();
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
            if (reported.compareAndSet(false, true)) {
                window.release();
                delivery.failed(cause);
            }
        }
    }
}
