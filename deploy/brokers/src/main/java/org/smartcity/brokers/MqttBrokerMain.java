package org.smartcity.brokers;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 5 broker (HiveMQ Community Edition, embedded), run as its own JVM by {@link MqttBroker}.
 *
 * <p>Usage: {@code MqttBrokerMain --data-dir DIR [--port 1883] [--host 127.0.0.1]}. HiveMQ's {@code
 * conf}, {@code data} and {@code extensions} folders live under DIR; persistence is on disk, so
 * persistent sessions and their queued messages survive a restart on the same directory. Prints
 * exactly one line {@code READY mqtt HOST:PORT} on stdout once the listener accepts connections.
 * SIGTERM shuts down cleanly.
 */
public final class MqttBrokerMain {

    private static final Logger LOG = LoggerFactory.getLogger(MqttBrokerMain.class);

    /**
     * Messages queued per offline or slow client (and per shared-subscription group) before new
     * ones are discarded. HiveMQ's default of 1000 silently drops QoS 1 readings as soon as the
     * bridge lags a few seconds behind a busy simulator; the queue is on disk, not on the heap.
     */
    static final long MAX_QUEUED_MESSAGES = 1_000_000;

    /**
     * Unacknowledged messages HiveMQ may send one client (its default is 50). Equal to the bridge's
     * default receive maximum: a dead bridge leaves at most this many messages unacknowledged, and
     * HiveMQ resends them without DUP, so the bridge looks up exactly that many after a resumed
     * session's connect (see MqttKafkaBridge).
     */
    static final int MAX_INFLIGHT_WINDOW = 2_000;

    private MqttBrokerMain() {}

    public static void main(String[] args) {
        BrokerArgs cli = BrokerArgs.parse(args, 1883);
        cli.exitWithParent();
        try {
            int port = cli.port() == 0 ? Ports.pickFree(cli.host()) : cli.port();
            Path conf = Files.createDirectories(cli.dataDir().resolve("conf"));
            // Rewritten on every start so that a new port or setting takes effect.
            Files.writeString(conf.resolve("config.xml"), config(cli.host(), port));
            // HiveMQ CE sends a client at most 50 unacknowledged QoS 1 messages, whatever receive
            // maximum the client asks for; the bridge asks for thousands to keep Kafka's
            // batches full. Internal, but a public static read when HiveMQ starts.
            InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = MAX_INFLIGHT_WINDOW;
            EmbeddedHiveMQ hivemq =
                    EmbeddedHiveMQ.builder()
                            .withConfigurationFolder(conf)
                            .withDataFolder(Files.createDirectories(cli.dataDir().resolve("data")))
                            .withExtensionsFolder(
                                    Files.createDirectories(cli.dataDir().resolve("extensions")))
                            // Logging is configured by the launcher (logback-brokers.xml); the
                            // bootstrap would replace it with HiveMQ's own conf/logback.xml.
                            .withoutLoggingBootstrap()
                            .build();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> hivemq.stop().join(), "mqtt-shutdown"));
            // Completes once the listener is bound; fails if it cannot bind.
            hivemq.start().join();
            // The launcher's readiness protocol, hence stdout rather than the log.
            System.out.println("READY mqtt " + cli.host() + ":" + port);
        } catch (Throwable e) {
            LOG.error("MQTT broker failed to start", e);
            System.exit(1);
        }
    }

    static String config(String host, int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                    </tcp-listener>
                  </listeners>
                  <mqtt>
                    <queued-messages>
                      <max-queue-size>%d</max-queue-size>
                      <strategy>discard</strategy>
                    </queued-messages>
                    <!-- Explicit maxima (the defaults): a reading waiting for a slow or
                         reconnecting bridge must not expire, nor must its session. -->
                    <message-expiry>
                      <max-interval>4294967296</max-interval>
                    </message-expiry>
                    <session-expiry>
                      <max-interval>4294967295</max-interval>
                    </session-expiry>
                  </mqtt>
                  <persistence>
                    <mode>file</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """
                .formatted(port, host, MAX_QUEUED_MESSAGES);
    }
}
