package org.smartcity.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.brokers.MqttBroker;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.dashboard.DashboardConfig;
import org.smartcity.dashboard.DashboardServer;
import org.smartcity.ingest.IngestConfig;
import org.smartcity.ingest.IngestService;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;
import org.smartcity.simulator.Simulator;
import org.smartcity.simulator.SimulatorConfig;

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

    private final PlatformConfig config;
    private final PrintStream out;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private String mqttUrl;
    private String kafkaBootstrap;

    private LocalPlatform(PlatformConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /**
     * Starts every component; on a failure, stops what had started and rethrows.
     *
     * @throws ConfigException when a port is taken, naming the flag that sets it
     */
    public static LocalPlatform start(PlatformConfig config, PrintStream out) throws Exception {
        checkPortsFree(config);
        LocalPlatform platform = new LocalPlatform(config, out);
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
        KafkaBroker kafka =
                step(
                        "Kafka broker",
                        () ->
                                KafkaBroker.start(
                                        config.kafkaPort(), config.dataDir().resolve("kafka")));
        // The platform's Ctrl-C hook stops the brokers last, after the job's savepoint.
        kafka.ownerStopsOnShutdown();
        kafkaBootstrap = "localhost:" + kafka.port();
        if (config.embeddedMqtt()) {
            MqttBroker mqtt =
                    step(
                            "MQTT 5 broker (HiveMQ CE)",
                            () ->
                                    MqttBroker.startAnonymous(
                                            config.mqttPort(), config.dataDir().resolve("mqtt")));
            mqtt.ownerStopsOnShutdown();
            mqttUrl = "tcp://localhost:" + mqtt.port();
        } else {
            mqttUrl = config.mqttUrl();
        }
        IngestService bridge =
                step(
                        "MQTT -> Kafka bridge",
                        () ->
                                IngestService.start(
                                        IngestConfig.fromFlags(
                                                "--mqtt-url", mqttUrl,
                                                "--kafka-bootstrap", kafkaBootstrap,
                                                "--mqtt-client-id", BRIDGE_CLIENT_ID,
                                                "--http-port",
                                                        Integer.toString(
                                                                config.ingestHttpPort()))));
        bridge.awaitSubscribed(Duration.ofSeconds(60));
        JobConfig job =
                JobConfig.fromFlags(
                        "--kafka-bootstrap",
                        kafkaBootstrap,
                        "--checkpoint-interval",
                        "10s",
                        "--store-history",
                        historyDir().toString(),
                        "--store-live-catalog",
                        LIVE_CATALOG);
        LocalFlinkJob flink =
                step(
                        "Flink aggregation job",
                        () ->
                                LocalFlinkJob.start(
                                        job,
                                        config.dataDir().resolve("flink"),
                                        CityAggregationJob.historySink(job),
                                        CityAggregationJob.liveSink(job)));
        flink.restoredFrom()
                .ifPresent(
                        snapshot ->
                                out.printf(
                                        "    open windows restored from %s%n",
                                        config.dataDir().relativize(snapshot)));
        DashboardServer dashboard =
                step(
                        "Dashboard and OGC API",
                        () ->
                                DashboardServer.start(
                                        DashboardConfig.fromFlags(
                                                "--http-port",
                                                Integer.toString(config.httpPort()),
                                                "--kafka-bootstrap",
                                                kafkaBootstrap,
                                                "--store-history",
                                                historyDir().toString(),
                                                "--store-live-catalog",
                                                LIVE_CATALOG)));
        if (config.rate() > 0) {
            step("Simulated city (Kunming)", this::startSimulator);
        }
        String web = "http://localhost:" + dashboard.port();
        out.printf(
                "%nPlatform ready in %.1f s%n"
                        + "  Dashboard  %s/   (live map of Kunming)%n"
                        + "  OGC API    %s/collections   (city_aggregates, city_live, sensors)%n"
                        + "  MQTT       %s   (publish to city/kunming/{metric}/{sensorId})%n"
                        + "  Kafka      %s   (topics smartcity.readings.v1,"
                        + " smartcity.readings.rejected.v1, smartcity.aggregates.v1)%n"
                        + "  Metrics    %s/metrics   bridge: %s%n"
                        + "  Stores     history %s (GeoMesa FileSystem, Parquet),"
                        + " live layer on Kafka (catalog %s)%n"
                        + "  Data       %s%n"
                        + "Press Ctrl-C to stop.%n",
                (System.nanoTime() - t0) / 1e9,
                web,
                web,
                mqttUrl,
                kafkaBootstrap,
                web,
                config.ingestHttpPort() == 0
                        ? "off"
                        : "http://localhost:" + config.ingestHttpPort() + "/metrics",
                historyDir(),
                LIVE_CATALOG,
                config.dataDir());
    }

    private Path historyDir() {
        return config.dataDir().resolve("history");
    }

    private Simulator startSimulator() {
        Simulator simulator =
                new Simulator(
                        SimulatorConfig.parse(
                                "--mqtt-url", mqttUrl,
                                "--rate", Integer.toString(config.rate()),
                                "--sensors", Integer.toString(config.sensors())),
                        Clock.systemUTC());
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
    }
}
