package org.smartcity.brokers;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 5 broker (HiveMQ Community Edition, embedded), run as its own JVM by {@link MqttBroker}.
 *
 * <p>Usage: {@code MqttBrokerMain --data-dir DIR [--port 1883] [--host 127.0.0.1] [--password-file
 * FILE --acl-file FILE] [--allow-anonymous] [--max-packet-size BYTES] [--server-receive-maximum
 * N]}. HiveMQ's {@code conf}, {@code data} and {@code extensions} folders live under DIR;
 * persistence is on disk, so persistent sessions and their queued messages survive a restart on the
 * same directory.
 *
 * <p>Clients log in with the users of the password file and get the rights of the ACL file (both in
 * Mosquitto's formats, see {@link MqttAccessControl}); with {@code --allow-anonymous} clients
 * without a user name get in too, with every right, and a WARN says so at start. The broker
 * advertises and enforces a maximum packet size (CONNACK property; a larger PUBLISH gets the client
 * disconnected with reason 0x95, packet too large, before the broker buffers it) and a receive
 * maximum (QoS 1 and 2 publishes a client may have unacknowledged towards the broker). Prints
 * exactly one line {@code READY mqtt HOST:PORT} on stdout once the listener accepts connections.
 * SIGTERM shuts down cleanly.
 *
 * <p>What a QoS 1 message costs here, and why no setting below lowers it (issue 13, HiveMQ CE
 * 2025.5 source and JFR under PlatformBenchmark): every QoS 1 message for a subscriber, shared or
 * not and online or not, goes through the client queue persistence ({@code
 * PublishDistributorImpl.queuePublish}); in file mode that is always Xodus ({@code
 * LocalPersistenceFileModule}), and the payload goes to RocksDB. A message of the bridge's shared
 * subscription is one Xodus transaction to add it, a write to mark it in flight (per polled batch)
 * and one transaction to remove it on PUBACK, all in the one bucket of the group's queue, so on one
 * single-writer thread at a time; Xodus's garbage collector then re-reads every log file those
 * commits wrote. Under load that was 61% (single writer) and 19-21% (Xodus's "shared background
 * cleaner") of the broker's CPU, about 60-100 µs per single-reading message on this 2-core machine.
 * The bucket count, single-writer threads and credits only spread different queues; the Xodus
 * settings HiveMQ fixes (file age, sync period) or leaves to Xodus ({@code exodus.*} system
 * properties) do not change the commits per message. The in-memory mode would skip the disk, but
 * its {@code removeShared} walks the group's whole queue for every PUBACK, so a backlog makes it
 * quadratic (measured: it passed on a quarter of 10,000 messages/s), and it loses queued readings
 * at a restart.
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
     * Unacknowledged QoS 1 messages HiveMQ CE sends one client at most, whatever receive maximum
     * the client asks for (HiveMQ's default: 50). A shared subscription is served in batches of
     * this size, and HiveMQ polls the next batch from its queue only once the whole previous one is
     * acknowledged ({@code PublishPollServiceImpl.pollSharedPublishesForClient}): with 50, the
     * bridge's throughput was 50 messages per round trip, and at 5,000 messages/s a backlog of
     * seconds grew (issue 13). 1,000 is half the bridge's receive maximum (2,000), so every message
     * a dead session had in flight is among those the bridge looks up after a resumed session.
     * Issue 8 found that 2,000 broke recovery after a SIGKILL with a message in flight
     * (BrokerCrashIT); 1,000 passed it in 3 runs of 3 (issue 13).
     */
    static final int MAX_INFLIGHT_WINDOW = 1_000;

    private MqttBrokerMain() {}

    public static void main(String[] args) {
        Options options;
        BrokerArgs cli;
        try {
            options = Options.parse(args);
            cli = BrokerArgs.parse(options.rest(), 1883);
        } catch (IllegalArgumentException e) {
            LOG.error("MQTT broker: {}", e.getMessage());
            System.exit(2);
            return;
        }
        cli.exitWithParent();
        try {
            if (options.allowAnonymous()) {
                LOG.warn(
                        "ANONYMOUS MQTT ACCESS IS ON: any client that reaches port {} may connect"
                                + " without a password, publish as any sensor and read every"
                                + " reading (--allow-anonymous). Use it for trials only.",
                        cli.port());
            }
            if (options.passwordFile() == null && !options.allowAnonymous()) {
                throw new IllegalArgumentException(
                        "No --password-file and no --allow-anonymous: no client could connect");
            }
            MqttAccessControl access =
                    new MqttAccessControl(
                            options.passwordFile(), options.aclFile(), options.allowAnonymous());
            LOG.info(
                    "Users from {}, rights from {}; maximum packet size {} bytes, receive maximum"
                            + " {}",
                    options.passwordFile(),
                    options.aclFile(),
                    options.maxPacketSize(),
                    options.serverReceiveMaximum());
            int port = cli.port() == 0 ? Ports.pickFree(cli.host()) : cli.port();
            Path conf = Files.createDirectories(cli.dataDir().resolve("conf"));
            // Rewritten on every start so that a new port or setting takes effect.
            Files.writeString(conf.resolve("config.xml"), config(cli.host(), port, options));
            // Internal, but a public static read when HiveMQ starts; the poll batch follows it.
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
                            .withEmbeddedExtension(MqttAuthExtension.of(access))
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

    static String config(String host, int port, Options options) {
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
                    <!-- Advertised in CONNACK; a larger packet disconnects its sender. Without
                         it one huge publish fills the heap, or is acknowledged and then refused
                         by every consumer downstream. -->
                    <packets>
                      <max-packet-size>%d</max-packet-size>
                    </packets>
                    <!-- HiveMQ's default of 10 disconnects a gateway that has more QoS 1
                         publishes in flight. -->
                    <receive-maximum>
                      <server-receive-maximum>%d</server-receive-maximum>
                    </receive-maximum>
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
                  <!-- On disk, not in-memory: issue 13 measured HiveMQ's in-memory mode with
                       PlatformBenchmark and at 10,000 messages/s it passed on a quarter of what
                       it accepted (its event loop at 87%% of a core), where file mode passed on
                       all; it would also lose every queued reading at any restart. -->
                  <persistence>
                    <mode>file</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """
                .formatted(
                        port,
                        host,
                        options.maxPacketSize(),
                        options.serverReceiveMaximum(),
                        MAX_QUEUED_MESSAGES);
    }

    /**
     * The MQTT-only flags; the others are {@link BrokerArgs}'. Each value flag is named in {@link
     * MqttBroker}, which builds the command line.
     */
    record Options(
            Path passwordFile,
            Path aclFile,
            boolean allowAnonymous,
            int maxPacketSize,
            int serverReceiveMaximum,
            String[] rest) {

        static Options parse(String[] args) {
            Path passwordFile = null;
            Path aclFile = null;
            boolean anonymous = false;
            int maxPacketSize = MqttBroker.DEFAULT_MAX_PACKET_SIZE;
            int receiveMaximum = MqttBroker.DEFAULT_SERVER_RECEIVE_MAXIMUM;
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals(MqttBroker.ALLOW_ANONYMOUS)) {
                    anonymous = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    rest.add(flag);
                    continue;
                }
                String value = args[i + 1];
                switch (flag) {
                    case MqttBroker.PASSWORD_FILE -> passwordFile = Path.of(value);
                    case MqttBroker.ACL_FILE -> aclFile = Path.of(value);
                    case MqttBroker.MAX_PACKET_SIZE ->
                            maxPacketSize =
                                    range(flag, value, 1024, MqttBroker.MAX_MAX_PACKET_SIZE);
                    case MqttBroker.SERVER_RECEIVE_MAXIMUM ->
                            receiveMaximum = range(flag, value, 1, 65_535);
                    default -> {
                        rest.add(flag);
                        rest.add(value);
                    }
                }
                i++;
            }
            if ((passwordFile == null) != (aclFile == null)) {
                throw new IllegalArgumentException(
                        MqttBroker.PASSWORD_FILE + " and " + MqttBroker.ACL_FILE + " go together");
            }
            return new Options(
                    passwordFile,
                    aclFile,
                    anonymous,
                    maxPacketSize,
                    receiveMaximum,
                    rest.toArray(String[]::new));
        }

        private static int range(String flag, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(
                    flag + " must be an integer from " + min + " to " + max + ": " + value);
        }
    }
}
