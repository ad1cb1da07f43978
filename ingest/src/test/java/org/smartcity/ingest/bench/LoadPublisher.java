package org.smartcity.ingest.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.smartcity.core.mqtt.NoDelaySocketFactory;
import org.smartcity.ingest.PublishWindow;

/**
 * One MQTT 5 connection of the load generator, standing for a group of PM2.5 sensors in Kunming.
 * Publishes QoS 1 messages paced to a target rate, with at most the broker's receive maximum
 * unacknowledged ({@link PublishWindow}, as {@code MqttTestPublisher} does), and writes the publish
 * time into each reading's {@code ts} as epoch milliseconds.
 *
 * <p>Message {@code k} of a step comes from sensor {@code k % sensors}; its readings carry {@code
 * seq = (k / sensors) * perMessage + j}, so every (sensorId, seq) pair of a step is unique.
 */
public final class LoadPublisher implements AutoCloseable {
    static final double LAT = 25.0406;
    static final double LON = 102.7123;

    /** What one publisher did in one step. */
    public record Published(
            long messages,
            long readings,
            long failures,
            long firstPublishMillis,
            long lastPublishNanos) {}

    private final MqttAsyncClient client;
    private final String clientId;
    private final PublishWindow window;
    private final StringBuilder json = new StringBuilder(2048);

    LoadPublisher(String serverUri, String clientId) throws MqttException {
        this(serverUri, clientId, null, null);
    }

    /**
     * Connects as {@code user} (null: anonymously). The client id must be one the broker lets that
     * user have (the embedded broker: the user name, or the user name and '-' and anything).
     */
    public LoadPublisher(String serverUri, String clientId, String user, String password)
            throws MqttException {
        this.clientId = clientId;
        client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        // The load generator must not be the bottleneck: no Nagle delays on its sockets.
        o.setSocketFactory(new NoDelaySocketFactory());
        IMqttToken token = client.connect(o);
        token.waitForCompletion(30_000);
        window = new PublishWindow(token);
    }

    /** Unacknowledged QoS 1 messages allowed at once: the broker's receive maximum. */
    public int windowSize() {
        return window.size();
    }

    public String clientId() {
        return clientId;
    }

    /** Publications that failed since the connection was made. */
    public long failures() {
        return window.failures();
    }

    /**
     * Publishes {@code messages} messages, message {@code k} due at {@code startNanos + k /
     * messagesPerSecond}; a publisher behind schedule catches up at once. Stops early at {@code
     * deadlineNanos}.
     */
    public Published run(
            String sensorPrefix,
            int sensors,
            int perMessage,
            double messagesPerSecond,
            long messages,
            long startNanos,
            long deadlineNanos)
            throws InterruptedException {
        long failuresBefore = window.failures();
        double intervalNanos = 1e9 / messagesPerSecond;
        long sent = 0;
        long firstMillis = -1;
        long lastNanos = startNanos;
        String[] ids = new String[sensors];
        String[] topics = new String[sensors];
        for (int s = 0; s < sensors; s++) {
            ids[s] = sensorPrefix + s;
            topics[s] = "city/kunming/pm25/" + ids[s];
        }
        publishing:
        while (sent < messages) {
            long now = System.nanoTime();
            if (now >= deadlineNanos) {
                break;
            }
            long due = Math.min(messages, (long) ((now - startNanos) / intervalNanos) + 1);
            if (sent >= due) {
                LockSupport.parkNanos((long) (startNanos + sent * intervalNanos) - now);
                continue;
            }
            for (; sent < due; sent++) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || !window.tryAcquire(left)) {
                    break publishing;
                }
                int sensor = (int) (sent % sensors);
                long seq = (sent / sensors) * perMessage;
                long ts = System.currentTimeMillis();
                if (firstMillis < 0) {
                    firstMillis = ts;
                }
                MqttMessage m = new MqttMessage(payload(ids[sensor], ts, seq, perMessage, sent));
                m.setQos(1);
                try {
                    client.publish(topics[sensor], m, null, window);
                } catch (MqttException e) {
                    window.notStarted();
                    break publishing;
                }
                lastNanos = System.nanoTime();
            }
        }
        return new Published(
                sent,
                sent * perMessage,
                window.failures() - failuresBefore,
                firstMillis,
                lastNanos);
    }

    /**
     * One paced step of the whole load: {@code messages} messages at {@code messagesPerSecond} in
     * total, split evenly over {@code publishers} (each on a thread of {@code runners}, for its own
     * {@code sensorsPerPublisher} sensors named {@code sensorPrefix + "p" + i + "-" + s}), each
     * publisher with its share of the rate (see {@link #run}). Returns the sum of what they did,
     * with the earliest first publish and the latest last one ({@code firstPublishMillis} -1 if
     * nothing was published).
     */
    public static Published runAll(
            List<LoadPublisher> publishers,
            ExecutorService runners,
            String sensorPrefix,
            int sensorsPerPublisher,
            int perMessage,
            double messagesPerSecond,
            long messages,
            long startNanos,
            long deadlineNanos)
            throws InterruptedException, ExecutionException {
        int n = publishers.size();
        List<Future<Published>> running = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LoadPublisher p = publishers.get(i);
            long share = messages / n + (i < messages % n ? 1 : 0);
            String sensors = sensorPrefix + "p" + i + "-";
            running.add(
                    runners.submit(
                            () ->
                                    p.run(
                                            sensors,
                                            sensorsPerPublisher,
                                            perMessage,
                                            messagesPerSecond / n,
                                            share,
                                            startNanos,
                                            deadlineNanos)));
        }
        long sent = 0, readings = 0, failed = 0, firstMillis = -1, lastNanos = startNanos;
        for (Future<Published> f : running) {
            Published p = f.get();
            sent += p.messages();
            readings += p.readings();
            failed += p.failures();
            if (p.firstPublishMillis() >= 0) {
                firstMillis =
                        firstMillis < 0
                                ? p.firstPublishMillis()
                                : Math.min(firstMillis, p.firstPublishMillis());
            }
            lastNanos = Math.max(lastNanos, p.lastPublishNanos());
        }
        return new Published(sent, readings, failed, firstMillis, lastNanos);
    }

    /** Publishes {@code messages} small messages as fast as the window allows (for probes). */
    void runUnpaced(String topicPrefix, int messages) throws InterruptedException {
        for (int k = 0; k < messages; k++) {
            window.acquire();
            MqttMessage m = new MqttMessage(payload("probe", System.currentTimeMillis(), k, 1, k));
            m.setQos(1);
            try {
                client.publish(topicPrefix + (k % 100), m, null, window);
            } catch (MqttException e) {
                window.notStarted();
                return;
            }
        }
    }

    /** One reading, or a gateway array of {@code count} readings of the same sensor. */
    private byte[] payload(String sensorId, long ts, long seq, int count, long k) {
        json.setLength(0);
        if (count > 1) {
            json.append('[');
        }
        for (int j = 0; j < count; j++) {
            if (j > 0) {
                json.append(',');
            }
            json.append("{\"sensorId\":\"")
                    .append(sensorId)
                    .append("\",\"metric\":\"pm25\",\"ts\":")
                    .append(ts)
                    .append(",\"lat\":")
                    .append(LAT)
                    .append(",\"lon\":")
                    .append(LON)
                    .append(",\"value\":")
                    .append(5 + (k + j) % 90)
                    .append(".5,\"unit\":\"ug/m3\",\"seq\":")
                    .append(seq + j)
                    .append('}');
        }
        if (count > 1) {
            json.append(']');
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Waits until the broker has acknowledged everything published; false on timeout. */
    public boolean awaitAcknowledged(long timeoutMillis) throws InterruptedException {
        return window.awaitAllAnswered(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws MqttException {
        client.disconnect().waitForCompletion(10_000);
        client.close();
    }
}
