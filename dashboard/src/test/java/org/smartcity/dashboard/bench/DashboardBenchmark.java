package org.smartcity.dashboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.geotools.api.data.DataStore;
import org.locationtech.jts.geom.Envelope;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.bench.BenchRun;
import org.smartcity.core.bench.BenchValues;
import org.smartcity.core.bench.Percentiles;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.dashboard.DashboardConfig;
import org.smartcity.dashboard.DashboardServer;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;

/**
 * Measures the dashboard on this machine against the two targets of its issue: an items query
 * (district-sized box, one day, one metric) over a million stored aggregates answered with p99 <=
 * 200 ms, and a live update reaching a server-sent-events client within 1 s (p99) of being written
 * to the live layer. Not a test: speed depends on the machine, so it is run by hand and its table
 * goes into the README.
 *
 * <p>Run from the repository root (after {@code ./mvnw install -DskipTests} once):
 *
 * <pre>
 * ./mvnw -q -pl dashboard -Pbench test-compile exec:exec
 * </pre>
 *
 * <p>The {@code bench} profile of {@code dashboard/pom.xml} runs this class in a JVM of its own
 * (heap {@code -Dbench.heap}, 2g by default) on the test class path. {@code -Dbench.args="--quick"}
 * makes a short run, {@code -Dbench.args="--help"} lists the options. Progress goes to stderr, the
 * results (markdown) to stdout.
 *
 * <ol>
 *   <li>A Kafka broker starts in a child JVM (the dashboard follows the readings topics, and the
 *       live layer lives there).
 *   <li>{@link HistoryLoad} fills a GeoMesa FileSystem store (Parquet, daily partitions) with
 *       {@link BenchNetwork}'s aggregates, timed on its own, or reuses {@code --store-dir}.
 *   <li>A {@link DashboardServer} starts on both stores. Items requests with a district's bounding
 *       box, one Kunming day ({@code +08:00}, so two UTC partitions) and one metric, chosen at
 *       random (seeded), are sent one after the other with {@link HttpClient}, GeoJSON and CSV
 *       alternating; after warm-up requests, each is timed from sending to the last byte of the
 *       body.
 *   <li>Live updates: for each client count, that many {@link SseClient}s follow {@code
 *       /api/live/stream}; a writer (the sink's path into the GeoMesa Kafka DataStore) writes a
 *       burst of every zone's next 1-minute window of all nine metrics every few seconds, in the
 *       sink's batches of {@value #SINK_BATCH_SIZE}, and a trickle of corrections (the next
 *       revision of a zone's window) in between. Each aggregate's latency is its arrival at a
 *       client minus the moment its batch's writer was closed (flushed).
 * </ol>
 */
public final class DashboardBenchmark {
    static final String COMMAND = "./mvnw -q -pl dashboard -Pbench test-compile exec:exec";

    private static final ZoneOffset KUNMING = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(KUNMING);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Features per write, as the Flink sink batches them ({@code GeoMesaSink.DEFAULT_BATCH_SIZE}):
     * spelled out here because the dashboard, which only reads the store, does not depend on the
     * sinks module.
     */
    static final int SINK_BATCH_SIZE = 1_000;

    /** How long clients may take to receive the last writes of a live run. */
    private static final Duration LIVE_DRAIN = Duration.ofSeconds(15);

    private final BenchOptions options;
    private final PrintStream progress = System.err;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Zoning zoning = Zoning.kunming();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private KafkaBroker kafka;
    private ProcessHandle broker;

    /**
     * The first live window of the next run: runs share the live layer, and the dashboard streams
     * only emissions newer than those it sent (a later run starting at "now" again would replay
     * older windows, which the page is never sent).
     */
    private long nextLiveWindow = Long.MIN_VALUE;

    private DashboardBenchmark(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options =
                BenchRun.parseOrExit(
                        "DashboardBenchmark", BenchOptions.USAGE, args, BenchOptions::parse);
        if (options == null) {
            return;
        }
        try {
            new DashboardBenchmark(options).run();
        } catch (IllegalArgumentException e) {
            // A --store-dir that cannot be used: found before any figure was taken.
            System.err.println("DashboardBenchmark: " + e.getMessage());
            System.exit(2);
        }
        // Kafka's and GeoMesa's non-daemon threads would keep the JVM alive.
        System.exit(0);
    }

    /** Timed items requests of one format. */
    record Queries(
            String format,
            List<Double> millis,
            List<Integer> matched,
            List<Integer> returned,
            long bytes,
            String load) {}

    /** One live run. */
    record Live(
            int clients,
            long written,
            long bursts,
            int burstSize,
            List<Double> burstMillis,
            List<Double> trickleMillis,
            List<Double> fromWriteMillis,
            long missing,
            long early,
            long duplicates,
            long dropped,
            double jvmCpu,
            double brokerCpu,
            String load) {}

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("dashboard-bench-");
        progress.printf(
                "Benchmark data in %s; %s; load %s%n",
                dir, BenchMachine.describe(), BenchMachine.loadAverage());
        HistoryLoad.Loaded loaded = null;
        List<Queries> queries = List.of();
        List<Live> live = new ArrayList<>();
        String catalog = "bench-live-" + run;
        try {
            kafka = KafkaBroker.start(0, dir.resolve("kafka"));
            broker = ProcessHandle.of(kafka.pid()).orElseThrow();
            progress.printf("Kafka up: %s%n", kafka);
            if (options.query()) {
                Path store =
                        options.storeDir() != null ? options.storeDir() : dir.resolve("history");
                loaded = HistoryLoad.loadOrReuse(store, options, zoning, progress);
                if (options.compact()) {
                    loaded = HistoryLoad.compact(loaded, progress);
                    progress.printf("Compacted in %.1f s%n", loaded.compactSeconds());
                }
                progress.printf(
                        "History: %,d rows (%,d corrections) over %d days, %,d Parquet files,"
                                + " %,d MB; %s %.1f s; load %s%n",
                        loaded.rows(),
                        loaded.corrections(),
                        loaded.days(),
                        loaded.files(),
                        loaded.bytes() >> 20,
                        loaded.reused() ? "loaded earlier in" : "loaded in",
                        loaded.seconds(),
                        BenchMachine.loadAverage());
            }
            long t0 = System.nanoTime();
            try (DashboardServer server =
                    DashboardServer.start(
                            DashboardConfig.fromFlags(
                                    "--http-port",
                                    "0",
                                    "--kafka-bootstrap",
                                    kafka.bootstrapServers(),
                                    "--store-history",
                                    loaded == null ? "none" : loaded.dir().toString(),
                                    "--store-live-catalog",
                                    options.live() ? catalog : "none"))) {
                progress.printf(
                        "Dashboard up on port %d in %d ms%n",
                        server.port(), (System.nanoTime() - t0) / 1_000_000);
                String base = "http://localhost:" + server.port();
                if (loaded != null) {
                    queries = queries(base, loaded);
                }
                if (options.live()) {
                    StoreConfig store = StoreConfig.Kafka.local(kafka.bootstrapServers(), catalog);
                    for (int clients : options.clients()) {
                        live.add(live(base, server, store, clients));
                    }
                }
            }
            System.out.print(report(loaded, queries, live));
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            BenchRun.delete(dir);
        }
    }

    // ------------------------------------------------------------------ items query

    private List<Queries> queries(String base, HistoryLoad.Loaded loaded) throws Exception {
        if (loaded.fullDays() < 1) {
            throw new IllegalArgumentException(
                    "--aggregates " + options.aggregates() + " does not fill one day: raise it");
        }
        List<Zone> districts = new ArrayList<>(zoning.districts());
        Metric[] metrics = Metric.values();
        SplittableRandom random = new SplittableRandom(options.seed());
        int total = options.warmupRequests() + options.requests();
        Map<String, Queries> byFormat = new HashMap<>();
        for (String f : List.of("json", "csv")) {
            byFormat.put(
                    f,
                    new Queries(
                            f, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), 0, null));
        }
        long[] bytes = new long[2];
        progress.printf(
                "Items queries: %d warm-up, then %d timed, of each format ...%n",
                options.warmupRequests(), options.requests());
        for (int i = 0; i < total; i++) {
            Zone district = districts.get(random.nextInt(districts.size()));
            Envelope box = zoning.geometry(district).getEnvelopeInternal();
            long day = loaded.dayStart(random.nextInt(loaded.fullDays()));
            Metric metric = metrics[random.nextInt(metrics.length)];
            String datetime =
                    LOCAL.format(Instant.ofEpochMilli(day))
                            + "/"
                            + LOCAL.format(Instant.ofEpochMilli(day + BenchNetwork.DAY - 1));
            String query =
                    String.format(
                            Locale.ROOT,
                            "bbox=%.4f,%.4f,%.4f,%.4f&datetime=%s&metric=%s&limit=100",
                            box.getMinX(),
                            box.getMinY(),
                            box.getMaxX(),
                            box.getMaxY(),
                            URLEncoder.encode(datetime, StandardCharsets.UTF_8),
                            metric.id());
            // Both formats of the same query, in turn, so a burst of load elsewhere hits both.
            for (String f : List.of("json", "csv")) {
                String url =
                        base
                                + "/collections/city_aggregates/items?"
                                + query
                                + (f.equals("csv") ? "&f=csv" : "");
                long start = System.nanoTime();
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(url)).build(),
                                HttpResponse.BodyHandlers.ofString());
                double ms = (System.nanoTime() - start) / 1e6;
                if (r.statusCode() != 200) {
                    throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
                }
                if (i < options.warmupRequests()) {
                    continue;
                }
                Queries q = byFormat.get(f);
                q.millis().add(ms);
                if (f.equals("json")) {
                    var body = JSON.readTree(r.body());
                    q.matched().add(body.get("numberMatched").asInt());
                    q.returned().add(body.get("numberReturned").asInt());
                    bytes[0] += r.body().length();
                } else {
                    q.returned().add((int) r.body().lines().count() - 1);
                    bytes[1] += r.body().length();
                }
            }
        }
        String load = BenchMachine.loadAverage();
        List<Queries> out = new ArrayList<>();
        int k = 0;
        for (String f : List.of("json", "csv")) {
            Queries q = byFormat.get(f);
            out.add(
                    new Queries(
                            f,
                            q.millis(),
                            q.matched(),
                            q.returned(),
                            bytes[k++] / options.requests(),
                            load));
            progress.printf(
                    Locale.ROOT,
                    "  %s: p50 %.1f ms, p99 %.1f ms, max %.1f ms; load %s%n",
                    f,
                    percentile(q.millis(), 50),
                    percentile(q.millis(), 99),
                    Collections.max(q.millis()),
                    load);
        }
        return out;
    }

    // ------------------------------------------------------------------ live updates

    /** A zone of one metric in the live layer, and the newest window written for it. */
    /** A zone of the live network and its newest window (also {@link HistoryBenchmark}'s). */
    static final class LiveZone {
        final Metric metric;
        final Zone zone;
        ZoneAggregate current;

        LiveZone(Metric metric, Zone zone) {
            this.metric = metric;
            this.zone = zone;
        }
    }

    private Live live(String base, DashboardServer server, StoreConfig store, int clientCount)
            throws Exception {
        BenchNetwork network = new BenchNetwork(zoning, options.liveSensors(), options.seed() + 1);
        List<LiveZone> zones = new ArrayList<>();
        network.zonesByMetric().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(
                        e ->
                                e.getValue().stream()
                                        .sorted(Comparator.comparing(Zone::id))
                                        .forEach(z -> zones.add(new LiveZone(e.getKey(), z))));
        progress.printf(
                "Live: %d SSE client(s), bursts of %,d aggregates every %d s and %d corrections/s"
                        + " for %d s ...%n",
                clientCount,
                zones.size(),
                options.burstSeconds(),
                options.tricklePerSecond(),
                options.liveSeconds());
        List<SseClient> clients = new ArrayList<>();
        DataStore writerStore =
                DataStores.openWithSchema(
                        store, StoreConfig.Access.WRITE, AggregateSchema.LIVE_TYPE);
        Map<String, Long> flushed = new HashMap<>();
        Map<String, Long> handedOver = new HashMap<>();
        Set<String> trickleKeys = new java.util.HashSet<>();
        long dropsBefore = droppedClients(server);
        long bursts = 0;
        long written = 0;
        double wallNanos;
        long jvmBefore;
        long brokerBefore;
        try {
            for (int i = 0; i < clientCount; i++) {
                clients.add(new SseClient(http, base + "/api/live/stream", "sse-client-" + i));
            }
            FeatureBatches writer =
                    new FeatureBatches(
                            writerStore, AggregateSchema.LIVE_TYPE, AggregateSchema::liveId);
            SplittableRandom random = new SplittableRandom(options.seed() + clientCount);
            long begin = System.nanoTime();
            long end = begin + TimeUnit.SECONDS.toNanos(options.liveSeconds());
            long measureFrom = begin + TimeUnit.SECONDS.toNanos(options.liveWarmupSeconds());
            long burstEvery = TimeUnit.SECONDS.toNanos(options.burstSeconds());
            long trickleEvery =
                    options.tricklePerSecond() == 0
                            ? Long.MAX_VALUE
                            : TimeUnit.SECONDS.toNanos(1) / options.tricklePerSecond();
            // Windows of "now": each burst closes the next minute, as a job would once a minute.
            long window =
                    Math.max(
                            nextLiveWindow,
                            Math.floorDiv(System.currentTimeMillis(), BenchNetwork.MINUTE)
                                    * BenchNetwork.MINUTE);
            long nextBurst = begin;
            long nextTrickle = begin + trickleEvery;
            jvmBefore = BenchMachine.cpuNanos(ProcessHandle.current());
            brokerBefore = BenchMachine.cpuNanos(broker);
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                if (now >= nextBurst) {
                    List<ZoneAggregate> burst = new ArrayList<>(zones.size());
                    for (LiveZone z : zones) {
                        z.current = aggregate(z, window, 1, random);
                        burst.add(z.current);
                    }
                    for (int from = 0; from < burst.size(); from += SINK_BATCH_SIZE) {
                        List<ZoneAggregate> batch =
                                burst.subList(from, Math.min(burst.size(), from + SINK_BATCH_SIZE));
                        long[] times = writer.write(batch, a -> Instant.now());
                        long done = System.nanoTime();
                        if (now >= measureFrom) {
                            for (int k = 0; k < batch.size(); k++) {
                                flushed.put(key(batch.get(k)), done);
                                handedOver.put(key(batch.get(k)), times[k]);
                            }
                        }
                    }
                    written += burst.size();
                    bursts++;
                    window += BenchNetwork.MINUTE;
                    nextLiveWindow = window;
                    nextBurst += burstEvery;
                } else if (now >= nextTrickle) {
                    LiveZone z = zones.get(random.nextInt(zones.size()));
                    ZoneAggregate next =
                            aggregate(
                                    z,
                                    z.current.windowStartMillis(),
                                    z.current.revision() + 1,
                                    random);
                    z.current = next;
                    long[] times = writer.write(List.of(next), a -> Instant.now());
                    long done = System.nanoTime();
                    if (now >= measureFrom) {
                        flushed.put(key(next), done);
                        handedOver.put(key(next), times[0]);
                        trickleKeys.add(key(next));
                    }
                    written++;
                    nextTrickle += trickleEvery;
                } else {
                    // Pacing the writer, not waiting for a result.
                    LockSupport.parkNanos(Math.min(nextBurst, nextTrickle) - now);
                }
            }
            wallNanos = System.nanoTime() - begin;
            long deadline = System.nanoTime() + LIVE_DRAIN.toNanos();
            while (System.nanoTime() < deadline && !allArrived(clients, flushed.keySet())) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        } finally {
            for (SseClient c : clients) {
                c.close();
            }
            writerStore.dispose();
        }
        double jvmCpu =
                100.0 * (BenchMachine.cpuNanos(ProcessHandle.current()) - jvmBefore) / wallNanos;
        double brokerCpu = 100.0 * (BenchMachine.cpuNanos(broker) - brokerBefore) / wallNanos;
        List<Double> burstMs = new ArrayList<>();
        List<Double> trickleMs = new ArrayList<>();
        List<Double> fromWrite = new ArrayList<>();
        long missing = 0;
        long early = 0;
        long duplicates = 0;
        for (SseClient c : clients) {
            duplicates += c.duplicates();
            for (Map.Entry<String, Long> e : flushed.entrySet()) {
                Long arrived = c.arrival(e.getKey());
                if (arrived == null) {
                    missing++;
                    continue;
                }
                double ms = (arrived - e.getValue()) / 1e6;
                if (ms < 0) {
                    early++;
                }
                (trickleKeys.contains(e.getKey()) ? trickleMs : burstMs).add(ms);
                fromWrite.add((arrived - handedOver.get(e.getKey())) / 1e6);
            }
        }
        Live l =
                new Live(
                        clientCount,
                        written,
                        bursts,
                        zones.size(),
                        burstMs,
                        trickleMs,
                        fromWrite,
                        missing,
                        early,
                        duplicates,
                        droppedClients(server) - dropsBefore,
                        jvmCpu,
                        brokerCpu,
                        BenchMachine.loadAverage());
        progress.printf(
                Locale.ROOT,
                "  from flush: bursts p50 %.1f ms, p99 %.1f ms; corrections p50 %.1f ms, p99 %.1f"
                        + " ms; from write(): p99 %.1f ms; %d missing; load %s%n",
                percentile(burstMs, 50),
                percentile(burstMs, 99),
                percentile(trickleMs, 50),
                percentile(trickleMs, 99),
                percentile(fromWrite, 99),
                missing,
                l.load());
        return l;
    }

    private static boolean allArrived(List<SseClient> clients, Set<String> keys) {
        for (SseClient c : clients) {
            for (String k : keys) {
                if (c.arrival(k) == null) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String key(ZoneAggregate a) {
        return SseClient.key(AggregateSchema.liveId(a), a.windowStartMillis(), a.revision());
    }

    /** A plausible aggregate of one zone and minute (its values do not matter here). */
    static ZoneAggregate aggregate(
            LiveZone z, long windowStart, int revision, SplittableRandom random) {
        long count = 1 + random.nextInt(40);
        double a =
                BenchValues.value(
                        z.metric, 1.0, windowStart, BenchNetwork.VEHICLES_OFF_PEAK, random);
        double b =
                BenchValues.value(
                        z.metric, 1.0, windowStart, BenchNetwork.VEHICLES_OFF_PEAK, random);
        double min = Math.min(a, b);
        double max = Math.max(a, b);
        double mean = (min + max) / 2;
        return new ZoneAggregate(
                z.metric,
                z.zone.kind(),
                z.zone.id(),
                windowStart,
                BenchNetwork.MINUTE,
                count,
                Math.min(count, 1 + random.nextInt(5)),
                mean,
                min,
                max,
                mean * count,
                mean,
                min + 0.95 * (max - min),
                revision,
                0);
    }

    /** The server's count of dropped stream clients, from its Prometheus text. */
    private static long droppedClients(DashboardServer server) {
        return server.scrape()
                .lines()
                .filter(l -> l.startsWith("dashboard_sse_dropped"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    // ------------------------------------------------------------------ report

    private String report(HistoryLoad.Loaded loaded, List<Queries> queries, List<Live> live) {
        StringBuilder out = new StringBuilder();
        out.append("\n## Dashboard benchmark\n\n");
        out.append("Machine: ")
                .append(BenchMachine.describe())
                .append(
                        ". The Kafka broker (child JVM), the dashboard, the writers and the"
                                + " clients (this JVM) share it, and so does whatever else runs"
                                + " there: load average (1, 5, 15 min) given per part.\n");
        if (loaded != null) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%nHistory store: GeoMesa FileSystem, Parquet, daily partitions;"
                                    + " %,d rows (%,d of them corrections, revision 2) of %d"
                                    + " sensors (9 metrics, one reading per 5 min each) in"
                                    + " %,d metric-zones (H3 cells res. 8, districts, city) with"
                                    + " 1m, 15m and 1h windows, over %d days from %s; %,d Parquet"
                                    + " files, %,d MB. Loaded in batches of %,d through the"
                                    + " sink's writer path in %.1f s (%,.0f rows/s)%s.%n",
                            loaded.rows(),
                            loaded.corrections(),
                            options.sensors(),
                            loaded.zones(),
                            loaded.days(),
                            LOCAL.format(HistoryLoad.EVENT_START).substring(0, 10),
                            loaded.files(),
                            loaded.bytes() >> 20,
                            options.batchSize(),
                            loaded.seconds(),
                            loaded.rows() / loaded.seconds(),
                            loaded.reused() ? ", in an earlier run (reused)" : ""));
            if (loaded.compactSeconds() >= 0) {
                out.append(
                        String.format(
                                Locale.ROOT,
                                "Then compacted (`--compact`: HistoryCompactor, one file per day"
                                        + " partition, each window once) in %.1f s.%n",
                                loaded.compactSeconds()));
            }
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%nItems queries: `GET /collections/city_aggregates/items?bbox=<a"
                                    + " district's bounding box>&datetime=<one Kunming day>"
                                    + "&metric=<m>&limit=100`, random district, day and metric"
                                    + " (seeded), one request at a time, %d warm-up then %d"
                                    + " timed per format, GeoJSON and CSV alternating; time ="
                                    + " request sent to last byte received; load %s:%n%n",
                            options.warmupRequests(),
                            options.requests(),
                            queries.isEmpty() ? "-" : queries.get(0).load()));
            out.append(
                    "| format | p50 ms | p90 ms | p99 ms | max ms | numberMatched min / median /"
                            + " max | returned | body bytes (mean) |\n");
            out.append("|---|--:|--:|--:|--:|---|--:|--:|\n");
            List<Integer> matched = queries.isEmpty() ? List.of() : queries.get(0).matched();
            for (Queries q : queries) {
                out.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %.1f | %.1f | %.1f | %.1f | %s | %s | %,d |%n",
                                q.format().equals("json") ? "GeoJSON" : "CSV (`f=csv`)",
                                percentile(q.millis(), 50),
                                percentile(q.millis(), 90),
                                percentile(q.millis(), 99),
                                Collections.max(q.millis()),
                                matched.isEmpty()
                                        ? "-"
                                        : String.format(
                                                Locale.ROOT,
                                                "%,d / %,d / %,d",
                                                Collections.min(matched),
                                                (int) percentile(matched, 50),
                                                Collections.max(matched)),
                                range(q.returned()),
                                q.bytes()));
            }
            double p99 = percentile(queries.get(0).millis(), 99);
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%nTarget p99 <= 200 ms (GeoJSON): %s.%n",
                            p99 <= 200
                                    ? "met (" + fmt(p99) + " ms)"
                                    : "missed (" + fmt(p99) + " ms)"));
        }
        if (!live.isEmpty()) {
            Live first = live.get(0);
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%nLive updates: a writer on the sink's path into the live layer"
                                    + " (GeoMesa Kafka DataStore) writes a burst of %,d"
                                    + " aggregates (the next 1-minute window of every zone of %d"
                                    + " sensors, all 9 metrics) every %d s, in batches of"
                                    + " %,d, and %d corrections/s in between; every client follows"
                                    + " `/api/live/stream` unfiltered, so each gets every"
                                    + " aggregate. Latency = the event's data line read by the"
                                    + " client - the batch's writer closed (flushed), and - the"
                                    + " feature's write() returned (an upper bound: it includes"
                                    + " the wait for the rest of the batch); %d s per run, the"
                                    + " first %d s not measured:%n%n",
                            first.burstSize(),
                            options.liveSensors(),
                            options.burstSeconds(),
                            SINK_BATCH_SIZE,
                            options.tricklePerSecond(),
                            options.liveSeconds(),
                            options.liveWarmupSeconds()));
            out.append(
                    "| SSE clients | aggregates | samples | from flush: p50 / p99 / max ms |"
                            + " from write(): p50 / p99 / max ms | corrections from flush: p50 /"
                            + " p99 ms | delivered before the flush returned | missing | dropped"
                            + " clients | CPU this JVM / Kafka | load |\n");
            out.append("|--:|---|--:|---|---|---|--:|--:|--:|---|---|\n");
            for (Live l : live) {
                List<Double> all = new ArrayList<>(l.burstMillis());
                all.addAll(l.trickleMillis());
                out.append(
                        String.format(
                                Locale.ROOT,
                                "| %d | %,d in %d bursts + corrections | %,d | %s | %s | %.1f /"
                                        + " %.1f | %,d | %,d | %d | %.0f%% / %.0f%% | %s |%n",
                                l.clients(),
                                l.written(),
                                l.bursts(),
                                all.size(),
                                triple(all),
                                triple(l.fromWriteMillis()),
                                percentile(l.trickleMillis(), 50),
                                percentile(l.trickleMillis(), 99),
                                l.early(),
                                l.missing(),
                                l.dropped(),
                                l.jvmCpu(),
                                l.brokerCpu(),
                                l.load()));
            }
            double worst =
                    live.stream()
                            .mapToDouble(l -> percentile(l.fromWriteMillis(), 99))
                            .max()
                            .orElse(Double.NaN);
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%nTarget p99 <= 1 s (from write(), the stricter measure): %s.%n",
                            worst <= 1000
                                    ? "met (at most " + fmt(worst) + " ms)"
                                    : "missed (" + fmt(worst) + " ms)"));
        }
        out.append("\nReproduce: `").append(COMMAND);
        if (!options.args().isEmpty()) {
            out.append(" -Dbench.args=\"").append(String.join(" ", options.args())).append("\"");
        }
        out.append("`\n");
        return out.toString();
    }

    private static String triple(List<Double> values) {
        return values.isEmpty()
                ? "-"
                : String.format(
                        Locale.ROOT,
                        "%.1f / %.1f / %.1f",
                        percentile(values, 50),
                        percentile(values, 99),
                        Collections.max(values));
    }

    private static String range(List<Integer> values) {
        if (values.isEmpty()) {
            return "-";
        }
        int min = Collections.min(values);
        int max = Collections.max(values);
        return min == max ? Integer.toString(min) : min + "-" + max;
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms);
    }

    /** The nearest-rank percentile ({@link Percentiles}), or NaN for no values. */
    static <T extends Number & Comparable<? super T>> double percentile(List<T> values, double p) {
        T v = Percentiles.nearestRank(values, p);
        return v == null ? Double.NaN : v.doubleValue();
    }
}
