package org.smartcity.brokers;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process, the controller on
 * its own loopback port), run as its own JVM by {@link KafkaBroker}.
 *
 * <p>Usage: {@code KafkaBrokerMain --data-dir DIR [--port 9092] [--host 127.0.0.1]}. The log
 * segments live in {@code DIR/kafka-logs}, which is formatted on first start only, so a restart on
 * the same directory keeps every topic and committed offset. Once clients can produce and consume,
 * prints exactly one line {@code READY kafka HOST:PORT} on stdout. SIGTERM shuts down cleanly.
 */
public final class KafkaBrokerMain {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerMain.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private KafkaBrokerMain() {}

    public static void main(String[] args) {
        BrokerArgs cli = BrokerArgs.parse(args, 9092);
        cli.exitWithParent();
        try {
            int port = cli.port() == 0 ? Ports.pickFree(cli.host()) : cli.port();
            // The controller port is private to this process: a new one each start is fine
            // because a static quorum (controller.quorum.voters) is not stored in the log.
            int controllerPort =
                    cli.controllerPort() == 0 ? Ports.pickFree("127.0.0.1") : cli.controllerPort();
            Path logDir = cli.dataDir().resolve("kafka-logs");
            KafkaConfig config =
                    KafkaConfig.fromProps(properties(cli.host(), port, controllerPort, logDir));
            formatIfNew(logDir);

            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "kafka-shutdown"));
            // Returns once the broker is unfenced and its listener accepts requests.
            server.startup();
            // The launcher's readiness protocol, hence stdout rather than the log.
            System.out.println("READY kafka " + cli.host() + ":" + port);
            server.awaitShutdown();
        } catch (Throwable e) {
            LOG.error("Kafka broker failed to start", e);
            // Kafka's non-daemon threads would otherwise keep a half-started broker alive.
            System.exit(1);
        }
    }

    static Properties properties(String host, int port, int controllerPort, Path logDir)
            throws UnknownHostException {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // The controller only talks to this process's broker: loopback, whatever the host.
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put(
                "listeners",
                "PLAINTEXT://%s:%d,%s://127.0.0.1:%d"
                        .formatted(host, port, CONTROLLER_LISTENER, controllerPort));
        p.put("advertised.listeners", "PLAINTEXT://" + advertisedHost(host) + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());

        // One node: internal topics cannot have more replicas than there are brokers.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        // After a crash the controller still holds the dead broker's registration and refuses
        // the restarted one until that session times out: 9 s by default, 3 s here. Broker and
        // controller share a process, so only a pause of 3 s could fence the broker wrongly.
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "500");
        // Consumers in tests and demos should get partitions at once, not after 3 s.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        // Keeps the first consumer group's start quick; 50 partitions only pay off on a cluster.
        p.put("offsets.topic.num.partitions", "5");
        // The cleaner's dedupe buffer is heap: the 128 MiB default would take a quarter of it.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(32 * 1024 * 1024));
        // The Flink job's exactly-once Kafka sinks use a new transactional id per checkpoint, and
        // the broker keeps each in its heap until it has been unused this long (default 7 days):
        // at the demo's 500 ms checkpoints that would be some 100,000 ids an hour, kept a week.
        // An hour is still far beyond the transactions' 15-minute timeout.
        p.put("transactional.id.expiration.ms", String.valueOf(60 * 60 * 1000));
        return p;
    }

    /** Clients cannot connect to the wildcard address: advertise the machine's name instead. */
    private static String advertisedHost(String host) throws UnknownHostException {
        return InetAddress.getByName(host).isAnyLocalAddress()
                ? InetAddress.getLocalHost().getCanonicalHostName()
                : host;
    }

    /** Formats the storage unless a previous run did; Kafka refuses to start on unformatted. */
    private static void formatIfNew(Path logDir) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Files.createDirectories(logDir);
        new Formatter()
                .setPrintStream(System.out)
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir.toString())
                .addDirectory(logDir.toString())
                .run();
    }
}
