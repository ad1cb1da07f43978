package org.smartcity.jobs.bench;

import static org.smartcity.core.bench.BenchFlags.number;
import static org.smartcity.core.bench.BenchFlags.positive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.smartcity.core.bench.BenchRun;
import org.smartcity.jobs.JobConfig;

/**
 * The benchmark's command line. Every flag is checked here, so a typo stops the run at once with
 * the flag's name instead of after minutes of preloading.
 */
record BenchOptions(
        boolean quick,
        long readings,
        int sensors,
        Duration readingInterval,
        long seed,
        int partitions,
        int parallelism,
        int runs,
        boolean sql,
        boolean latency,
        Duration latencyDuration,
        Duration latencyWarmup,
        int latencyRate,
        String latencyWindowLengths,
        Duration liveFlushInterval,
        List<String> jobFlags,
        Path jfr,
        List<String> args) {

    static final String USAGE =
            """
            JobBenchmark [--quick] [--readings N] [--sensors N] [--interval-seconds N] [--seed N]
                         [--partitions N] [--parallelism N] [--runs N] [--no-sql] [--no-latency]
                         [--latency-seconds N] [--latency-warmup-seconds N] [--latency-rate N]
                         [--latency-window-lengths L1,L2,..] [--live-flush-ms N]
                         [--job-flags "FLAGS"] [--jfr FILE]
              --readings               readings preloaded into the topic (default 5,000,000;
                                       --quick: 300,000)
              --sensors                sensors, spread over all 9 metrics (default 5,000)
              --interval-seconds       how often each sensor reports, in event time (default 10:
                                       5M readings from 5,000 sensors span 2.8 h of event time)
              --seed                   seed of the generated readings (default 42)
              --partitions             partitions of the readings topic (default 6, as the bridge)
              --parallelism            of both jobs (default 2)
              --runs                   runs of each job; the median is reported (default 3;
                                       --quick: 1)
              --no-sql, --no-latency   skip the Flink SQL baseline or the latency part
              --latency-seconds        how long the latency part feeds readings (default 150;
                                       --quick: 45)
              --latency-warmup-seconds windows ending earlier are not measured (default 30;
                                       --quick: 15)
              --latency-rate           readings/s fed in the latency part (default: half the
                                       median throughput of the job)
              --latency-window-lengths window lengths of the latency part (default 10s,1m,5m, so
                                       that many windows close within minutes)
              --live-flush-ms          longest an aggregate waits in the live-layer sink's
                                       buffer (default: the sink's default, 500)
              --job-flags "FLAGS"      job options for every run, e.g. "--window-lengths=1m
                                       --zoning-districts=none" (default: none, the job's
                                       defaults)
              --jfr FILE               record this JVM with Java Flight Recorder (profiling)
            """;

    static BenchOptions parse(String... argv) {
        List<String> args = List.of(argv);
        boolean quick = args.contains("--quick");
        long readings = quick ? 300_000 : 5_000_000;
        int sensors = 5_000;
        Duration interval = Duration.ofSeconds(10);
        long seed = 42;
        int partitions = 6;
        int parallelism = 2;
        int runs = quick ? 1 : 3;
        boolean sql = true;
        boolean latency = true;
        Duration latencyDuration = Duration.ofSeconds(quick ? 45 : 150);
        Duration latencyWarmup = Duration.ofSeconds(quick ? 15 : 30);
        int latencyRate = 0;
        String windowLengths = "10s,1m,5m";
        Duration liveFlush = null;
        List<String> jobFlags = List.of();
        Path jfr = null;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--quick" -> {
                    continue;
                }
                case "--no-sql" -> {
                    sql = false;
                    continue;
                }
                case "--no-latency" -> {
                    latency = false;
                    continue;
                }
                case "--help", "-h" -> throw new IllegalArgumentException(BenchRun.HELP);
                default -> {}
            }
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + flag + "'");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args.get(++i);
            switch (flag) {
                case "--readings" -> readings = positive(flag, v);
                case "--sensors" -> sensors = (int) positive(flag, v);
                case "--interval-seconds" -> interval = Duration.ofSeconds(positive(flag, v));
                case "--seed" -> seed = number(flag, v);
                case "--partitions" -> partitions = (int) positive(flag, v);
                case "--parallelism" -> parallelism = (int) positive(flag, v);
                case "--runs" -> runs = (int) positive(flag, v);
                case "--latency-seconds" -> latencyDuration = Duration.ofSeconds(positive(flag, v));
                case "--latency-warmup-seconds" ->
                        latencyWarmup = Duration.ofSeconds(number(flag, v));
                case "--latency-rate" -> latencyRate = (int) positive(flag, v);
                case "--latency-window-lengths" -> {
                    // The job's own parser, so the same lengths are accepted as by the job.
                    JobConfig.fromFlags("--window-lengths", v);
                    windowLengths = v;
                }
                case "--live-flush-ms" -> liveFlush = Duration.ofMillis(number(flag, v));
                case "--job-flags" -> {
                    jobFlags = List.of(v.trim().split("\\s+"));
                    // Checked now with the job's own parser, not after the preload.
                    JobConfig.fromFlags(jobFlags.toArray(String[]::new));
                }
                case "--jfr" -> jfr = Path.of(v);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (!latencyWarmup.minus(latencyDuration).isNegative()) {
            throw new IllegalArgumentException(
                    "--latency-warmup-seconds must be below --latency-seconds");
        }
        return new BenchOptions(
                quick,
                readings,
                sensors,
                interval,
                seed,
                partitions,
                parallelism,
                runs,
                sql,
                latency,
                latencyDuration,
                latencyWarmup,
                latencyRate,
                windowLengths,
                liveFlush,
                jobFlags,
                jfr,
                args);
    }
}
