package org.smartcity.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.brokers.BrokerProcess;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.brokers.MqttBroker;
import org.smartcity.brokers.MqttCredentials;
import org.smartcity.core.Reading;
import org.smartcity.core.config.CityConfig;
import org.smartcity.core.config.CityOptions;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.core.config.KafkaConfig;
import org.smartcity.core.config.KafkaOptions;
import org.smartcity.core.config.MqttConfig;
import org.smartcity.core.http.Health;
import org.smartcity.core.http.HttpService;
import org.smartcity.dashboard.DashboardConfig;
import org.smartcity.dashboard.DashboardServer;
import org.smartcity.ingest.IngestConfig;
import org.smartcity.ingest.IngestService;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;
import org.smartcity.jobs.alerts.AlertRules;
import org.smartcity.simulator.Simulator;
import org.smartcity.simulator.SimulatorConfig;
import org.smartcity.store.StoreConfig;

/**
 * The whole platform on one machine: an embedded Kafka broker and MQTT broker (each in its own
 * JVM), the bridge, the aggregation job on a Flink MiniCluster, the dashboard, and the simulated
 * city. Components start in dependency order, each with a progress line, and stop in reverse order.
 */
public final class LocalPlatform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);

    /** The bridge's MQTT client id: stable, so readings queued while it was away are kept. */
    static final String BRIDGE_CLIENT_ID = "smartcity-ingest-local";

    /** How long {@link #close()} waits for one component to stop. */
    static final Duration COMPONENT_STOP_TIMEOUT = Duration.ofSeconds(20);

    /** The GeoMesa Kafka DataStore catalog topic of the live layer. */
    static final String LIVE_CATALOG = "smartcity-live";

    /** The demo job's checkpoint interval: how long an exactly-once alert waits to be seen. */
    static final Duration JOB_CHECKPOINT_INTERVAL = Duration.ofMillis(500);

    private final PlatformConfig config;
    private final PrintStream out;

    /** The city every component serves: the defaults of {@link CityOptions} (Kunming). */
    private final CityConfig city = CityOptions.defaults();

    /** The embedded Kafka and the topic names, once the broker is up. */
    private KafkaConfig kafkaConfig;

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private String mqttUrl;
    private String kafkaBootstrap;
    private KafkaBroker kafka;
    private MqttBroker mqtt;
    private MqttCredentials mqttUsers;
    private BrokerSupervisor supervisor;
    private IngestService bridge;
    private LocalFlinkJob flink;

    /** Told every reading the simulated city sends that the bridge should forward. */
    private final Consumer<Reading> sent;

    private DashboardServer dashboard;

    private LocalPlatform(PlatformConfig config, PrintStream out, Consumer<Reading> sent) {
        this.config = config;
        this.out = out;
        this.sent = sent;
    }

    /**
     * Starts every component; on a failure, stops what had started and rethrows.
     *
     * @throws ConfigException when a port is taken, naming the flag that sets it
     */
    public static LocalPlatform start(PlatformConfig config, PrintStream out) throws Exception {
        return start(config, out, reading -> {});
    }

    /**
     * For tests: also hands {@code sent} every reading the simulated city sends that the bridge
     * should forward (backfill and live), once the broker has confirmed it (see {@link
     * Simulator#Simulator(SimulatorConfig, Clock, Consumer)}).
     */
    static LocalPlatform start(PlatformConfig config, PrintStream out, Consumer<Reading> sent)
            throws Exception {
        checkPortsFree(config);
        LocalPlatform platform = new LocalPlatform(config, out, sent);
        try {
            platform.startAll();
            return platform;
        } catch (Exception e) {
            platform.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        long t0 = System.nanoTime();
        kafka =
                step(
                        "Kafka broker",
                        () ->
                                KafkaBroker.start(
                                        config.kafkaPort(), config.dataDir().resolve("kafka")));
        // The platform's Ctrl-C hook stops the brokers last, after the job's savepoint.
        kafka.ownerStopsOnShutdown();
        kafkaBootstrap = kafka.bootstrapServers();
        if (config.embeddedMqtt()) {
            // Devices, the bridge and the simulator log in; the files are made on the first start
            // and kept (deploy/mosquitto/README.md says how to add a device).
            mqttUsers = MqttCredentials.provision(config.dataDir().resolve("mqtt-credentials"));
            mqtt =
                    step(
                            "MQTT 5 broker (HiveMQ CE)",
                            () ->
                                    MqttBroker.builder(config.dataDir().resolve("mqtt"))
                                            .port(config.mqttPort())
                                            .credentials(mqttUsers)
                                            .allowAnonymous(config.mqttAllowAnonymous())
                                            .start());
            if (config.mqttAllowAnonymous()) {
                LOG.warn(
                        "Anonymous MQTT clients may publish as any sensor and read every reading"
                                + " ({}): never on a network others can reach",
                        PlatformConfig.MQTT_ALLOW_ANONYMOUS.flag());
            }
            mqtt.ownerStopsOnShutdown();
            mqttUrl = mqtt.serverUri();
        } else {
            mqttUrl = config.mqttUrl();
        }
        // Stopped before the brokers (pushed after them), so it never restarts a broker that the
        // platform itself is stopping.
        supervisor = new BrokerSupervisor(mqtt == null ? List.of(kafka) : List.of(kafka, mqtt));
        running.push(supervisor);
        // One typed value of each shared group, handed to every component.
        kafkaConfig = KafkaOptions.defaults().withBootstrap(kafka.bootstrapServers());
        IngestConfig ingest =
                IngestConfig.builder()
                        .mqtt(
                                mqttUsers == null
                                        ? MqttConfig.anonymous(mqttUrl)
                                        : new MqttConfig(
                                                mqttUrl,
                                                mqttUsers.bridgeUser(),
                                                mqttUsers.bridgePassword()))
                        .mqttClientId(BRIDGE_CLIENT_ID)
                        .kafka(kafkaConfig)
                        .city(city)
                        .httpPort(config.ingestHttpPort())
                        // The demo's backfill publishes readings up to its length old.
                        .maxAge(config.bridgeMaxAge())
                        // Everything is on this machine: lz4 would cost CPU in the bridge (and a
                        // 64 KiB buffer per batch, 55% of the platform's allocation at 200
                        // readings/s), in Kafka's validation and in every consumer, to save
                        // loopback bytes (issue 13).
                        .kafkaCompression("none")
                        .build();
        bridge = step("MQTT -> Kafka bridge", () -> IngestService.start(ingest));
        bridge.awaitSubscribed(Duration.ofSeconds(60));
        JobConfig job =
                JobConfig.builder()
                        .kafka(kafkaConfig)
                        .city(city)
                        // Alerts exactly once as a read_committed consumer (the dashboard) sees
                        // them, and soon: a transaction's records become visible when the
                        // checkpoint that commits it completes, so the interval is the wait an
                        // alert adds after its window closes. 500 ms keeps window close -> alert
                        // in Kafka and on the live stream within 1 s at p99
                        // (AlertLatencyBenchmark; 10 s made it up to 10 s).
                        .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .checkpointInterval(JOB_CHECKPOINT_INTERVAL)
                        .history(historyStore())
                        .liveCatalog(LIVE_CATALOG)
                        // The rules shipped in the jar: the demo raises alerts out of the box.
                        .alertRules(AlertRules.DEFAULT)
                        .build();
        flink =
                step(
                        "Flink aggregation job",
                        () ->
                                LocalFlinkJob.start(
                                        job,
                                        config.dataDir().resolve("flink"),
                                        config.stateChangelog(),
                                        CityAggregationJob.historySink(job),
                                        CityAggregationJob.liveSink(job)));
        flink.restoredFrom()
                .ifPresent(
                        snapshot ->
                                out.printf(
                                        "    open windows restored from %s%n",
                                        config.dataDir().relativize(snapshot)));
        dashboard = step("Dashboard and OGC API", () -> DashboardServer.start(dashboardConfig()));
        // The dashboard's /health is the platform's.
        supervisor.dependencies().forEach(dashboard::addHealth);
        dashboard.addHealth(this::bridgeHealth);
        dashboard.addHealth(flink::health);
        if (config.rate() > 0) {
            step("Simulated city (Kunming)", this::startSimulator);
            if (config.backfill() != null) {
                out.printf(
                        "    publishing the past %d h first (PM2.5 and PM10 sensors, one reading a"
                                + " minute each; the bridge accepts readings up to %d h old)%n",
                        config.backfill().toHours(), config.bridgeMaxAge().toHours());
            }
        }
        String web = "http://" + urlHost(config.bind()) + ":" + dashboard.port();
        out.printf(
                "%nPlatform ready in %.1f s%n"
                        + "  Dashboard  %s/   (live map of Kunming)%n"
                        + "  OGC API    %s/collections   (city_aggregates, city_live, sensors, alerts, indicators)%n"
                        + "  MQTT       %s   (publish to city/%s/{metric}/{sensorId})%n"
                        + "%s"
                        + "  Kafka      %s   (topics %s, %s, %s)%n"
                        + "  Metrics    %s/metrics   bridge: %s%n"
                        + "  Stores     history %s (GeoMesa FileSystem, Parquet),"
                        + " live layer on Kafka (catalog %s)%n"
                        + "  Data       %s%n"
                        + "Press Ctrl-C to stop.%n",
                (System.nanoTime() - t0) / 1e9,
                web,
                web,
                mqttUrl,
                city.id(),
                mqttUsers == null
                        ? ""
                        : String.format(
                                "  MQTT users %s   (passwd, acl: Mosquitto's formats;"
                                        + " devices log in as their sensor id)%n",
                                mqttUsers.passwordFile().getParent()),
                kafkaBootstrap,
                kafkaConfig.readingsTopic(),
                kafkaConfig.rejectedTopic(),
                job.aggregatesTopic(),
                web,
                config.ingestHttpPort() == 0
                        ? "off"
                        : "http://"
                                + HttpService.LOOPBACK
                                + ":"
                                + config.ingestHttpPort()
                                + "/metrics",
                historyDir(),
                LIVE_CATALOG,
                config.dataDir());
    }

    /**
     * The dashboard's configuration. Its HTTP server listens on {@code --bind} (loopback by
     * default); the platform's other servers stay on loopback whatever {@code --bind} says.
     */
    private DashboardConfig dashboardConfig() {
        return DashboardConfig.builder()
                .httpPort(config.httpPort())
                .httpBind(config.bind())
                .kafka(kafkaConfig)
                .city(city)
                .history(historyStore())
                .liveCatalog(LIVE_CATALOG)
                .build();
    }

    /** The bridge for the platform's {@code /health}: down naming what it lacks. */
    private Health.Dependency bridgeHealth() {
        Health h = bridge.health();
        return Health.Dependency.of(
                "bridge",
                h.up(),
                h.down().stream()
                        .map(d -> d.name() + ": " + d.detail())
                        .collect(Collectors.joining("; ")));
    }

    /**
     * The users of the embedded MQTT broker (empty with {@code --mqtt-url}): tests and tools use it
     * to add devices or log in as the simulator's gateway user.
     */
    public Optional<MqttCredentials> mqttCredentials() {
        return Optional.ofNullable(mqttUsers);
    }

    /** The host part of a URL for a server listening on {@code bind}. */
    static String urlHost(String bind) {
        try {
            InetAddress a = InetAddress.getByName(bind);
            if (a.isLoopbackAddress()) {
                return "localhost";
            }
            if (a.isAnyLocalAddress()) {
                // Every interface: the name other machines on the LAN know this one by.
                return InetAddress.getLocalHost().getCanonicalHostName();
            }
            return a instanceof Inet6Address && bind.contains(":") ? "[" + bind + "]" : bind;
        } catch (UnknownHostException e) {
            return bind;
        }
    }

    private Path historyDir() {
        return config.dataDir().resolve("history");
    }

    /** The history store of the job and the dashboard: GeoMesa FileSystem under the data dir. */
    private Optional<StoreConfig> historyStore() {
        return Optional.of(StoreConfig.FileSystem.parquet(historyDir().toString()));
    }

    private Simulator startSimulator() {
        SimulatorConfig simulated =
                SimulatorConfig.builder()
                        .mqtt(
                                mqttUsers == null
                                        ? MqttConfig.anonymous(mqttUrl)
                                        : new MqttConfig(
                                                mqttUrl,
                                                mqttUsers.simulatorUser(),
                                                mqttUsers.simulatorPassword()))
                        .city(city)
                        .rate(config.rate())
                        .sensors(config.sensors())
                        .backfill(config.backfill())
                        .build();
        Simulator simulator = new Simulator(simulated, Clock.systemUTC(), sent);
        Thread t = new Thread(simulator, "simulator");
        t.setDaemon(true);
        t.start();
        return simulator;
    }

    /** Something that starts and can be stopped. */
    @FunctionalInterface
    private interface Starter<T extends AutoCloseable> {
        T start() throws Exception;
    }

    private <T extends AutoCloseable> T step(String name, Starter<T> starter) throws Exception {
        out.printf("  starting %-28s ", name + " ...");
        out.flush();
        long t0 = System.nanoTime();
        T component;
        try {
            component = starter.start();
        } catch (Exception e) {
            out.println("FAILED");
            throw e;
        }
        running.push(component);
        out.printf("ok (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
        return component;
    }

    private static void checkPortsFree(PlatformConfig config) {
        checkPortFree(config.kafkaPort(), PlatformConfig.KAFKA_PORT);
        if (config.embeddedMqtt()) {
            checkPortFree(config.mqttPort(), PlatformConfig.MQTT_PORT);
        }
        checkPortFree(config.httpPort(), PlatformConfig.HTTP_PORT);
        if (config.ingestHttpPort() != 0) {
            checkPortFree(config.ingestHttpPort(), PlatformConfig.INGEST_HTTP_PORT);
        }
    }

    private static void checkPortFree(int port, ConfigOption<Integer> option) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new ConfigException(
                    "Port "
                            + port
                            + " is already in use: stop what listens there, or choose another port"
                            + " with "
                            + option.flag()
                            + " (or "
                            + option.environmentVariable()
                            + ").");
        }
    }

    public String mqttUrl() {
        return mqttUrl;
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    /** The embedded Kafka broker: for fault-injection tests. */
    KafkaBroker kafkaBroker() {
        return kafka;
    }

    /** The embedded MQTT broker, or null with {@code --mqtt-url}: for fault-injection tests. */
    MqttBroker mqttBroker() {
        return mqtt;
    }

    /** The dashboard's HTTP port: for tests. */
    int dashboardPort() {
        return dashboard.port();
    }

    /** The aggregation job: for tests. */
    LocalFlinkJob flinkJob() {
        return flink;
    }

    /** The bridge: for tests. */
    IngestService bridge() {
        return bridge;
    }

    /** Restarts of a broker by the supervisor so far. */
    int restarts(BrokerProcess broker) {
        return supervisor.restarts(broker);
    }

    /**
     * Stops every started component, newest first, each within {@link #COMPONENT_STOP_TIMEOUT}: a
     * component whose broker is already gone (GeoMesa's Kafka clients wait a minute per call for a
     * dead Kafka) is left behind with a warning, so Ctrl-C always ends the demo.
     */
    @Override
    public void close() {
        while (!running.isEmpty()) {
            AutoCloseable c = running.pop();
            Thread stopper =
                    new Thread(
                            () -> {
                                try {
                                    c.close();
                                } catch (Exception e) {
                                    LOG.warn("Stopping {} failed: {}", c, e.getMessage());
                                }
                            },
                            "stop-" + c.getClass().getSimpleName());
            stopper.setDaemon(true);
            stopper.start();
            try {
                stopper.join(COMPONENT_STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (stopper.isAlive()) {
                LOG.warn(
                        "{} did not stop within {} s; going on without it",
                        c.getClass().getSimpleName(),
                        COMPONENT_STOP_TIMEOUT.toSeconds());
            }
        }
        if (flink != null) {
            // The counterpart of the start's "restored from" line.
            flink.savedTo()
                    .ifPresent(
                            savepoint ->
                                    out.printf(
                                            "    open windows saved to %s%n",
                                            config.dataDir().relativize(savepoint)));
        }
    }
}
