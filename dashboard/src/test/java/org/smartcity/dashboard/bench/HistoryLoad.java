package org.smartcity.dashboard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.geotools.api.data.DataStore;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryCompactor;
import org.smartcity.store.StoreConfig;

/**
 * Fills a GeoMesa FileSystem history store (Parquet, daily partitions: the platform's default) with
 * {@link BenchNetwork}'s aggregates, day after day from {@link #EVENT_START} until the requested
 * number of rows is stored, in batches through the sink's writer path ({@link FeatureBatches}).
 * About 2% of the windows get a correction (revision 2, one late reading), written after the day's
 * other rows as the job's late path would: a second row with the same feature id, which the
 * dashboard's reads must hide.
 *
 * <p>A store directory is kept with a {@value #MARKER} file describing its data, so that a later
 * run with the same parameters reuses it instead of loading again.
 */
final class HistoryLoad {
    /** Midnight of 26 October 2026 in Kunming (UTC+8): days of the data are Kunming days. */
    static final Instant EVENT_START = Instant.parse("2026-10-25T16:00:00Z");

    static final String MARKER = "dashboard-bench.properties";
    static final double CORRECTED_SHARE = 0.02;

    /** The layouts a store can be loaded in: see {@link #loadOrReuse}. */
    static final String SINGLE = "single";

    static final String SPLIT = "by-window-length-on-compaction";
    static final String DIRECT = "by-window-length-direct";

    /** The window lengths of the rows: the dashboard benchmark's, and with local days. */
    static final String WINDOWS = "1m,15m,1h";

    static final String WINDOWS_WITH_DAYS = "1m,15m,1h,1d";

    /** What is in the store. */
    record Loaded(
            Path dir,
            long rows,
            long corrections,
            int days,
            int fullDays,
            int zones,
            double seconds,
            double cpuSeconds,
            boolean reused,
            long files,
            long bytes,
            double compactSeconds) {

        /** The start of day {@code i} (Kunming midnight), epoch ms. */
        long dayStart(int i) {
            return EVENT_START.toEpochMilli() + i * BenchNetwork.DAY;
        }
    }

    private HistoryLoad() {}

    static Loaded loadOrReuse(Path dir, BenchOptions o, Zoning zoning, PrintStream progress)
            throws IOException {
        return loadOrReuse(dir, o, zoning, progress, SINGLE, false);
    }

    /**
     * @param layout {@value #SINGLE}: one type, as every store before issue 10; {@value #SPLIT}: as
     *     a new store is since issue 10, written into the single type and split by window length on
     *     compaction ({@link org.smartcity.store.HistoryLayout}); {@value #DIRECT}: a type per
     *     window length, written directly ({@code by-window-length})
     * @param localDays whether the rows include each zone's {@code 1d} window of every day
     */
    static Loaded loadOrReuse(
            Path dir,
            BenchOptions o,
            Zoning zoning,
            PrintStream progress,
            String layout,
            boolean localDays)
            throws IOException {
        Path marker = dir.resolve(MARKER);
        Properties wanted = new Properties();
        wanted.setProperty("layout", layout);
        wanted.setProperty("windows", localDays ? WINDOWS_WITH_DAYS : WINDOWS);
        wanted.setProperty("aggregates", Long.toString(o.aggregates()));
        wanted.setProperty("sensors", Integer.toString(o.sensors()));
        wanted.setProperty("seed", Long.toString(o.seed()));
        wanted.setProperty("batch", Integer.toString(o.batchSize()));
        if (Files.exists(marker)) {
            Properties have = new Properties();
            try (Reader r = Files.newBufferedReader(marker)) {
                have.load(r);
            }
            for (String k : wanted.stringPropertyNames()) {
                // Stores loaded before issue 10 have the single type and no "layout".
                String had =
                        have.getProperty(
                                k,
                                k.equals("layout")
                                        ? "single"
                                        : k.equals("windows") ? WINDOWS : null);
                if (!wanted.getProperty(k).equals(had)) {
                    throw new IllegalArgumentException(
                            "--store-dir "
                                    + dir
                                    + " holds data loaded with --"
                                    + k
                                    + " "
                                    + had
                                    + ", not "
                                    + wanted.getProperty(k)
                                    + ": use another directory or the same options");
                }
            }
            progress.printf("Reusing the history store in %s%n", dir);
            return new Loaded(
                    dir,
                    Long.parseLong(have.getProperty("rows")),
                    Long.parseLong(have.getProperty("corrections")),
                    Integer.parseInt(have.getProperty("days")),
                    Integer.parseInt(have.getProperty("fullDays")),
                    Integer.parseInt(have.getProperty("zones")),
                    Double.parseDouble(have.getProperty("seconds")),
                    Double.parseDouble(have.getProperty("cpuSeconds", "-1")),
                    true,
                    count(dir, ".parquet", false),
                    count(dir, ".parquet", true),
                    -1);
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(
                            "--store-dir "
                                    + dir
                                    + " is not empty and holds no "
                                    + MARKER
                                    + ": give an empty or new directory");
                }
            }
        }
        Files.createDirectories(dir);
        Loaded loaded = load(dir, o, zoning, progress, layout, localDays);
        Properties have = new Properties();
        have.putAll(wanted);
        have.setProperty("rows", Long.toString(loaded.rows()));
        have.setProperty("corrections", Long.toString(loaded.corrections()));
        have.setProperty("days", Integer.toString(loaded.days()));
        have.setProperty("fullDays", Integer.toString(loaded.fullDays()));
        have.setProperty("zones", Integer.toString(loaded.zones()));
        have.setProperty("seconds", Double.toString(loaded.seconds()));
        have.setProperty("cpuSeconds", Double.toString(loaded.cpuSeconds()));
        try (Writer w = Files.newBufferedWriter(marker)) {
            have.store(w, "DashboardBenchmark history store");
        }
        return loaded;
    }

    private static Loaded load(
            Path dir,
            BenchOptions o,
            Zoning zoning,
            PrintStream progress,
            String layout,
            boolean localDays)
            throws IOException {
        BenchNetwork network = new BenchNetwork(zoning, o.sensors(), o.seed());
        int zones = network.zonesByMetric().values().stream().mapToInt(java.util.Set::size).sum();
        progress.printf(
                "Loading %,d aggregates of %d sensors (%d metric-zones) into %s ...%n",
                o.aggregates(), o.sensors(), zones, dir);
        StoreConfig config =
                new StoreConfig.FileSystem(
                        dir.toString(),
                        "parquet",
                        switch (layout) {
                            case SINGLE -> StoreConfig.FileSystem.SINGLE_TYPE;
                            case SPLIT -> StoreConfig.FileSystem.SPLIT_ON_COMPACTION;
                            case DIRECT -> StoreConfig.FileSystem.BY_WINDOW_LENGTH;
                            default -> throw new IllegalArgumentException(layout);
                        });
        DataStore store =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.WRITE, AggregateSchema.HISTORY_TYPE);
        long rows = 0;
        long corrections = 0;
        int day = 0;
        boolean lastDayFull = true;
        long t0 = System.nanoTime();
        long cpu0 = BenchMachine.cpuNanos(ProcessHandle.current());
        try {
            FeatureBatches writer =
                    layout.equals(DIRECT)
                            ? FeatureBatches.byWindowLength(store, config)
                            : new FeatureBatches(
                                    store, AggregateSchema.HISTORY_TYPE, ZoneAggregate::featureId);
            List<ZoneAggregate> pending = new ArrayList<>(o.batchSize());
            while (rows < o.aggregates()) {
                long start = EVENT_START.toEpochMilli() + day * BenchNetwork.DAY;
                List<ZoneAggregate> rowsOfDay = new ArrayList<>(network.day(start, localDays));
                SplittableRandom random = new SplittableRandom(o.seed() * 31 + day);
                List<ZoneAggregate> late = new ArrayList<>();
                for (ZoneAggregate a : rowsOfDay) {
                    if (random.nextDouble() < CORRECTED_SHARE) {
                        late.add(BenchNetwork.corrected(a, a.min() + (a.max() - a.min()) * 0.7));
                    }
                }
                rowsOfDay.addAll(late);
                long room = o.aggregates() - rows;
                if (rowsOfDay.size() > room) {
                    lastDayFull = false;
                    corrections += Math.max(0, late.size() - (rowsOfDay.size() - room));
                    rowsOfDay = rowsOfDay.subList(0, (int) room);
                } else {
                    corrections += late.size();
                }
                for (ZoneAggregate a : rowsOfDay) {
                    pending.add(a);
                    if (pending.size() == o.batchSize()) {
                        writer.write(pending, HistoryLoad::updated);
                        pending.clear();
                    }
                }
                rows += rowsOfDay.size();
                day++;
                if (day % 5 == 0 || rows == o.aggregates()) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    double cpu = (BenchMachine.cpuNanos(ProcessHandle.current()) - cpu0) / 1e9;
                    progress.printf(
                            "  %d days, %,d rows (%,.0f rows/s, %.1f CPU s)%n",
                            day, rows, rows / s, cpu);
                }
            }
            if (!pending.isEmpty()) {
                writer.write(pending, HistoryLoad::updated);
            }
        } finally {
            store.dispose();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (BenchMachine.cpuNanos(ProcessHandle.current()) - cpu0) / 1e9;
        return new Loaded(
                dir,
                rows,
                corrections,
                day,
                lastDayFull ? day : day - 1,
                zones,
                seconds,
                cpuSeconds,
                false,
                count(dir, ".parquet", false),
                count(dir, ".parquet", true),
                -1);
    }

    /**
     * Compacts every partition of the store ({@link HistoryCompactor}, as the sink does once a
     * partition is quiet; no reader runs meanwhile, so replaced files go at once); returns the
     * store as it is then, with the time it took.
     */
    static Loaded compact(Loaded loaded, PrintStream progress) throws IOException {
        progress.printf("Compacting every partition of %s ...%n", loaded.dir());
        DataStore store =
                DataStores.open(
                        StoreConfig.FileSystem.parquet(loaded.dir().toString()),
                        StoreConfig.Access.WRITE);
        long t0 = System.nanoTime();
        try {
            HistoryCompactor compactor =
                    new HistoryCompactor(Duration.ZERO, Duration.ZERO, Clock.systemUTC());
            compactor.run(store);
            // The second run deletes the replaced files.
            compactor.run(store);
        } finally {
            store.dispose();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Loaded(
                loaded.dir(),
                loaded.rows(),
                loaded.corrections(),
                loaded.days(),
                loaded.fullDays(),
                loaded.zones(),
                loaded.seconds(),
                loaded.cpuSeconds(),
                loaded.reused(),
                count(loaded.dir(), ".parquet", false),
                count(loaded.dir(), ".parquet", true),
                seconds);
    }

    /** When the job would have written the row: just after the window closed, or a late one. */
    static Instant updated(ZoneAggregate a) {
        long delay = a.revision() == 1 ? 5_000 : 600_000;
        return Instant.ofEpochMilli(a.windowEndMillis() + delay);
    }

    /** The number (or total size) of the files under {@code dir} named {@code *suffix}. */
    private static long count(Path dir, String suffix, boolean bytes) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .mapToLong(
                            f -> {
                                try {
                                    return bytes ? Files.size(f) : 1;
                                } catch (IOException e) {
                                    return 0;
                                }
                            })
                    .sum();
        }
    }
}
