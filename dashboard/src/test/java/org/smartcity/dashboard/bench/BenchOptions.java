package org.smartcity.dashboard.bench;

import static org.smartcity.core.bench.BenchFlags.number;
import static org.smartcity.core.bench.BenchFlags.positive;
import static org.smartcity.core.bench.BenchFlags.valueOf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.smartcity.core.bench.BenchRun;

/**
 * The benchmark's command line. Every flag is checked here, so a typo stops the run at once with
 * the flag's name instead of after a minute of loading.
 */
record BenchOptions(
        boolean quick,
        long aggregates,
        int sensors,
        long seed,
        int batchSize,
        Path storeDir,
        boolean compact,
        int warmupRequests,
        int requests,
        boolean query,
        boolean live,
        int liveSensors,
        int liveSeconds,
        int liveWarmupSeconds,
        int burstSeconds,
        int tricklePerSecond,
        List<Integer> clients,
        List<String> args) {

    static final String USAGE =
            """
            DashboardBenchmark [--quick] [--aggregates N] [--sensors N] [--seed N] [--batch N]
                               [--store-dir DIR] [--compact] [--requests N]
                               [--warmup-requests N]
                               [--no-query] [--no-live] [--live-sensors N] [--live-seconds N]
                               [--live-warmup-seconds N] [--burst-seconds N] [--trickle N]
                               [--clients C1,C2,..]
              --aggregates          rows loaded into the history store (default 1,000,000;
                                    --quick: 100,000)
              --sensors             sensors of the history's network, the 9 metrics in turn, each
                                    reporting every 5 minutes (default 36: 1,000,000 rows span
                                    about 30 days)
              --seed                seed of the generated network and values (default 42)
              --batch               features per write, as the history sink's batch (default 1,000)
              --store-dir DIR       keep the history store in DIR and reuse it on the next run with
                                    the same --aggregates, --sensors, --seed and --batch (no
                                    reload); default: a temporary directory, deleted at the end
              --compact             compact every day partition of the history store
                                    (HistoryCompactor, as the sink does: one file per partition,
                                    each window once) before the queries
              --requests            timed items requests per format (default 300; --quick: 100)
              --warmup-requests     untimed requests first (default 50; --quick: 20)
              --no-query, --no-live skip the items query part or the live update part
              --live-sensors        sensors whose zones make up a window-close burst (default 500)
              --live-seconds        how long each live run writes (default 60; --quick: 20)
              --live-warmup-seconds writes earlier in a run are not measured (default 10;
                                    --quick: 5)
              --burst-seconds       a burst of every zone's new 1-minute window every N seconds
                                    (default 5)
              --trickle             corrections (a window's next revision) per second between
                                    bursts (default 10)
              --clients             SSE client counts, one live run each (default 1,20)
            """;

    static BenchOptions parse(String... argv) {
        List<String> args = List.of(argv);
        boolean quick = args.contains("--quick");
        long aggregates = quick ? 100_000 : 1_000_000;
        int sensors = 36;
        long seed = 42;
        int batch = 1_000;
        Path storeDir = null;
        boolean compact = false;
        int warmup = quick ? 20 : 50;
        int requests = quick ? 100 : 300;
        boolean query = true;
        boolean live = true;
        int liveSensors = 500;
        int liveSeconds = quick ? 20 : 60;
        int liveWarmup = quick ? 5 : 10;
        int burst = 5;
        int trickle = 10;
        List<Integer> clients = List.of(1, 20);
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--quick" -> {
                    continue;
                }
                case "--no-query" -> {
                    query = false;
                    continue;
                }
                case "--no-live" -> {
                    live = false;
                    continue;
                }
                case "--compact" -> {
                    compact = true;
                    continue;
                }
                case "--help", "-h" -> throw new IllegalArgumentException(BenchRun.HELP);
                default -> {}
            }
            String v = valueOf(args, i);
            i++; // past the value
            switch (flag) {
                case "--aggregates" -> aggregates = positive(flag, v);
                case "--sensors" -> sensors = (int) positive(flag, v);
                case "--seed" -> seed = number(flag, v);
                case "--batch" -> batch = (int) positive(flag, v);
                case "--store-dir" -> storeDir = Path.of(v);
                case "--requests" -> requests = (int) positive(flag, v);
                case "--warmup-requests" -> warmup = (int) number(flag, v);
                case "--live-sensors" -> liveSensors = (int) positive(flag, v);
                case "--live-seconds" -> liveSeconds = (int) positive(flag, v);
                case "--live-warmup-seconds" -> liveWarmup = (int) number(flag, v);
                case "--burst-seconds" -> burst = (int) positive(flag, v);
                case "--trickle" -> trickle = (int) number(flag, v);
                case "--clients" -> clients = counts(flag, v);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (liveWarmup >= liveSeconds) {
            throw new IllegalArgumentException(
                    "--live-warmup-seconds must be below --live-seconds");
        }
        if (warmup < 0 || liveWarmup < 0 || trickle < 0) {
            throw new IllegalArgumentException(
                    "--warmup-requests, --live-warmup-seconds and --trickle cannot be negative");
        }
        return new BenchOptions(
                quick,
                aggregates,
                sensors,
                seed,
                batch,
                storeDir,
                compact,
                warmup,
                requests,
                query,
                live,
                liveSensors,
                liveSeconds,
                liveWarmup,
                burst,
                trickle,
                clients,
                args);
    }

    private static List<Integer> counts(String flag, String value) {
        List<Integer> out = new ArrayList<>();
        for (String part : value.split(",")) {
            long n = positive(flag, part.trim());
            if (n > 400) {
                // The dashboard serves at most 500 stream clients.
                throw new IllegalArgumentException(flag + " allows at most 400 clients, got " + n);
            }
            out.add((int) n);
        }
        return List.copyOf(out);
    }
}
