package org.smartcity.dashboard.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.geotools.api.data.DataStore;
import org.locationtech.jts.geom.Envelope;
import org.smartcity.core.Metric;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.bench.Percentiles;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoredAggregate;

/**
 * The history store over a long period (issue 10), the layout before it (one type, daily
 * partitions) against the one after ({@link org.smartcity.store.HistoryLayout}) on the same
 * generated data: one zone's {@code 1h} series over 1, 30 and 365 days (or as many as loaded), and
 * the benchmark's items query (a district's box, one day, one metric, first 100), timed through
 * {@link HistoryQueries} as the dashboard's collections call it, layouts alternating request by
 * request so that load elsewhere on the machine hits both. Also bytes on disk per aggregate and the
 * load's write rate. Not a test: it is run by hand and its table goes into the README.
 *
 * <pre>
 * ./mvnw -q -pl dashboard -Pbench test-compile exec:exec \
 *     -Dbench.main=org.smartcity.dashboard.bench.HistoryBenchmark \
 *     -Dbench.args="--store-dir target/history-bench"
 * </pre>
 *
 * <p>The stores are loaded by {@link HistoryLoad} (as the sink writes them: batches of 1,000, about
 * 2% corrected) into {@code DIR/single} and {@code DIR/by-window-length}, and reused by the next
 * run with the same options. Progress goes to stderr, the results (markdown) to stdout.
 */
public final class HistoryBenchmark {

    static final String USAGE =
            """
            HistoryBenchmark [--aggregates N] [--sensors N] [--seed N] [--store-dir DIR]
                             [--requests N] [--warmup-requests N] [--compact]
              --aggregates       rows per store (default 10,000,000)
              --sensors          sensors of the network (default 27: 10,000,000 rows span about
                                 a year)
              --store-dir DIR    where the two stores are kept and reused (default
                                 target/history-bench)
              --requests         timed requests per query and layout (default 30)
              --warmup-requests  untimed requests first (default 5)
              --compact          compact every partition of both stores first
                                 (HistoryCompactor, as the sink does once a partition is quiet)
            """;

    private static final String[] LAYOUTS = {"single", "by-window-length"};
    private static final int[] SERIES_DAYS = {1, 30, 365};

    private final PrintStream progress = System.err;
    private final Zoning zoning = Zoning.kunming();

    public static void main(String[] args) throws Exception {
        List<String> passed = new ArrayList<>();
        long aggregates = 10_000_000;
        int sensors = 27;
        Path dir = Path.of("target/history-bench");
        int requests = 30;
        int warmup = 5;
        long seed = 42;
        boolean compact = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--compact")) {
                compact = true;
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
        new HistoryBenchmark().run(o, dir, requests, warmup, compact);
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

    private void run(BenchOptions o, Path dir, int requests, int warmup, boolean compact)
            throws Exception {
        progress.printf("%s; load %s%n", BenchMachine.describe(), BenchMachine.loadAverage());
        Map<String, HistoryLoad.Loaded> loaded = new LinkedHashMap<>();
        Map<String, DataStore> stores = new LinkedHashMap<>();
        for (String layout : LAYOUTS) {
            loaded.put(
                    layout,
                    HistoryLoad.loadOrReuse(
                            dir.resolve(layout),
                            o,
                            zoning,
                            progress,
                            layout.equals("by-window-length")));
        }
        if (compact) {
            for (String layout : LAYOUTS) {
                loaded.put(layout, HistoryLoad.compact(loaded.get(layout), progress));
            }
        }
        HistoryLoad.Loaded any = loaded.get(LAYOUTS[0]);
        if (any.fullDays() < 2) {
            throw new IllegalArgumentException("--aggregates does not fill two days: raise it");
        }
        try {
            for (String layout : LAYOUTS) {
                stores.put(
                        layout,
                        DataStores.open(
                                StoreConfig.FileSystem.parquet(dir.resolve(layout).toString()),
                                StoreConfig.Access.READ));
            }
            BenchNetwork network = new BenchNetwork(zoning, o.sensors(), o.seed());
            Zone zone =
                    network.zonesByMetric().get(Metric.PM25).stream()
                            .filter(z -> z.kind() == ZoneKind.DISTRICT)
                            .findFirst()
                            .orElseThrow();
            List<Timed> results = new ArrayList<>();
            int previous = 0;
            for (int days : SERIES_DAYS) {
                int d = Math.min(days, any.fullDays());
                if (d == previous) {
                    continue;
                }
                previous = d;
                long end = any.dayStart(any.fullDays());
                HistoryQuery q =
                        HistoryQuery.all()
                                .metric(Metric.PM25)
                                .zoneKind(zone.kind())
                                .zoneId(zone.id())
                                .windowLength("1h")
                                .windowsStarting(
                                        Instant.ofEpochMilli(end - d * BenchNetwork.DAY),
                                        Instant.ofEpochMilli(end));
                Timed t = new Timed(String.format(Locale.ROOT, "`1h` series, %d days", d));
                progress.printf("%s ...%n", t.name());
                for (int i = 0; i < warmup + requests; i++) {
                    for (String layout : LAYOUTS) {
                        time(t, layout, stores.get(layout), q, i >= warmup, Integer.MAX_VALUE);
                    }
                }
                results.add(t);
            }
            Timed items = new Timed("items: district box, one day, one metric, limit 100");
            progress.printf("%s ...%n", items.name());
            List<Zone> districts = new ArrayList<>(zoning.districts());
            Metric[] metrics = Metric.values();
            SplittableRandom random = new SplittableRandom(o.seed());
            for (int i = 0; i < warmup + requests; i++) {
                Zone district = districts.get(random.nextInt(districts.size()));
                Envelope box = zoning.geometry(district).getEnvelopeInternal();
                long day = any.dayStart(random.nextInt(any.fullDays()));
                HistoryQuery q =
                        HistoryQuery.all()
                                .bbox(box.getMinX(), box.getMinY(), box.getMaxX(), box.getMaxY())
                                .windowsStarting(
                                        Instant.ofEpochMilli(day),
                                        Instant.ofEpochMilli(day + BenchNetwork.DAY))
                                .metric(metrics[random.nextInt(metrics.length)]);
                for (String layout : LAYOUTS) {
                    time(items, layout, stores.get(layout), q, i >= warmup, 100);
                }
            }
            results.add(items);
            report(o, loaded, results, zone, requests);
        } finally {
            stores.values().forEach(DataStore::dispose);
        }
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

    private void report(
            BenchOptions o,
            Map<String, HistoryLoad.Loaded> loaded,
            List<Timed> results,
            Zone zone,
            int requests) {
        PrintStream out = System.out;
        HistoryLoad.Loaded any = loaded.get(LAYOUTS[0]);
        out.printf(
                Locale.ROOT,
                "%n%s; load %s%n%n%,d aggregates (%,d corrections) of %d sensors over %d days;"
                        + " series zone %s %s; %d timed requests per query and layout,"
                        + " layouts alternating%n%n",
                BenchMachine.describe(),
                BenchMachine.loadAverage(),
                any.rows(),
                any.corrections(),
                o.sensors(),
                any.days(),
                zone.kind().id(),
                zone.id(),
                requests);
        out.println(
                "| query | rows | single type, daily: p50 / p99 ms | by length, metric, time:"
                        + " p50 / p99 ms | p50 ratio |");
        out.println("|---|--:|--:|--:|--:|");
        for (Timed t : results) {
            List<Double> a = t.millis().get(LAYOUTS[0]);
            List<Double> b = t.millis().get(LAYOUTS[1]);
            int rows = t.rows().get(LAYOUTS[0]).get(0);
            double pa = Percentiles.nearestRank(a, 50);
            double pb = Percentiles.nearestRank(b, 50);
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.0f / %.0f | %.0f / %.0f | %.1fx |%n",
                    t.name(),
                    rows,
                    pa,
                    Percentiles.nearestRank(a, 99),
                    pb,
                    Percentiles.nearestRank(b, 99),
                    pa / pb);
            if (!t.rows().get(LAYOUTS[0]).equals(t.rows().get(LAYOUTS[1]))) {
                out.printf("| (rows differ between layouts: %s) | | | | |%n", t.name());
            }
        }
        out.println();
        out.println("| layout | files | bytes per aggregate | load rows/s | compaction s |");
        out.println("|---|--:|--:|--:|--:|");
        for (String layout : LAYOUTS) {
            HistoryLoad.Loaded l = loaded.get(layout);
            out.printf(
                    Locale.ROOT,
                    "| %s | %,d | %.1f | %s | %s |%n",
                    layout,
                    l.files(),
                    (double) l.bytes() / l.rows(),
                    String.format(Locale.ROOT, "%,.0f", l.rows() / l.seconds()),
                    l.compactSeconds() < 0
                            ? "not in this run"
                            : String.format(Locale.ROOT, "%.1f", l.compactSeconds()));
        }
    }
}
