package org.smartcity.dashboard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.geotools.api.data.DataStore;
import org.locationtech.geomesa.fs.data.FileSystemDataStore;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.dashboard.IndicatorBench;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;

/**
 * How long {@code /collections/indicators/items?period_kind=year} takes over a year of history: 14
 * districts x 8,760 hourly aggregates x PM2.5 and PM10 (245,280 rows) in a FileSystem (Parquet)
 * store, the collection queried directly (no HTTP) {@code runs} times; p50 and p99 printed. Three
 * ways: a new collection per query (nothing kept: every query reads the year), one collection kept
 * as the dashboard keeps it (the partitions read once are kept until their files change), and that
 * collection after each query's history got a correction of one hour of a day in the year (a new
 * file in one partition, as a late reading or the last hour of a closing day makes).
 *
 * <p>Run: {@code java -cp <dashboard test class path>
 * org.smartcity.dashboard.bench.IndicatorYearBenchmark [runs]}.
 */
public final class IndicatorYearBenchmark {
    private IndicatorYearBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        ZoneId kunming = ZoneId.of("Asia/Shanghai");
        Zoning zoning = Zoning.kunming();
        Path dir = Files.createTempDirectory("indicator-bench");
        StoreConfig config = StoreConfig.FileSystem.parquet(dir.resolve("history").toString());
        LocalDate first = LocalDate.of(2025, 1, 1);
        long t0 = System.nanoTime();
        List<ZoneAggregate> batch = new ArrayList<>();
        long rows = 0;
        for (int day = 0; day < 365; day++) {
            for (Zone d : zoning.districts()) {
                for (Metric m : List.of(Metric.PM25, Metric.PM10)) {
                    for (int h = 0; h < 24; h++) {
                        long start =
                                first.plusDays(day)
                                        .atTime(h, 0)
                                        .atZone(kunming)
                                        .toInstant()
                                        .toEpochMilli();
                        double mean = 20 + (day % 30) + h;
                        batch.add(
                                new ZoneAggregate(
                                        m,
                                        ZoneKind.DISTRICT,
                                        d.id(),
                                        start,
                                        3_600_000,
                                        120,
                                        4,
                                        mean,
                                        mean,
                                        mean,
                                        120 * mean,
                                        mean,
                                        mean,
                                        1,
                                        60));
                    }
                }
            }
            if (batch.size() >= 20_000 || day == 364) {
                IndicatorBench.write(config, batch);
                rows += batch.size();
                batch.clear();
            }
        }
        System.err.printf("wrote %,d rows in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
        DataStore store =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
        try {
            Clock clock = Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), kunming);
            String q = "period_kind=year";
            int count = 0;
            long[] fresh = new long[runs];
            for (int r = 0; r < runs; r++) {
                long s = System.nanoTime();
                count = IndicatorBench.query(store, zoning, kunming, clock, q);
                fresh[r] = (System.nanoTime() - s) / 1_000_000;
                System.err.printf(
                        "new collection, run %d: %d ms, %d rows%n", r + 1, fresh[r], count);
            }
            Object kept = IndicatorBench.collection(store, zoning, kunming, clock);
            IndicatorBench.query(kept, q);
            long[] warm = new long[runs];
            for (int r = 0; r < runs; r++) {
                long s = System.nanoTime();
                count = IndicatorBench.query(kept, q);
                warm[r] = (System.nanoTime() - s) / 1_000_000;
                System.err.printf(
                        "kept collection, run %d: %d ms, %d rows%n", r + 1, warm[r], count);
            }
            long[] corrected = new long[runs];
            for (int r = 0; r < runs; r++) {
                // One hour of one day corrected (revision 2): a new file in that day's partition.
                Zone d = zoning.districts().iterator().next();
                long start =
                        first.plusDays(r * 17 % 365)
                                .atTime(r % 24, 0)
                                .atZone(kunming)
                                .toInstant()
                                .toEpochMilli();
                IndicatorBench.write(
                        config,
                        List.of(
                                new ZoneAggregate(
                                        Metric.PM25,
                                        ZoneKind.DISTRICT,
                                        d.id(),
                                        start,
                                        3_600_000,
                                        120,
                                        4,
                                        30,
                                        30,
                                        30,
                                        3600,
                                        30,
                                        30,
                                        2,
                                        60)));
                // Seen now, not after the store's 10 s listing cache expires.
                ((FileSystemDataStore) store)
                        .storage(AggregateSchema.HISTORY_TYPE)
                        .metadata()
                        .invalidate();
                long s = System.nanoTime();
                count = IndicatorBench.query(kept, q);
                corrected[r] = (System.nanoTime() - s) / 1_000_000;
                System.err.printf(
                        "kept collection after a correction, run %d: %d ms, %d rows%n",
                        r + 1, corrected[r], count);
            }
            print("new collection per query", rows, count, fresh);
            print("kept collection", rows, count, warm);
            print("kept collection, one hour corrected before each query", rows, count, corrected);
        } finally {
            store.dispose();
        }
    }

    private static void print(String what, long rows, int count, long[] millis) {
        Arrays.sort(millis);
        int runs = millis.length;
        System.out.printf(
                "| year of indicators, %s (%,d hourly rows, %d rows out) | p50 %d ms | p99 %d ms |%n",
                what, rows, count, millis[runs / 2], millis[(int) Math.ceil(runs * 0.99) - 1]);
    }
}
