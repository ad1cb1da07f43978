package org.smartcity.deploy;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.smartcity.brokers.MqttCredentials;

/**
 * A fleet of devices behind one MQTT connection that publishes PM2.5 readings with QoS 1 at a
 * steady rate, round robin over its sensors, each with its own {@code seq} counter; it waits for
 * each PUBACK, and when the broker goes away it reconnects and publishes the unacknowledged reading
 * again, as a device does. It records which (sensorId, seq) the broker acknowledged, and which of
 * those it had to send more than once (MQTT allows those to arrive twice).
 */
final class DevicePublisher implements Runnable, AutoCloseable {
    /** A reading's identity in the accounting. */
    record Id(String sensorId, long seq) {}

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RECONNECT_WITHIN = Duration.ofMinutes(2);

    private final String serverUri;
    private final String clientId;
    private final List<String> sensors = new ArrayList<>();
    private final long nanosPerReading;

    /** Acknowledged readings, with the {@link System#nanoTime()} of their PUBACK. */
    private final Map<Id, Long> acknowledged = new ConcurrentHashMap<>();

    private final Set<Id> resent = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile int reconnects;
    private volatile MqttClient client;
    private final String user;
    private final String password;

    /**
     * A gateway logged in as the platform's simulator user, which may publish for any sensor of the
     * city.
     *
     * @param sensorPrefix sensor ids are this prefix and 0, 1, ...
     * @param perSecond readings per second, all sensors together
     */
    DevicePublisher(LocalPlatform platform, String sensorPrefix, int sensors, int perSecond) {
        this(
                platform.mqttUrl(),
                platform.mqttCredentials().orElseThrow(),
                sensorPrefix,
                sensors,
                perSecond);
    }

    /**
     * As {@link #DevicePublisher(LocalPlatform, String, int, int)}, for a platform in another
     * process: its broker's URI and the users it keeps in its data directory.
     */
    DevicePublisher(
            String serverUri,
            MqttCredentials users,
            String sensorPrefix,
            int sensors,
            int perSecond) {
        this.serverUri = serverUri;
        this.user = users.simulatorUser();
        this.password = users.simulatorPassword();
        // The embedded broker lets a user take only client ids that start with its name.
        this.clientId = user + "-" + sensorPrefix + "gateway";
        for (int i = 0; i < sensors; i++) {
            this.sensors.add(sensorPrefix + i);
        }
        this.nanosPerReading = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.thread = new Thread(this, clientId);
    }

    /** The connection's options: the one place that says how the gateway authenticates. */
    private MqttConnectionOptions connectOptions() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(true);
        o.setConnectionTimeout(5);
        o.setAutomaticReconnect(false);
        return o;
    }

    DevicePublisher start() {
        thread.start();
        return this;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        try {
            connect();
            for (long seq = 1; !stopping; seq++) {
                for (String sensor : sensors) {
                    publishUntilAcknowledged(new Id(sensor, seq));
                    next += nanosPerReading;
                    LockSupport.parkNanos(next - System.nanoTime());
                    if (stopping) {
                        return;
                    }
                }
            }
        } catch (Throwable e) {
            failure.set(e);
        } finally {
            closeQuietly();
        }
    }

    private void publishUntilAcknowledged(Id id) throws MqttException {
        boolean first = true;
        while (!stopping) {
            try {
                MqttMessage m = new MqttMessage(payload(id));
                m.setQos(1);
                client.publish("city/kunming/pm25/" + id.sensorId(), m);
                if (!first) {
                    resent.add(id);
                }
                acknowledged.put(id, System.nanoTime());
                return;
            } catch (MqttException e) {
                // Broker gone (or the PUBACK timed out): the reading may or may not have arrived.
                first = false;
                closeQuietly();
                reconnects++;
                connect();
            }
        }
    }

    private void connect() {
        await("the MQTT broker accepts " + clientId + " again")
                .atMost(RECONNECT_WITHIN)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            if (stopping) {
                                return true;
                            }
                            MqttClient c =
                                    new MqttClient(serverUri, clientId, new MemoryPersistence());
                            c.setTimeToWait(ACK_TIMEOUT.toMillis());
                            try {
                                c.connect(connectOptions());
                                client = c;
                                return true;
                            } catch (MqttException e) {
                                c.close(true);
                                return false;
                            }
                        });
    }

    private static byte[] payload(Id id) {
        return ("{\"ts\":"
                        + System.currentTimeMillis()
                        + ",\"lat\":25.04,\"lon\":102.71,\"value\":"
                        + (id.seq() % 200)
                        + ",\"seq\":"
                        + id.seq()
                        + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void closeQuietly() {
        MqttClient c = client;
        client = null;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(5_000);
            }
        } catch (MqttException e) {
            // Going anyway.
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            // Going anyway.
        }
    }

    /** Readings the broker acknowledged so far. */
    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** How often the publisher had to reconnect. */
    int reconnects() {
        return reconnects;
    }

    /** Stops publishing; returns what was acknowledged, and rethrows what stopped it. */
    Set<Id> stop() throws InterruptedException {
        stopping = true;
        thread.join(TimeUnit.MINUTES.toMillis(1));
        if (failure.get() != null) {
            throw new AssertionError("the publisher failed", failure.get());
        }
        return Set.copyOf(acknowledged.keySet());
    }

    /** Readings whose PUBACK came in {@code [fromNanos, toNanos]} ({@link System#nanoTime()}). */
    Set<Id> acknowledgedBetween(long fromNanos, long toNanos) {
        Set<Id> between = new HashSet<>();
        acknowledged.forEach(
                (id, at) -> {
                    if (at - fromNanos >= 0 && toNanos - at >= 0) {
                        between.add(id);
                    }
                });
        return between;
    }

    /** When the broker acknowledged {@code id} ({@link System#nanoTime()}), or null. */
    Long acknowledgedAt(Id id) {
        return acknowledged.get(id);
    }

    /** Acknowledged readings that had been sent more than once. */
    Set<Id> resent() {
        return Set.copyOf(resent);
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(TimeUnit.MINUTES.toMillis(1));
    }
}
