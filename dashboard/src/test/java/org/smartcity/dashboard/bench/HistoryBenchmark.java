package org.smartcity.dashboard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.geotools.api.data.DataStore;
import org.locationtech.jts.geom.Envelope;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.bench.BenchRun;
import org.smartcity.core.bench.Percentiles;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.dashboard.DashboardConfig;
import org.smartcity.dashboard.DashboardServer;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoredAggregate;

/**
 * The history store over a long period (issue 10), the single type against the layout split by
 * window length (written into the single type as the sink does, split on compaction: {@link
 * org.smartcity.store.HistoryLayout}) on the same generated data: one zone's {@code 1h} series over
 * 1, 30 and 365 days (or as many as loaded); the items query (a district's box, one day, one
 * metric, first 100); every district's {@code 1d} windows of one month; and the items query again
 * while {@code --query-loops} other threads (default {@value #LOOPS}) run items queries without
 * pause (with {@code --sse-clients N}, also while N clients follow the dashboard's live stream:
 * {@link LiveLoad}). Timed through {@link HistoryQueries} as the dashboard's collections call it,
 * layouts alternating request by request so that load elsewhere on the machine hits both. Also
 * bytes on disk per aggregate, the load's write rate and CPU, and compaction time. Not a test: it
 * is run by hand and its table goes into the README.
 *
 * <pre>
 * ./mvnw -q -pl dashboard -Pbench test-compile exec:exec \
 *     -Dbench.main=org.smartcity.dashboard.bench.HistoryBenchmark \
 *     -Dbench.args="--aggregates 2000000 --sensors 4 --store-dir target/history-bench"
 * </pre>
 *
 * <p>The stores are loaded by {@link HistoryLoad} (as the sink writes them: batches of 1,000, about
 * 2% corrected) into {@code DIR/<layout>}, and reused by the next run with the same options; so a
 * long load, the compaction and the queries can be separate runs ({@code --no-query}, {@code
 * --layouts}). Progress goes to stderr, the results (markdown) to stdout.
 */
public final class HistoryBenchmark {

    static final String USAGE =
            """
            HistoryBenchmark [--aggregates N] [--sensors N] [--seed N] [--store-dir DIR]
                             [--requests N] [--warmup-requests N] [--budget-seconds N]
                             [--layouts L1,L2] [--compact] [--no-query] [--items-only]
                             [--sse-clients N] [--load-warmup-seconds N] [--query-loops N]
              --aggregates       rows per store (default 10,000,000)
              --sensors          sensors of the network (default 27: 10,000,000 rows span about
                                 a year)
              --store-dir DIR    where the stores are kept and reused (default
                                 target/history-bench)
              --requests         timed requests per query and layout (default 30)
              --warmup-requests  untimed requests first (default 3)
              --budget-seconds   stop timing a query after about this long per layout, with at
                                 least 5 requests (default 120)
              --layouts          single, by-window-length-on-compaction (split by compaction),
                                 by-window-length-direct; default the first two
              --compact          compact every finished partition first (HistoryCompactor, as
                                 the sink does once a partition is quiet)
              --no-query         load (and compact) only
              --items-only       only the items query, idle and under the query loops
              --sse-clients N    during the query loops, also N clients following the
                                 dashboard's /api/live/stream (its live layer on a Kafka broker
                                 started for the run; the clients in a JVM of their own), with
                                 every zone's next minute written every 5 s as in
                                 DashboardBenchmark (default 0)
              --load-warmup-seconds N
                                 the query loops (and SSE clients) run this long before the
                                 loaded query is timed, so that it is not timed while they
                                 start; the idle query is timed again after the load, in a
                                 warmer JVM (default 60: after 20 s the JIT still took 30%
                                 of the CPU, after 60 s 7%)
              --query-loops N    threads querying without pause during the loaded query
                                 (default 20, the issue's)
            """;

    private static final int[] SERIES_DAYS = {1, 30, 365};

    /** The items query's name in the report. */
    private static final String ITEMS = "items: district box, one day, one metric, limit 100";

    /** Where in the items requests the second idle run starts: past those timed before. */
    private static final int IDLE_AGAIN_OFFSET = 500;

    /** The items query's name in the report when timed idle after the load. */
    private static final String ITEMS_WARM = "items (as above), idle again after the load";

    /** Threads running items queries during the "under load" query, by default (the issue's). */
    static final int LOOPS = 20;

    /**
     * Threads running items queries during the "under load" query: closed loops without pause, so
     * with n of them on c cores a query waits for about (n + 1) × its CPU ÷ c whatever it costs.
     */
    private int queryLoops = LOOPS;

    private final PrintStream progress = System.err;
    private final Zoning zoning = Zoning.kunming();
    private List<String> layouts = List.of(HistoryLoad.SINGLE, HistoryLoad.SPLIT);

    /** Only the items query, idle and under the loops (for a profile of the loaded query). */
    private boolean itemsOnly;

    /** SSE clients of the live stream while the loops run (0: none, no broker started). */
    private int sseClients;

    /**
     * Seconds the load runs before the loaded query is timed: with the live stream, C2 compiled for
     * about 30% of the JVM's CPU 20 s into the load, 7% 60 s into it (2 cores).
     */
    private int loadWarmupSeconds = 60;

    public static void main(String[] args) throws Exception {
        List<String> passed = new ArrayList<>();
        long aggregates = 10_000_000;
        int sensors = 27;
        Path dir = Path.of("target/history-bench");
        int requests = 30;
        int warmup = 3;
        int budget = 120;
        long seed = 42;
        boolean compact = false;
        boolean query = true;
        HistoryBenchmark bench = new HistoryBenchmark();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--compact")) {
                compact = true;
                continue;
            }
            if (flag.equals("--no-query")) {
                query = false;
                continue;
            }
            if (flag.equals("--items-only")) {
                bench.itemsOnly = true;
                continue;
            }
            if (flag.equals("--help") || i + 1 >= args.length) {
                System.err.println(USAGE);
                System.exit(flag.equals("--help") ? 0 : 2);
            }
            String v = args[++i];
            switch (flag) {
                case "--aggregates" -> aggregates = Long.parseLong(v);
                case "--sensors" -> sensors = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--store-dir" -> dir = Path.of(v);
                case "--requests" -> requests = Integer.parseInt(v);
                case "--warmup-requests" -> warmup = Integer.parseInt(v);
                case "--budget-seconds" -> budget = Integer.parseInt(v);
                case "--layouts" -> bench.layouts = List.of(v.split(","));
                case "--sse-clients" -> bench.sseClients = Integer.parseInt(v);
                case "--load-warmup-seconds" -> bench.loadWarmupSeconds = Integer.parseInt(v);
                case "--query-loops" -> bench.queryLoops = Integer.parseInt(v);
                default -> {
                    System.err.println("unknown flag " + flag + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        passed.addAll(
                List.of(
                        "--aggregates", Long.toString(aggregates),
                        "--sensors", Integer.toString(sensors),
                        "--seed", Long.toString(seed)));
        BenchOptions o = BenchOptions.parse(passed.toArray(String[]::new));
        bench.run(o, dir, requests, warmup, budget, compact, query);
        // GeoMesa's non-daemon threads would keep the JVM alive.
        System.exit(0);
    }

    /** One timed query: per layout, the milliseconds and the rows returned. */
    record Timed(String name, Map<String, List<Double>> millis, Map<String, List<Integer>> rows) {
        Timed(String name) {
            this(name, new LinkedHashMap<>(), new LinkedHashMap<>());
        }

        void add(String layout, double ms, int n) {
            millis.computeIfAbsent(layout, k -> new ArrayList<>()).add(ms);
            rows.computeIfAbsent(layout, k -> new ArrayList<>()).add(n);
        }
    }

    /** A query of the benchmark: request {@code i} of it. */
    private interface Request {
        HistoryQuery of(int i);
    }

    private void run(
            BenchOptions o,
            Path dir,
            int requests,
            int warmup,
            int budget,
            boolean compact,
            boolean query)
            throws Exception {
        progress.printf("%s; load %s%n", BenchMachine.describe(), BenchMachine.loadAverage());
        Map<String, HistoryLoad.Loaded> loaded = new LinkedHashMap<>();
        Map<String, DataStore> stores = new LinkedHashMap<>();
        for (String layout : layouts) {
            loaded.put(
                    layout,
                    HistoryLoad.loadOrReuse(
                            dir.resolve(layout), o, zoning, progress, layout, true));
        }
        if (compact) {
            for (String layout : layouts) {
                loaded.put(layout, HistoryLoad.compact(loaded.get(layout), progress));
            }
        }
        HistoryLoad.Loaded any = loaded.get(layouts.get(0));
        if (any.fullDays() < 2) {
            throw new IllegalArgumentException("--aggregates does not fill two days: raise it");
        }
        List<Timed> results = new ArrayList<>();
        BenchNetwork network = new BenchNetwork(zoning, o.sensors(), o.seed());
        Zone zone =
                network.zonesByMetric().get(Metric.PM25).stream()
                        .filter(z -> z.kind() == ZoneKind.DISTRICT)
                        .min(Comparator.comparing(Zone::id))
                        .orElseThrow();
        if (query) {
            try {
                for (String layout : layouts) {
                    stores.put(
                            layout,
                            DataStores.open(
                                    StoreConfig.FileSystem.parquet(dir.resolve(layout).toString()),
                                    StoreConfig.Access.READ));
                }
                results = queries(o, network, zone, any, stores, requests, warmup, budget);
            } finally {
                stores.values().forEach(DataStore::dispose);
            }
        }
        report(o, loaded, results, zone, compact);
    }

    private List<Timed> queries(
            BenchOptions o,
            BenchNetwork network,
            Zone zone,
            HistoryLoad.Loaded any,
            Map<String, DataStore> stores,
            int requests,
            int warmup,
            int budget)
            throws Exception {
        List<Timed> results = new ArrayList<>();
        long end = any.dayStart(any.fullDays());
        int previous = 0;
        for (int days : itemsOnly ? new int[0] : SERIES_DAYS) {
            int d = Math.min(days, any.fullDays());
            if (d == previous) {
                continue;
            }
            previous = d;
            HistoryQuery q =
                    HistoryQuery.all()
                            .metric(Metric.PM25)
                            .zoneKind(zone.kind())
                            .zoneId(zone.id())
                            .windowLength("1h")
                            .windowsStarting(
                                    Instant.ofEpochMilli(end - d * BenchNetwork.DAY),
                                    Instant.ofEpochMilli(end));
            results.add(
                    time(
                            String.format(Locale.ROOT, "`1h` series, %d days", d),
                            i -> q,
                            stores,
                            requests,
                            warmup,
                            budget,
                            Integer.MAX_VALUE));
        }
        List<Metric> metrics = network.zonesByMetric().keySet().stream().sorted().toList();
        Request items = itemsRequests(o.seed(), metrics, any);
        results.add(time(ITEMS, items, stores, requests, warmup, budget, 100));
        int monthDays = Math.min(30, any.fullDays());
        if (!itemsOnly) {
            HistoryQuery month =
                    HistoryQuery.all()
                            .zoneKind(ZoneKind.DISTRICT)
                            .windowLength("1d")
                            .windowsStarting(
                                    Instant.ofEpochMilli(end - monthDays * BenchNetwork.DAY),
                                    Instant.ofEpochMilli(end));
            results.add(
                    time(
                            String.format(
                                    Locale.ROOT,
                                    "items: every district's `1d`, %d days",
                                    monthDays),
                            i -> month,
                            stores,
                            requests,
                            warmup,
                            budget,
                            Integer.MAX_VALUE));
        }
        // The items query again, while queryLoops threads query without pause (each layout's loops
        // run against its own store, one layout at a time), and the live stream's clients if
        // asked for.
        Timed loaded =
                new Timed(
                        String.format(
                                Locale.ROOT,
                                "items (as above) with %d query loops running%s",
                                queryLoops,
                                sseClients == 0
                                        ? ""
                                        : " and "
                                                + sseClients
                                                + " SSE clients of the live stream"));
        try (LiveLoad live =
                sseClients == 0 ? null : LiveLoad.start(sseClients, zoning, o.seed(), progress)) {
            underLoops(o, any, metrics, items, stores, requests, warmup, budget, loaded, live);
            if (live != null) {
                live.stopAndCheck(progress);
            }
        }
        results.add(loaded);
        // Idle again, now that the JVM has run the query (and the live stream) under load for a
        // while: the first idle figure was taken in a JVM still compiling it. Requests other
        // than those timed before (same kind), which would find their files' pages cached.
        results.add(
                time(
                        ITEMS_WARM,
                        i -> items.of(i + IDLE_AGAIN_OFFSET),
                        stores,
                        requests,
                        warmup,
                        budget,
                        100));
        return results;
    }

    /** Times the items query on each store while the query loops (and {@code live}) run. */
    private void underLoops(
            BenchOptions o,
            HistoryLoad.Loaded any,
            List<Metric> metrics,
            Request items,
            Map<String, DataStore> stores,
            int requests,
            int warmup,
            int budget,
            Timed loaded,
            LiveLoad live)
            throws Exception {
        for (Map.Entry<String, DataStore> e : stores.entrySet()) {
            Map<String, DataStore> one = Map.of(e.getKey(), e.getValue());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong done = new AtomicLong();
            AtomicInteger loopThreads = new AtomicInteger();
            ExecutorService loops =
                    Executors.newFixedThreadPool(
                            queryLoops,
                            r -> new Thread(r, LOOP_THREAD + loopThreads.incrementAndGet()));
            progress.printf("  load warm-up, %d s ...%n", loadWarmupSeconds);
            try {
                for (int t = 0; t < queryLoops; t++) {
                    Request r = itemsRequests(o.seed() + 1 + t, metrics, any);
                    loops.submit(
                            () -> {
                                for (int i = 0; !stop.get(); i++) {
                                    HistoryQueries.latest(
                                            e.getValue(), AggregateSchema.HISTORY_TYPE, r.of(i));
                                    done.incrementAndGet();
                                }
                                return null;
                            });
                }
                // The load runs untimed for a while first, and must be running by then.
                Awaitility.await("query loops running after the load warm-up")
                        .pollDelay(Duration.ofSeconds(loadWarmupSeconds))
                        .atMost(Duration.ofSeconds(loadWarmupSeconds + 60L))
                        .until(() -> done.get() > 0);
                ThreadCpu threads = new ThreadCpu();
                long cpu0 = processCpuNanos();
                long wall0 = System.nanoTime();
                long done0 = done.get();
                long events0 = live == null ? 0 : live.events();
                long clientCpu0 = live == null ? 0 : live.clientCpuNanos();
                Timed t = time(loaded.name(), items, one, requests, warmup, budget, 100);
                double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
                Map<String, Double> split = threads.split(cpuSeconds);
                double wallSeconds = (System.nanoTime() - wall0) / 1e9;
                long queries = done.get() - done0 + t.millis().get(e.getKey()).size() + warmup;
                // What bounds the loaded figure: with queryLoops + 1 closed loops sharing the
                // cores,
                // each query waits for about (queryLoops + 1) * CPU per query / cores.
                progress.printf(
                        Locale.ROOT,
                        "%s under load: %d queries in %.1f s, process CPU %.1f s (%.2f cores):"
                                + " %.1f ms CPU per query, %.1f queries/s%n",
                        e.getKey(),
                        queries,
                        wallSeconds,
                        cpuSeconds,
                        cpuSeconds / wallSeconds,
                        1000 * cpuSeconds / queries,
                        queries / wallSeconds);
                StringBuilder where = new StringBuilder();
                split.forEach(
                        (k, v) ->
                                where.append(
                                        String.format(
                                                Locale.ROOT,
                                                "%s%s %.1f s (%.0f%%)",
                                                where.length() == 0 ? "" : ", ",
                                                k,
                                                v,
                                                100 * v / cpuSeconds)));
                progress.printf(
                        "  this JVM's CPU: %s%n  busiest other threads: %s%n",
                        where, threads.busiestOthers(8));
                if (live != null) {
                    long events = live.events() - events0;
                    double clientSeconds = (live.clientCpuNanos() - clientCpu0) / 1e9;
                    progress.printf(
                            Locale.ROOT,
                            "  %d SSE clients received %,d live events (%.0f/s in all); their"
                                    + " JVM's CPU %.1f s (%.2f cores, %.1f us per event)%n",
                            sseClients,
                            events,
                            events / wallSeconds,
                            clientSeconds,
                            clientSeconds / wallSeconds,
                            1e6 * clientSeconds / Math.max(1, events));
                }
                t.millis().forEach((k, v) -> loaded.millis().put(k, v));
                t.rows().forEach((k, v) -> loaded.rows().put(k, v));
            } finally {
                stop.set(true);
                loops.shutdown();
                loops.awaitTermination(5, TimeUnit.MINUTES);
            }
        }
    }

    /**
     * The live side of the dashboard, busy: a Kafka broker, a {@link DashboardServer} in this JVM
     * with its live layer there, {@code clients} counting {@link SseClient}s following {@code
     * /api/live/stream} in a JVM of their own ({@link SseLoadGenerator}: like browsers, they are
     * not the server's cost), and a writer closing every zone's next minute every {@value
     * #BURST_SECONDS} s for {@value #LIVE_SENSORS} sensors' zones (DashboardBenchmark's default
     * live run), through the live sink's path.
     */
    private static final class LiveLoad implements AutoCloseable {
        private final Path dir;
        private final KafkaBroker kafka;
        private final DashboardServer server;
        private final DataStore writerStore;
        private final ScheduledExecutorService writer =
                Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "live-writer"));

        /** Aggregates written to the live layer: what each client must receive. */
        private final AtomicLong written = new AtomicLong();

        private SseLoadGenerator clients;
        private int clientCount;

        private LiveLoad(Path dir, KafkaBroker kafka, DashboardServer server, DataStore store) {
            this.dir = dir;
            this.kafka = kafka;
            this.server = server;
            this.writerStore = store;
        }

        static LiveLoad start(int clients, Zoning zoning, long seed, PrintStream progress)
                throws Exception {
            Path dir = Files.createTempDirectory("history-bench-live-");
            KafkaBroker kafka = KafkaBroker.start(0, dir.resolve("kafka"));
            String catalog = "history-bench-live";
            DashboardServer server = null;
            DataStore store = null;
            try {
                server =
                        DashboardServer.start(
                                DashboardConfig.fromFlags(
                                        "--http-port",
                                        "0",
                                        "--kafka-bootstrap",
                                        kafka.bootstrapServers(),
                                        "--store-history",
                                        "none",
                                        "--store-live-catalog",
                                        catalog));
                store =
                        DataStores.openWithSchema(
                                StoreConfig.Kafka.local(kafka.bootstrapServers(), catalog),
                                StoreConfig.Access.WRITE,
                                AggregateSchema.LIVE_TYPE);
            } catch (Exception | Error e) {
                if (server != null) {
                    server.close();
                }
                kafka.close();
                BenchRun.delete(dir);
                throw e;
            }
            LiveLoad live = new LiveLoad(dir, kafka, server, store);
            try {
                live.begin(clients, zoning, seed, progress);
            } catch (Exception | Error e) {
                live.close();
                throw e;
            }
            return live;
        }

        private void begin(int count, Zoning zoning, long seed, PrintStream progress)
                throws Exception {
            String url = "http://localhost:" + server.port() + "/api/live/stream";
            clients = SseLoadGenerator.start(url, count);
            clientCount = count;
            List<DashboardBenchmark.LiveZone> zones = new ArrayList<>();
            new BenchNetwork(zoning, LIVE_SENSORS, seed + 1)
                    .zonesByMetric().entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .forEach(
                                    e ->
                                            e.getValue().stream()
                                                    .sorted(Comparator.comparing(Zone::id))
                                                    .forEach(
                                                            z ->
                                                                    zones.add(
                                                                            new DashboardBenchmark
                                                                                    .LiveZone(
                                                                                    e.getKey(),
                                                                                    z))));
            FeatureBatches batches =
                    new FeatureBatches(
                            writerStore, AggregateSchema.LIVE_TYPE, AggregateSchema::liveId);
            SplittableRandom random = new SplittableRandom(seed);
            long[] window = {
                Math.floorDiv(System.currentTimeMillis(), BenchNetwork.MINUTE) * BenchNetwork.MINUTE
            };
            writer.scheduleAtFixedRate(
                    () -> {
                        List<ZoneAggregate> burst = new ArrayList<>(zones.size());
                        for (DashboardBenchmark.LiveZone z : zones) {
                            burst.add(DashboardBenchmark.aggregate(z, window[0], 1, random));
                        }
                        window[0] += BenchNetwork.MINUTE;
                        try {
                            for (int from = 0;
                                    from < burst.size();
                                    from += DashboardBenchmark.SINK_BATCH_SIZE) {
                                batches.write(
                                        burst.subList(
                                                from,
                                                Math.min(
                                                        burst.size(),
                                                        from + DashboardBenchmark.SINK_BATCH_SIZE)),
                                        a -> Instant.now());
                                written.addAndGet(
                                        Math.min(
                                                DashboardBenchmark.SINK_BATCH_SIZE,
                                                burst.size() - from));
                            }
                        } catch (Exception e) {
                            progress.println("live write failed: " + e);
                        }
                    },
                    0,
                    BURST_SECONDS,
                    TimeUnit.SECONDS);
            progress.printf(
                    "Live load: %d SSE clients (a JVM of their own), %d zones every %d s%n",
                    count, zones.size(), BURST_SECONDS);
        }

        /** Live events the clients received so far, all clients together. */
        long events() throws IOException {
            long sum = 0;
            for (long n : clients.counts()) {
                sum += n;
            }
            return sum;
        }

        /** CPU time of the clients' JVM so far. */
        long clientCpuNanos() {
            return clients.cpuNanos();
        }

        /**
         * Stops writing and checks that every client received every aggregate written, once
         * (waiting up to {@value #DRAIN_SECONDS} s for the last burst); reports on {@code
         * progress}.
         */
        void stopAndCheck(PrintStream progress) throws Exception {
            writer.shutdown();
            writer.awaitTermination(1, TimeUnit.MINUTES);
            long expected = written.get();
            // Polling the other JVM's counts while the last burst drains; what is still missing
            // after that is reported below, not thrown.
            AtomicReference<long[]> last = new AtomicReference<>(clients.counts());
            try {
                Awaitility.await("every SSE client's count")
                        .atMost(Duration.ofSeconds(DRAIN_SECONDS))
                        .pollInterval(Duration.ofMillis(100))
                        .until(
                                () -> {
                                    last.set(clients.counts());
                                    return allEqual(last.get(), expected);
                                });
            } catch (ConditionTimeoutException timedOut) {
                // Reported as missing or extra events.
            }
            long[] counts = last.get();
            long short0 = 0;
            long extra = 0;
            for (long n : counts) {
                short0 += Math.max(0, expected - n);
                extra += Math.max(0, n - expected);
            }
            progress.printf(
                    Locale.ROOT,
                    "  SSE check: %d aggregates written; %s%n",
                    expected,
                    short0 == 0 && extra == 0
                            ? "each of the " + clientCount + " clients received every one, once"
                            : String.format(
                                    Locale.ROOT,
                                    "%,d events missing and %,d extra over %d clients",
                                    short0,
                                    extra,
                                    counts.length));
        }

        private static boolean allEqual(long[] counts, long expected) {
            for (long n : counts) {
                if (n != expected) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws Exception {
            writer.shutdownNow();
            writer.awaitTermination(1, TimeUnit.MINUTES);
            if (clients != null) {
                clients.close();
            }
            writerStore.dispose();
            server.close();
            kafka.close();
            BenchRun.delete(dir);
        }
    }

    /** Sensors whose zones the live load closes a minute of: DashboardBenchmark's default. */
    private static final int LIVE_SENSORS = 500;

    /** Seconds between the live load's bursts: DashboardBenchmark's default. */
    private static final int BURST_SECONDS = 5;

    /** Seconds the clients get to receive the last burst before missing events are counted. */
    private static final int DRAIN_SECONDS = 30;

    /** Name prefix of the query loops' threads. */
    private static final String LOOP_THREAD = "history-loop-";

    /**
     * Where this JVM's CPU went between construction and {@link #split}: its Java threads by name
     * (threads that ended meanwhile are lost), and the rest of the process CPU (garbage collection,
     * JIT compilation, the VM's own threads).
     */
    private static final class ThreadCpu {
        private static final String OTHER = "other Java threads";
        private final ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> start = new HashMap<>();

        /** CPU seconds of the "other" group's threads by name, after {@link #split}. */
        final Map<String, Double> others = new HashMap<>();

        ThreadCpu() {
            for (long id : bean.getAllThreadIds()) {
                start.put(id, Math.max(0, bean.getThreadCpuTime(id)));
            }
        }

        /** CPU seconds by thread group, and the rest of {@code processSeconds}. */
        Map<String, Double> split(double processSeconds) {
            Map<String, Double> seconds = new LinkedHashMap<>();
            for (String g :
                    List.of(
                            "measured query",
                            "query loops",
                            "store reads",
                            "Jetty (live stream writes)",
                            "live layer handoff",
                            OTHER)) {
                seconds.put(g, 0.0);
            }
            double threads = 0;
            for (ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long now = bean.getThreadCpuTime(info.getThreadId());
                if (now < 0) {
                    continue;
                }
                double s = (now - start.getOrDefault(info.getThreadId(), 0L)) / 1e9;
                String group = group(info.getThreadName());
                seconds.merge(group, s, Double::sum);
                if (group.equals(OTHER)) {
                    others.merge(info.getThreadName().replaceAll("\\d+", "N"), s, Double::sum);
                }
                threads += s;
            }
            seconds.put("GC, JIT and VM", Math.max(0, processSeconds - threads));
            return seconds;
        }

        private static String group(String name) {
            if (name.equals("main")) {
                return "measured query";
            } else if (name.startsWith(LOOP_THREAD)) {
                return "query loops";
            } else if (name.startsWith("history-read-")) {
                return "store reads";
            } else if (name.startsWith("http-")) {
                return "Jetty (live stream writes)";
            } else if (name.startsWith("dashboard-live")) {
                return "live layer handoff";
            }
            return OTHER;
        }

        /** The busiest {@code n} thread names of the "other" group, with their CPU seconds. */
        String busiestOthers(int n) {
            StringBuilder b = new StringBuilder();
            others.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .limit(n)
                    .forEach(
                            e ->
                                    b.append(b.length() == 0 ? "" : ", ")
                                            .append(
                                                    String.format(
                                                            Locale.ROOT,
                                                            "%s %.2f s",
                                                            e.getKey(),
                                                            e.getValue())));
            return b.toString();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The items query: a random district's box, day and metric (of those with sensors). */
    private Request itemsRequests(long seed, List<Metric> metrics, HistoryLoad.Loaded any) {
        List<Zone> districts = new ArrayList<>(zoning.districts());
        districts.sort(Comparator.comparing(Zone::id));
        List<HistoryQuery> qs = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 1_000; i++) {
            Zone district = districts.get(random.nextInt(districts.size()));
            Envelope box = zoning.geometry(district).getEnvelopeInternal();
            long day = any.dayStart(random.nextInt(any.fullDays()));
            qs.add(
                    HistoryQuery.all()
                            .bbox(box.getMinX(), box.getMinY(), box.getMaxX(), box.getMaxY())
                            .windowsStarting(
                                    Instant.ofEpochMilli(day),
                                    Instant.ofEpochMilli(day + BenchNetwork.DAY))
                            .metric(metrics.get(random.nextInt(metrics.size()))));
        }
        return i -> qs.get(i % qs.size());
    }

    /**
     * Times {@code request} on every store, layouts alternating, until {@code requests} are timed
     * or about {@code budget} seconds per layout have passed (at least 5).
     */
    private Timed time(
            String name,
            Request request,
            Map<String, DataStore> stores,
            int requests,
            int warmup,
            int budget,
            int limit)
            throws Exception {
        progress.printf("%s ...%n", name);
        Timed t = new Timed(name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) budget * stores.size());
        for (int i = 0; i < warmup + requests; i++) {
            HistoryQuery q = request.of(i);
            for (Map.Entry<String, DataStore> e : stores.entrySet()) {
                time(t, e.getKey(), e.getValue(), q, i >= warmup, limit);
            }
            if (i >= warmup + 4 && System.nanoTime() > deadline) {
                break;
            }
        }
        return t;
    }

    private static void time(
            Timed t, String layout, DataStore store, HistoryQuery q, boolean keep, int limit)
            throws Exception {
        long start = System.nanoTime();
        List<StoredAggregate> rows = HistoryQueries.latest(store, AggregateSchema.HISTORY_TYPE, q);
        int n = Math.min(limit, rows.size());
        double ms = (System.nanoTime() - start) / 1e6;
        if (keep) {
            t.add(layout, ms, n);
        }
    }

    private static Timed named(List<Timed> results, String name) {
        return results.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    private void report(
            BenchOptions o,
            Map<String, HistoryLoad.Loaded> loaded,
            List<Timed> results,
            Zone zone,
            boolean compacted) {
        PrintStream out = System.out;
        HistoryLoad.Loaded any = loaded.get(layouts.get(0));
        out.printf(
                Locale.ROOT,
                "%n%s; load %s%n%n%,d aggregates (%,d corrections) of %d sensors over %d days,"
                        + " %s; series zone %s %s; layouts alternating request by request%n%n",
                BenchMachine.describe(),
                BenchMachine.loadAverage(),
                any.rows(),
                any.corrections(),
                o.sensors(),
                any.days(),
                compacted ? "compacted" : "as written",
                zone.kind().id(),
                zone.id());
        StringBuilder head = new StringBuilder("| query | rows |");
        StringBuilder rule = new StringBuilder("|---|--:|");
        for (String layout : layouts) {
            head.append(" ").append(layout).append(": p50 / p99 ms (n) |");
            rule.append("--:|");
        }
        out.println(head);
        out.println(rule);
        for (Timed t : results) {
            StringBuilder row = new StringBuilder("| " + t.name() + " | ");
            List<Integer> rows0 = t.rows().get(layouts.get(0));
            int rows = rows0.isEmpty() ? 0 : Percentiles.nearestRank(rows0, 50);
            row.append(rows).append(" |");
            for (String layout : layouts) {
                List<Double> ms = t.millis().get(layout);
                row.append(
                        String.format(
                                Locale.ROOT,
                                " %.0f / %.0f (%d) |",
                                Percentiles.nearestRank(ms, 50),
                                Percentiles.nearestRank(ms, 99),
                                ms.size()));
            }
            out.println(row);
            for (String layout : layouts) {
                if (!t.rows().get(layout).equals(rows0)) {
                    out.printf("(rows differ between layouts: %s, %s)%n", t.name(), layout);
                }
            }
        }
        // The target for the loaded query: p99 at most 3 times the idle figure.
        Timed idle = named(results, ITEMS);
        Timed warm = named(results, ITEMS_WARM);
        if (idle != null && warm != null) {
            Timed busy = results.get(results.size() - 2);
            for (String layout : layouts) {
                double busy99 = Percentiles.nearestRank(busy.millis().get(layout), 99);
                double busy50 = Percentiles.nearestRank(busy.millis().get(layout), 50);
                for (Timed base : List.of(idle, warm)) {
                    double idle99 = Percentiles.nearestRank(base.millis().get(layout), 99);
                    double idle50 = Percentiles.nearestRank(base.millis().get(layout), 50);
                    out.printf(
                            Locale.ROOT,
                            "%n%s, loaded / idle%s: p50 %.1fx, p99 %.1fx (target p99 <= 3x)",
                            layout,
                            base == warm ? " again (warm)" : " (first)",
                            busy50 / idle50,
                            busy99 / idle99);
                }
                out.println();
            }
        }
        out.println();
        out.println(
                "| layout | files | bytes per aggregate | load rows/s | load CPU s |"
                        + " compaction s |");
        out.println("|---|--:|--:|--:|--:|--:|");
        for (String layout : layouts) {
            HistoryLoad.Loaded l = loaded.get(layout);
            out.printf(
                    Locale.ROOT,
                    "| %s | %,d | %.1f | %s | %.0f | %s |%n",
                    layout,
                    l.files(),
                    (double) l.bytes() / l.rows(),
                    String.format(Locale.ROOT, "%,.0f", l.rows() / l.seconds()),
                    l.cpuSeconds(),
                    l.compactSeconds() < 0
                            ? "not in this run"
                            : String.format(Locale.ROOT, "%.1f", l.compactSeconds()));
        }
    }
}
