package org.smartcity.dashboard;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.geotools.api.data.DataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.http.Health;
import org.smartcity.core.http.HealthProbe;
import org.smartcity.core.http.HttpEndpoints;
import org.smartcity.core.http.KafkaHealth;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.sinks.AggregateSchema;
import org.smartcity.sinks.DataStores;
import org.smartcity.sinks.StoreConfig;

/**
 * The dashboard: one HTTP server (the JDK's) with the live map page, OGC API - Features over the
 * history store, the live layer and the sensors, the page's {@code /api} endpoints, {@code
 * /metrics} and {@code /health}. See the module's README for every endpoint.
 *
 * <p>Start-up opens the stores (creating the feature types if missing, so a dashboard started
 * before the aggregation job still sees its first writes), starts following the readings topics and
 * binds the port; it takes a second or two. {@link #close()} stops it all. Embeddable: the local
 * platform runs one in its JVM.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    /** How often live stream clients get a status event. */
    static final Duration STATUS_INTERVAL = Duration.ofSeconds(5);

    /** How long a live stream stays silent before a heartbeat comment. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    /** Live stream clients served at once; more get a 503. */
    static final int MAX_STREAM_CLIENTS = 500;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** How often Kafka and the history store are checked for {@code /health}. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    /** How long a check may take before the dependency counts as down. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private HttpServer server;
    private DataStore history;
    private LiveLayer live;
    private ReadingsMonitor monitor;
    private HealthProbe kafkaProbe;
    private HealthProbe historyProbe;
    private final List<Supplier<Health.Dependency>> extraHealth = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    private DashboardServer() {}

    /**
     * Starts a dashboard.
     *
     * @throws IllegalStateException when the HTTP port is taken, naming {@code --http-port}
     * @throws IOException when a store cannot be opened
     */
    public static DashboardServer start(DashboardConfig config) throws IOException {
        DashboardServer d = new DashboardServer();
        try {
            d.startAll(config);
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void startAll(DashboardConfig config) throws IOException {
        long t0 = System.nanoTime();
        // Bind first: a taken port is the commonest mistake, and reported before anything opens.
        server = HttpEndpoints.bind(config.httpBind(), config.httpPort());
        resources.push(() -> server.stop(0));
        Zoning zoning = Zoning.create(config.zoning());

        LiveStream stream = new LiveStream(HEARTBEAT, MAX_STREAM_CLIENTS);
        resources.push(stream);
        monitor =
                new ReadingsMonitor(config.kafka(), Clock.systemUTC(), config.silentAfter(), null);
        resources.push(monitor);
        kafkaProbe = kafkaProbe(config.kafkaBootstrap());
        AggregateFeatures aggregates = new AggregateFeatures(zoning);

        if (config.history().isPresent()) {
            StoreConfig store = config.history().get();
            history =
                    DataStores.openWithSchema(
                            store, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
            DataStore h = history;
            resources.push(h::dispose);
            historyProbe =
                    HealthProbe.start(
                            "history", PROBE_INTERVAL, PROBE_TIMEOUT, () -> checkHistory(h, store));
            resources.push(historyProbe);
        }
        // The API object publishes live changes; the layer is opened after it exists.
        DashboardApi[] api = new DashboardApi[1];
        if (config.live().isPresent()) {
            live =
                    LiveLayer.open(
                            config.live().get(),
                            changed -> {
                                DashboardApi a = api[0];
                                if (a != null) {
                                    a.publishLive(changed);
                                }
                            });
            resources.push(live);
        }
        FeaturesApi features =
                new FeaturesApi(
                        config.zoning().cityId(),
                        config.cityArea(),
                        history,
                        live,
                        monitor,
                        aggregates);
        api[0] = new DashboardApi(config, zoning, features, aggregates, live, stream, monitor);
        DashboardMetrics metrics = new DashboardMetrics(stream, live, monitor);
        metrics.bindTo(registry);
        monitor.start();

        StaticFiles files = new StaticFiles();
        Router router = new Router(metrics);
        router.get("/", r -> root(r, files, features))
                .get("/conformance", features::conformance)
                .get("/collections", features::collections)
                .get("/collections/{collectionId}", features::collection)
                .get("/collections/{collectionId}/items", features::items)
                .get("/collections/{collectionId}/items/{featureId}", features::item)
                .get("/api/timeseries", api[0]::timeseries)
                .get("/api/live", api[0]::live)
                .get("/api/live/stream", api[0]::liveStream)
                .get("/api/status", api[0]::status)
                .get("/api/config", api[0]::config)
                .get("/api/zones/districts", api[0]::districts)
                .get("/metrics", r -> HttpEndpoints.metrics(registry::scrape).handle(r.exchange()))
                .get("/health", r -> HttpEndpoints.health(this::health).handle(r.exchange()))
                .get("/webjars/{path*}", r -> file(r, files.webjar(r.var("path")), true))
                .get("/static/{path*}", r -> file(r, files.page(r.var("path")), false))
                .get("/{file}", r -> file(r, files.page(r.var("file")), false));
        server.createContext("/", router);
        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads("dashboard-http"));
        resources.push(executor::shutdownNow);
        server.setExecutor(executor);
        ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(daemonThreads("dashboard-status"));
        resources.push(scheduler::shutdownNow);
        DashboardApi statusSource = api[0];
        scheduler.scheduleAtFixedRate(
                () -> {
                    try {
                        statusSource.publishStatus();
                    } catch (RuntimeException e) {
                        LOG.warn("Status event failed: {}", e.toString());
                    }
                },
                STATUS_INTERVAL.toMillis(),
                STATUS_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        server.start();
        running = true;
        LOG.info(
                "Dashboard on http://{}:{}/ (started in {} ms): history {}, live layer {}",
                config.httpBind(),
                port(),
                (System.nanoTime() - t0) / 1_000_000,
                config.history().map(StoreConfig::describe).orElse("none"),
                config.live().map(StoreConfig::describe).orElse("none"));
    }

    /** {@code /}: the page for a browser, the landing page for an API client. */
    private static void root(Router.Request r, StaticFiles files, FeaturesApi features)
            throws IOException {
        String f = r.params().format(null, "json", "html");
        String accept = r.header("Accept");
        boolean wantsJson =
                "json".equals(f)
                        || (f == null
                                && accept != null
                                && accept.toLowerCase(Locale.ROOT).contains("application/json")
                                && !accept.toLowerCase(Locale.ROOT).contains("text/html"));
        if (wantsJson) {
            features.landing(r);
        } else {
            StaticFiles.File page = files.index();
            r.exchange().getResponseHeaders().set("Cache-Control", "no-cache");
            r.send(200, page.contentType(), page.bytes());
        }
    }

    private static void file(Router.Request r, StaticFiles.File file, boolean immutable)
            throws IOException {
        if (file == null) {
            throw ApiException.notFound("no file at " + r.exchange().getRequestURI().getRawPath());
        }
        // WebJar paths carry their version, so they never change; the page's own files may.
        r.exchange()
                .getResponseHeaders()
                .set(
                        "Cache-Control",
                        immutable ? "public, max-age=31536000, immutable" : "no-cache");
        r.send(200, file.contentType(), file.bytes());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The port the dashboard serves on (the bound one when configured with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Up while serving with every dependency up (see {@link #health()}). */
    public boolean isHealthy() {
        return health().up();
    }

    /**
     * The dashboard's dependencies as {@code /health} reports them: the server itself, Kafka (a
     * metadata request every {@link #PROBE_INTERVAL}, never one per request), the history store
     * (listed as often), the live layer (open, and its Kafka reachable), the readings monitor
     * (consuming, or waiting to restart after a failure), then whatever {@link #addHealth} added.
     */
    public Health health() {
        List<Health.Dependency> deps = new ArrayList<>();
        deps.add(Health.Dependency.of("server", running, "stopped"));
        Health.Dependency kafka =
                kafkaProbe == null
                        ? Health.Dependency.down("kafka", "not started")
                        : kafkaProbe.dependency();
        deps.add(kafka);
        if (historyProbe != null) {
            deps.add(historyProbe.dependency());
        }
        if (live != null) {
            deps.add(
                    !live.isOpen()
                            ? Health.Dependency.down("live-layer", "live layer not open")
                            : kafka.up()
                                    ? Health.Dependency.up("live-layer")
                                    : Health.Dependency.down(
                                            "live-layer", "its Kafka is unreachable"));
        }
        deps.add(
                monitor == null
                        ? Health.Dependency.down(ReadingsMonitor.NAME, "not started")
                        : monitor.dependency());
        for (Supplier<Health.Dependency> extra : extraHealth) {
            deps.add(extra.get());
        }
        return new Health(deps);
    }

    /**
     * Adds a dependency to {@code /health}, e.g. a broker the embedding platform supervises; the
     * supplier is called on every {@code /health} request, so it must be cheap and not block.
     */
    public void addHealth(Supplier<Health.Dependency> dependency) {
        extraHealth.add(Objects.requireNonNull(dependency));
    }

    private HealthProbe kafkaProbe(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "smartcity-dashboard-health");
        HealthProbe probe = KafkaHealth.probe(p, PROBE_INTERVAL, PROBE_TIMEOUT.dividedBy(2));
        resources.push(probe);
        return probe;
    }

    /**
     * A cheap look at the history store: its type list (a catalog read for a distributed store; a
     * directory listing for files, whose root must still be there).
     */
    private static void checkHistory(DataStore store, StoreConfig config) throws IOException {
        if (config instanceof StoreConfig.FileSystem fs
                && !fs.path().contains("://")
                && !Files.isDirectory(Path.of(fs.path()))) {
            throw new IOException("directory " + fs.path() + " is gone");
        }
        if (!List.of(store.getTypeNames()).contains(AggregateSchema.HISTORY_TYPE)) {
            throw new IOException("type " + AggregateSchema.HISTORY_TYPE + " is missing");
        }
    }

    /** The meters, in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        running = false;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                LOG.warn("Error while stopping the dashboard: {}", e.toString());
            }
        }
        registry.close();
    }
}
