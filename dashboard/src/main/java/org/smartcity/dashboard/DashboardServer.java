package org.smartcity.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.EndpointNotFound;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.geotools.api.data.DataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.AggregateId;
import org.smartcity.core.http.Health;
import org.smartcity.core.http.HealthProbe;
import org.smartcity.core.http.HttpErrors;
import org.smartcity.core.http.HttpService;
import org.smartcity.core.http.KafkaHealth;
import org.smartcity.core.http.ServiceMeters;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;

/**
 * The dashboard: one HTTP server ({@link HttpService}) with the live map page, OGC API - Features
 * over the history store, the live layer and the sensors, the page's {@code /api} endpoints, {@code
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

    /**
     * How long a live stream stays silent before a heartbeat comment: within the connection's idle
     * timeout, so that a quiet stream is never taken for a dead connection.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(HttpService.IDLE_TIMEOUT_SECONDS / 2);

    /** Where the page's files are on the class path. */
    static final String PAGE_ROOT = "org/smartcity/dashboard/static";

    /** Shown when the page was not built into this jar, so {@code /} still says something. */
    private static final String PLACEHOLDER =
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Smart-city"
                    + " dashboard</title></head><body><h1>Smart-city dashboard</h1><p>The"
                    + " dashboard page is not part of this build. The APIs work: <a"
                    + " href=\"/?f=json\">landing page</a>, <a"
                    + " href=\"/collections\">collections</a>, <a"
                    + " href=\"/api/live\">/api/live</a>, <a"
                    + " href=\"/api/status\">/api/status</a>.</p></body></html>";

    /** Content types of the page's and the WebJars' files, by extension. */
    private static final Map<String, String> MEDIA_TYPES =
            Map.ofEntries(
                    Map.entry("html", "text/html; charset=utf-8"),
                    Map.entry("js", "text/javascript; charset=utf-8"),
                    Map.entry("mjs", "text/javascript; charset=utf-8"),
                    Map.entry("css", "text/css; charset=utf-8"),
                    Map.entry("json", "application/json"),
                    Map.entry("map", "application/json"),
                    Map.entry("svg", "image/svg+xml"),
                    Map.entry("txt", "text/plain; charset=utf-8"));

    /** Live stream clients served at once; more get a 503. */
    static final int MAX_STREAM_CLIENTS = 500;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** How often Kafka and the history store are checked for {@code /health}. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    /** How long a check may take before the dependency counts as down. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final ServiceMeters serviceMeters = new ServiceMeters();
    private HttpService http;
    private DataStore history;
    private LiveLayer live;
    private ReadingsMonitor monitor;
    private AlertFeed alertFeed;
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
        Zoning zoning = Zoning.create(config.zoning());
        serviceMeters.bindTo(registry);
        resources.push(serviceMeters);

        LiveStream stream = new LiveStream(HEARTBEAT, MAX_STREAM_CLIENTS);
        resources.push(stream);
        Properties consumerProperties = ReadingsMonitor.consumerProperties(config.kafkaBootstrap());
        monitor =
                new ReadingsMonitor(
                        config.kafka(),
                        Clock.systemUTC(),
                        config.silentAfter(),
                        () -> {
                            KafkaConsumer<byte[], byte[]> c =
                                    new KafkaConsumer<>(consumerProperties);
                            serviceMeters.rebindKafkaClient(ReadingsMonitor.NAME, c);
                            return c;
                        });
        resources.push(monitor);
        kafkaProbe = kafkaProbe(config.kafkaBootstrap());
        AggregateFeatures aggregates = new AggregateFeatures(zoning);
        LiveFeed feed = new LiveFeed(stream, aggregates, monitor);

        List<CollectionProvider<?>> collections = new ArrayList<>();
        HistoryCollection historyCollection = null;
        IndicatorCollection indicators = null;
        StoredSensorPositions storedPositions = null;
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
            storedPositions = StoredSensorPositions.of(h, id -> monitor.sensor(id) != null);
            resources.push(storedPositions);
            historyCollection = new HistoryCollection(history, config.cityArea(), aggregates);
            collections.add(historyCollection);
            indicators =
                    new IndicatorCollection(
                            history,
                            zoning,
                            config.cityArea(),
                            config.city().timeZone(),
                            config.indicators(),
                            Duration.ofMillis(
                                    AggregateId.windowLengthMillis(config.windowLengths().get(0))),
                            Clock.systemUTC());
        }
        LiveCollection liveCollection = null;
        if (config.live().isPresent()) {
            live = LiveLayer.open(config.live().get(), feed::aggregatesChanged);
            resources.push(live);
            liveCollection = new LiveCollection(live, config.cityArea(), aggregates);
            collections.add(liveCollection);
        }
        collections.add(new SensorCollection(monitor, config.cityArea()));
        // Alerts: the job's alerts topic, followed into memory (each alert at its newest
        // revision), published on the live stream as they change. Publishing takes each alert's
        // geometry, which asks for the stored position of a sensor the monitor has not heard: the
        // positions are read while the topic is.
        AlertBook alertBook = new AlertBook();
        AlertCollection alertCollection =
                new AlertCollection(alertBook, zoning, monitor, storedPositions, config.cityArea());
        alertBook.onChange(
                a -> stream.publish("alert", Json.text(alertCollection.feature(a)), f -> true));
        collections.add(alertCollection);
        alertFeed = new AlertFeed(config.kafkaBootstrap(), config.kafka().alertsTopic(), alertBook);
        resources.push(alertFeed);
        AlertRoutes alertRoutes =
                new AlertRoutes(
                        alertBook,
                        alertCollection,
                        new CapAlerts(config.zoning().cityId()),
                        new Links(config.publicUrl()),
                        Clock.systemUTC());
        if (indicators != null) {
            collections.add(indicators);
        }
        FeaturesApi features =
                new FeaturesApi(
                        config.zoning().cityId(),
                        collections,
                        new Links(config.publicUrl()),
                        monitor::nowMillis);
        DashboardApi api =
                new DashboardApi(
                        config, zoning, historyCollection, liveCollection, stream, monitor);
        DashboardMetrics metrics = new DashboardMetrics(stream, live, monitor, alertBook);
        metrics.bindTo(registry);
        monitor.start();
        alertFeed.start();

        IndicatorCollection indicatorsCsv = indicators;
        byte[] page = page();
        http =
                HttpService.start(
                        HttpService.Options.of(config.httpBind(), config.httpPort())
                                // Each live stream client holds a request thread.
                                .maxThreads(MAX_STREAM_CLIENTS + 50)
                                .requests(metrics::request),
                        routes -> {
                            HttpService.get(routes, "/", ctx -> root(ctx, page, features));
                            features.addRoutes(routes);
                            if (indicatorsCsv != null) {
                                HttpService.get(
                                        routes, IndicatorCollection.CSV_PATH, indicatorsCsv::csv);
                            }
                            api.addRoutes(routes);
                            alertRoutes.addRoutes(routes);
                            HttpService.addOperationalRoutes(
                                    routes, registry::scrape, this::health);
                            staticFiles(routes);
                        });
        resources.push(http);
        ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(daemonThreads("dashboard-status"));
        resources.push(scheduler::shutdownNow);
        scheduler.scheduleAtFixedRate(
                () -> {
                    try {
                        feed.publishStatus();
                    } catch (RuntimeException e) {
                        LOG.warn("Status event failed: {}", e.toString());
                    }
                },
                STATUS_INTERVAL.toMillis(),
                STATUS_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        if (indicatorsCsv != null) {
            // Read the indicators' hours in the background, so that the first request after a
            // start does not wait for a year of Parquet.
            scheduler.execute(() -> warmUp(indicatorsCsv));
        }
        running = true;
        LOG.info(
                "Dashboard on http://{}:{}/ (started in {} ms): history {}, live layer {}",
                config.httpBind(),
                port(),
                (System.nanoTime() - t0) / 1_000_000,
                config.history().map(StoreConfig::describe).orElse("none"),
                config.live().map(StoreConfig::describe).orElse("none"));
    }

    private static void warmUp(IndicatorCollection indicators) {
        long t0 = System.nanoTime();
        try {
            int partitions = indicators.warmUp();
            LOG.info(
                    "Indicators: {} history partitions read in {} ms",
                    partitions,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            // Only the first request is slower: it reads what is missing itself.
            LOG.warn("Indicators: reading the history ahead failed: {}", e.toString());
        }
    }

    /**
     * {@code /}: the page for a browser, the landing page for an API client. A client that accepts
     * anything ({@code Accept: *}{@code /*}, as python-requests, OWSLib and curl send) gets the
     * landing page in JSON, the encoding the conformance classes declare; HTML goes to clients that
     * name it, ask with {@code f=html}, or send no {@code Accept} at all.
     */
    private static void root(Context ctx, byte[] page, FeaturesApi features) throws IOException {
        String f = Params.of(ctx).format(null, "json", "html");
        String accept = ctx.header("Accept");
        boolean wantsJson =
                "json".equals(f)
                        || (f == null
                                && accept != null
                                && !accept.toLowerCase(Locale.ROOT).contains("text/html"));
        if (wantsJson) {
            features.landing(ctx);
        } else {
            ctx.header("Cache-Control", "no-cache");
            HttpService.send(ctx, 200, "text/html; charset=utf-8", page);
        }
    }

    /**
     * The page, or a placeholder when it was not built into this jar, so {@code /} still says
     * something.
     */
    private static byte[] page() throws IOException {
        try (InputStream in =
                DashboardServer.class
                        .getClassLoader()
                        .getResourceAsStream(PAGE_ROOT + "/index.html")) {
            if (in != null) {
                return in.readAllBytes();
            }
        }
        return PLACEHOLDER.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The page's files from the class path at {@code /} and {@code /static/}, and the WebJars
     * (Leaflet...) at {@code /webjars/}, through Javalin's static file handler (which refuses paths
     * outside its directory). WebJar paths carry their version, so they never change; the page's
     * own files may.
     */
    private static void staticFiles(JavalinConfig config) {
        for (String hosted : List.of("/", "/static")) {
            config.staticFiles.add(
                    files -> {
                        files.hostedPath = hosted;
                        files.directory = PAGE_ROOT;
                        files.location = Location.CLASSPATH;
                        files.headers = Map.of("Cache-Control", "no-cache");
                        MEDIA_TYPES.forEach((ext, type) -> files.mimeTypes.add(type, ext));
                    });
        }
        config.staticFiles.add(
                files -> {
                    files.hostedPath = "/webjars";
                    files.directory = "META-INF/resources/webjars";
                    files.location = Location.CLASSPATH;
                    files.headers = Map.of("Cache-Control", "public, max-age=31536000, immutable");
                    MEDIA_TYPES.forEach((ext, type) -> files.mimeTypes.add(type, ext));
                });
        // A file that is not there: said so, as before, rather than "nothing at".
        config.routes.exception(
                EndpointNotFound.class,
                (e, ctx) -> {
                    String path = ctx.path();
                    String description =
                            path.startsWith("/webjars/") || path.startsWith("/static/")
                                    ? "no file at " + Params.echo(path)
                                    : "nothing at " + Params.echo(path);
                    ctx.status(404)
                            .contentType("application/json")
                            .result(HttpErrors.document(404, description));
                });
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}... */
    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The port the dashboard serves on (the bound one when configured with 0). */
    public int port() {
        return http.port();
    }

    /** The live layer's reader, or null when none is configured (for tests). */
    LiveLayer liveLayer() {
        return live;
    }

    /** The readings monitor (for tests). */
    ReadingsMonitor readingsMonitor() {
        return monitor;
    }

    /** Up while serving with every dependency up (see {@link #health()}). */
    public boolean isHealthy() {
        return health().up();
    }

    /**
     * The dashboard's dependencies as {@code /health} reports them: the server itself, Kafka (a
     * metadata request every {@link #PROBE_INTERVAL}, never one per request), the history store
     * (listed as often), the live layer (open, and its Kafka reachable), the readings monitor
     * (consuming, or waiting to restart after a failure; down with the error when its thread died
     * or once it is closed), the alerts feed (likewise), then whatever {@link #addHealth} added.
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
        deps.add(
                alertFeed == null
                        ? Health.Dependency.down(AlertFeed.NAME, "not started")
                        : alertFeed.dependency());
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
