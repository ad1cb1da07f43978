package org.smartcity.ingest.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.smartcity.brokers.MqttBroker;
import org.smartcity.core.bench.BenchRun;
import org.smartcity.core.mqtt.NoDelaySocketFactory;

/**
 * Isolates the MQTT broker from the bridge: how fast the embedded HiveMQ delivers QoS 1 messages to
 * one Paho subscriber that acknowledges each at once (manual acks, as the bridge does, but without
 * Kafka), for a shared or a plain subscription and a clean or a persistent session. Publishers send
 * as fast as the broker's receive maximum lets them. The last two runs set {@code TCP_NODELAY} on
 * the subscriber's socket, which Paho leaves off. With a URI it measures that broker instead (e.g.
 * a Mosquitto started by hand) rather than starting HiveMQ.
 *
 * <pre>
 * ./mvnw -q -pl ingest -Pbench test-compile exec:java \
 *     -Dexec.mainClass=org.smartcity.ingest.bench.MqttDeliveryProbe [-Dexec.args="MESSAGES [URI]"]
 * </pre>
 */
public final class MqttDeliveryProbe {
    private MqttDeliveryProbe() {}

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        if (args.length > 1) {
            // Another broker already running, e.g. Mosquitto, for comparison.
            runAll(args[1], messages);
            return;
        }
        Path dir = Files.createTempDirectory("mqtt-probe-");
        try (MqttBroker mqtt = MqttBroker.startAnonymous(0, dir.resolve("mqtt"))) {
            runAll(mqtt.serverUri(), messages);
        } finally {
            BenchRun.delete(dir);
        }
    }

    private static void runAll(String uri, int messages) throws Exception {
        int run = 0;
        for (boolean shared : new boolean[] {true, false}) {
            for (boolean persistent : new boolean[] {true, false}) {
                measure(uri, ++run, shared, persistent, true, false, messages);
            }
        }
        measure(uri, ++run, true, true, false, false, messages);
        measure(uri, ++run, false, false, false, false, messages);
        measure(uri, ++run, true, true, true, true, messages);
        measure(uri, ++run, false, false, true, true, messages);
    }

    private static void measure(
            String uri,
            int run,
            boolean shared,
            boolean persistent,
            boolean manualAcks,
            boolean noDelay,
            int messages)
            throws Exception {
        String topicPrefix = "probe" + run + "/";
        String filter = (shared ? "$share/probe/" : "") + topicPrefix + "+";
        AtomicLong received = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        MqttAsyncClient sub = new MqttAsyncClient(uri, "probe-sub-" + run, new MemoryPersistence());
        sub.setManualAcks(manualAcks);
        sub.setCallback(
                new MqttCallback() {
                    @Override
                    public void messageArrived(String topic, MqttMessage m) throws Exception {
                        if (manualAcks) {
                            sub.messageArrivedComplete(m.getId(), m.getQos());
                        }
                        if (received.incrementAndGet() == messages) {
                            all.countDown();
                        }
                    }

                    @Override
                    public void disconnected(MqttDisconnectResponse r) {}

                    @Override
                    public void mqttErrorOccurred(MqttException e) {}

                    @Override
                    public void deliveryComplete(IMqttToken t) {}

                    @Override
                    public void connectComplete(boolean reconnect, String serverURI) {}

                    @Override
                    public void authPacketArrived(int reasonCode, MqttProperties p) {}
                });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(!persistent);
        o.setSessionExpiryInterval(persistent ? 86_400L : 0L);
        o.setReceiveMaximum(2000);
        if (noDelay) {
            o.setSocketFactory(new NoDelaySocketFactory());
        }
        sub.connect(o).waitForCompletion(30_000);
        sub.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, null, null)
                .waitForCompletion(30_000);
        List<LoadPublisher> pubs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pubs.add(new LoadPublisher(uri, "probe-pub-" + run + "-" + i));
        }
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < pubs.size(); i++) {
            LoadPublisher p = pubs.get(i);
            int share = messages / pubs.size();
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    p.runUnpaced(topicPrefix, share);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        boolean done = all.await(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%s subscription, %s session, %s acks%s: published %,d in %.1f s (%,.0f/s); received %,d in"
                        + " %.1f s (%,.0f/s)%s%n",
                shared ? "shared" : "plain",
                persistent ? "persistent" : "clean",
                manualAcks ? "manual" : "automatic",
                noDelay ? ", TCP_NODELAY" : "",
                messages,
                publishSeconds,
                messages / publishSeconds,
                received.get(),
                seconds,
                received.get() / seconds,
                done ? "" : " (incomplete)");
        for (LoadPublisher p : pubs) {
            p.close();
        }
        sub.disconnect().waitForCompletion(10_000);
        sub.close();
    }
}
