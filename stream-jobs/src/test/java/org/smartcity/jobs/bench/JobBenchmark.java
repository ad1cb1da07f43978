package org.smartcity.jobs.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.bench.BenchRun;
import org.smartcity.core.bench.Percentiles;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;
import org.smartcity.sinks.GeoMesaSink;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.ZoningGeometries;

/**
 * Measures the city aggregation job on this machine: its throughput over a preloaded readings
 * topic, the same for a Flink SQL version of its simplest part, and how soon a closed window is
 * visible in the live layer. Not a test: speed depends on the machine, so it is run by hand and its
 * table goes into the report.
 *
 * <p>Run from the repository root (after {@code ./mvnw install -DskipTests} once):
 *
 * <pre>
 * ./mvnw -q -pl stream-jobs -Pbench test-compile exec:exec
 * </pre>
 *
 * <p>The {@code bench} profile of {@code stream-jobs/pom.xml} runs this class in a JVM of its own
 * (heap {@code -Dbench.heap}, 4g by default) on the test class path: Flink's MiniCluster loads the
 * job's classes from the system class loader, so {@code exec:java}'s isolated one does not work.
 * Add {@code -Dbench.args="--quick"} for a short run (300,000 readings, one run of each job),
 * {@code -Dbench.args="--help"} for the options. Progress goes to stderr, the results (markdown) to
 * stdout.
 *
 * <p>How it measures:
 *
 * <ol>
 *   <li>A Kafka broker starts in a child JVM. {@link BenchSensors} (seeded) makes the readings of
 *       5,000 sensors of all nine metrics across Kunming, every sensor once per 10 s of event time
 *       with up to 2 s of disorder (well within the job's 5 s), and {@link ReadingsTopic} preloads
 *       them as the bridge writes them (canonical JSON keyed by sensor id, 6 partitions, lz4): the
 *       preload is timed on its own.
 *   <li>{@link ThroughputJobs}: the job's topology and the Flink SQL aggregation each read the
 *       whole topic through the same bounded Kafka source, decoder and watermarks, on a fresh local
 *       MiniCluster of the given parallelism, into a discarding sink. Throughput = readings / the
 *       job's net runtime as Flink reports it (deployment to the end of the last task). They
 *       alternate, so that a burst of load from elsewhere hits both; the median run counts. Each
 *       run must count every reading exactly once in its aggregates, or it is reported as wrong.
 *   <li>Latency: the whole job as {@code main} builds it ({@link CityAggregationJob#build}: Kafka
 *       source, late readings and aggregates topics, checkpoints), writing to the live layer
 *       (GeoMesa Kafka DataStore), over a topic fed at half the measured throughput with event time
 *       following the wall clock. {@link LiveLayerProbe} is a live-layer reader that notes when
 *       each aggregate of the shortest windows appears; its latency is that moment minus (window
 *       end + the watermark's out-of-orderness), the earliest moment the job can close the window.
 * </ol>
 */
public final class JobBenchmark {
    static final String COMMAND = "./mvnw -q -pl stream-jobs -Pbench test-compile exec:exec";

    /** Where the preloaded event time starts: 08:00 in Kunming, the morning rush. */
    static final Instant EVENT_START = Instant.parse("2026-11-24T00:00:00Z");

    /** Aggregates of windows closing later than this after the feed stopped are not waited for. */
    static final Duration LATENCY_DRAIN = Duration.ofSeconds(8);

    private final BenchOptions options;
    private final PrintStream progress = System.err;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> loadAverages = new ArrayList<>();
    private Path dataDir;
    private KafkaBroker kafka;
    private ProcessHandle broker;

    private JobBenchmark(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options =
                BenchRun.parseOrExit("JobBenchmark", BenchOptions.USAGE, args, BenchOptions::parse);
        if (options == null) {
            return;
        }
        new JobBenchmark(options).run();
        // Flink's and Kafka's non-daemon threads would keep Maven's JVM alive.
        System.exit(0);
    }

    /** A job run and where the machine's CPU went meanwhile. */
    record Measured(
            ThroughputJobs.Run run,
            double jvmCpu,
            double brokerCpu,
            long jvmCpuNanos,
            String loadAverage) {

        /** CPU time of this JVM (the job, and Flink around it) per reading, in microseconds. */
        double cpuMicrosPerReading(long readings) {
            return jvmCpuNanos / 1000.0 / readings;
        }
    }

    /** The latency part's outcome. */
    record Latency(
            int rate,
            long fed,
            String windowLengths,
            Duration liveFlushInterval,
            List<Long> samples,
            List<Long> slowestPerWindow,
            double jvmCpu,
            double brokerCpu,
            String loadAverage) {}

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("job-bench-");
        dataDir = dir;
        Recording jfr = BenchRun.startJfr(options.jfr());
        progress.printf(
                "Benchmark data in %s; %s; load %s%n",
                dir, BenchMachine.describe(), BenchMachine.loadAverage());
        try {
            kafka = KafkaBroker.start(0, dir.resolve("kafka"), "1g");
            broker = ProcessHandle.of(kafka.pid()).orElseThrow();
            progress.printf("Kafka up: %s%n", kafka);
            BenchSensors sensors = new BenchSensors(options.sensors(), options.seed());
            ReadingsTopic topic =
                    new ReadingsTopic(kafka.bootstrapServers(), "bench.readings-" + run);
            topic.create(options.partitions());
            progress.printf(
                    "Preloading %,d readings of %,d sensors into %s ...%n",
                    options.readings(), options.sensors(), topic.name());
            ReadingsTopic.Preload preload =
                    topic.preload(
                            sensors,
                            options.readings(),
                            options.readingInterval(),
                            EVENT_START.toEpochMilli(),
                            options.seed());
            progress.printf(
                    "Preloaded in %.1f s (%,.0f readings/s, %,d MB of JSON, %s of event time)%n",
                    preload.millis() / 1000.0,
                    preload.readingsPerSecond(),
                    preload.bytes() >> 20,
                    human(preload.eventTimeSpan()));

            List<Measured> ours = new ArrayList<>();
            List<Measured> sql = new ArrayList<>();
            for (int i = 1; i <= options.runs(); i++) {
                JobConfig oursCfg = jobConfig(topic, "ours", i);
                ours.add(measure("ours", i, () -> ThroughputJobs.ours(oursCfg)));
                if (options.sql()) {
                    JobConfig sqlCfg = jobConfig(topic, "sql", i);
                    sql.add(measure("sql", i, () -> ThroughputJobs.sql(sqlCfg)));
                }
            }
            Latency latency = null;
            if (options.latency()) {
                double sustained = median(ours, options.readings());
                int rate =
                        options.latencyRate() > 0
                                ? options.latencyRate()
                                : (int) Math.max(1, sustained / 2);
                latency = latency(sensors, rate);
            }
            System.out.print(report(preload, ours, sql, latency));
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            if (jfr != null) {
                jfr.stop();
                jfr.close();
                progress.println("JFR recording of this JVM: " + options.jfr().toAbsolutePath());
            }
            BenchRun.delete(dir);
        }
    }

    private JobConfig jobConfig(ReadingsTopic topic, String job, int i) {
        List<String> flags =
                new ArrayList<>(
                        List.of(
                                "--kafka-bootstrap=" + kafka.bootstrapServers(),
                                "--kafka-readings-topic=" + topic.name(),
                                "--kafka-group-id=bench-" + job + "-" + i + "-" + run,
                                "--parallelism=" + options.parallelism(),
                                "--store-history=none",
                                "--store-live-catalog=none"));
        flags.addAll(options.jobFlags());
        return JobConfig.fromFlags(flags.toArray(String[]::new));
    }

    /** Something that runs a job. */
    private interface JobRun {
        ThroughputJobs.Run call() throws Exception;
    }

    private Measured measure(String job, int i, JobRun body) throws Exception {
        progress.printf("Run %d of %s ... ", i, job);
        LongSupplier jvm = () -> BenchMachine.cpuNanos(ProcessHandle.current());
        long jvmBefore = jvm.getAsLong();
        long brokerBefore = BenchMachine.cpuNanos(broker);
        ThroughputJobs.Run r = body.call();
        double wallNanos = TimeUnit.MILLISECONDS.toNanos(r.wallMillis());
        long jvmCpu = jvm.getAsLong() - jvmBefore;
        Measured m =
                new Measured(
                        r,
                        100.0 * jvmCpu / wallNanos,
                        100.0 * (BenchMachine.cpuNanos(broker) - brokerBefore) / wallNanos,
                        jvmCpu,
                        BenchMachine.loadAverage());
        progress.printf(
                Locale.ROOT,
                "%,.0f readings/s (%.1f s; %,d aggregates; %,d readings counted%s); CPU: this JVM"
                        + " %.0f%% (%.1f µs per reading), Kafka %.0f%%; load %s%n",
                r.readingsPerSecond(options.readings()),
                r.netRuntimeMillis() / 1000.0,
                r.aggregates(),
                r.counted(),
                r.counted() == options.readings()
                        ? ""
                        : " -- WRONG, expected " + options.readings(),
                m.jvmCpu(),
                m.cpuMicrosPerReading(options.readings()),
                m.brokerCpu(),
                m.loadAverage());
        loadAverages.add(m.loadAverage());
        return m;
    }

    private Latency latency(BenchSensors sensors, int rate) throws Exception {
        ReadingsTopic topic = new ReadingsTopic(kafka.bootstrapServers(), "bench.live-" + run);
        topic.create(options.partitions());
        JobConfig cfg =
                JobConfig.fromFlags(
                        "--kafka-bootstrap=" + kafka.bootstrapServers(),
                        "--kafka-readings-topic=" + topic.name(),
                        "--kafka-group-id=bench-live-" + run,
                        "--kafka-late-topic=bench.late-" + run,
                        "--kafka-aggregates-topic=bench.aggregates-" + run,
                        "--window-lengths=" + options.latencyWindowLengths(),
                        "--parallelism=" + options.parallelism(),
                        "--store-history=none",
                        "--store-live-catalog=none");
        StoreConfig store = StoreConfig.Kafka.local(kafka.bootstrapServers(), "bench-live-" + run);
        long outOfOrderness = cfg.outOfOrderness().toMillis();
        long shortest = cfg.aggregation().shortest().toMillis();
        long begin = System.currentTimeMillis();
        long feedEnd = begin + options.latencyDuration().toMillis();
        progress.printf(
                "Latency: the job with the live layer, windows %s, fed %,d readings/s for %d s ...%n",
                options.latencyWindowLengths(), rate, options.latencyDuration().toSeconds());
        long jvmBefore = BenchMachine.cpuNanos(ProcessHandle.current());
        long brokerBefore = BenchMachine.cpuNanos(broker);
        AtomicLong fed = new AtomicLong();
        Duration flushInterval;
        try (LiveLayerProbe probe =
                new LiveLayerProbe(
                        store,
                        shortest,
                        outOfOrderness,
                        begin + options.latencyWarmup().toMillis())) {
            // As every deployment does (deploy/local, deploy/k8s): checkpoints to files. Flink's
            // default, the JobManager's memory, refuses a task's state over 5 MB, and ten minutes
            // of windows of 5,000 sensors with their sketches are more than that.
            Configuration conf = new Configuration();
            conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    dataDir.resolve("checkpoints").toUri().toString());
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(options.parallelism(), conf);
            GeoMesaSink.Builder live =
                    GeoMesaSink.builder()
                            .layer(Layer.LIVE)
                            .store(store)
                            .geometries(new ZoningGeometries(cfg.zoning()));
            if (options.liveFlushInterval() != null) {
                live.flushInterval(options.liveFlushInterval());
            }
            GeoMesaSink sink = live.build();
            flushInterval = sink.flushInterval();
            CityAggregationJob.build(env, cfg, null, sink);
            JobClient job = env.executeAsync("bench-live");
            Thread feeder =
                    new Thread(
                            () ->
                                    fed.set(
                                            topic.feed(
                                                    sensors,
                                                    rate,
                                                    options.seed(),
                                                    () -> System.currentTimeMillis() >= feedEnd)),
                            "bench-feeder");
            feeder.start();
            feeder.join();
            // Windows that the feed closed: end + out-of-orderness before it stopped. The last of
            // them needs the job and the live layer to catch up.
            long lastEnd = feedEnd - outOfOrderness - 1_000;
            long lastStart = Math.floorDiv(lastEnd, shortest) * shortest - shortest;
            if (!probe.awaitWindow(lastStart, LATENCY_DRAIN)) {
                progress.printf(
                        "The window starting at %s was not visible %d s after the feed stopped%n",
                        Instant.ofEpochMilli(lastStart), LATENCY_DRAIN.toSeconds());
            }
            job.cancel().get(60, TimeUnit.SECONDS);
            double wall = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - begin);
            List<Long> samples = probe.latencies();
            List<Long> perWindow = new ArrayList<>();
            for (Map.Entry<Long, Long> w : probe.slowestPerWindow().entrySet()) {
                if (w.getKey() + shortest <= lastEnd) {
                    perWindow.add(w.getValue());
                }
            }
            return new Latency(
                    rate,
                    fed.get(),
                    options.latencyWindowLengths(),
                    flushInterval,
                    samples,
                    perWindow,
                    100.0 * (BenchMachine.cpuNanos(ProcessHandle.current()) - jvmBefore) / wall,
                    100.0 * (BenchMachine.cpuNanos(broker) - brokerBefore) / wall,
                    BenchMachine.loadAverage());
        }
    }

    private String report(
            ReadingsTopic.Preload preload,
            List<Measured> ours,
            List<Measured> sql,
            Latency latency) {
        long n = options.readings();
        StringBuilder out = new StringBuilder();
        out.append("\n## City aggregation job benchmark\n\n");
        out.append("Machine: ").append(BenchMachine.describe()).append(". ");
        out.append(
                        "The Kafka broker (child JVM) and the jobs (MiniCluster in this JVM) share it;"
                                + " load average (1, 5, 15 min) after each run: ")
                .append(String.join("; ", loadAverages))
                .append(".\n\n");
        out.append(
                String.format(
                        Locale.ROOT,
                        "Readings: %,d from %,d sensors (all 9 metrics) across Kunming, one per"
                                + " sensor every %d s of event time (%s in all), up to %d ms out"
                                + " of order; %,d MB of canonical JSON in %d partitions, preloaded"
                                + " in %.1f s (%,.0f readings/s). Parallelism %d. Job flags: %s.%n%n",
                        n,
                        options.sensors(),
                        options.readingInterval().toSeconds(),
                        human(preload.eventTimeSpan()),
                        ReadingsTopic.MAX_DISORDER_MILLIS,
                        preload.bytes() >> 20,
                        options.partitions(),
                        preload.millis() / 1000.0,
                        preload.readingsPerSecond(),
                        options.parallelism(),
                        options.jobFlags().isEmpty()
                                ? "none (defaults)"
                                : String.join(" ", options.jobFlags())));
        out.append(
                "| job | what it computes | readings/s per run | median readings/s |"
                        + " CPU µs per reading (median) | aggregates | CPU this JVM / Kafka |\n");
        out.append("|---|---|---|--:|--:|--:|---|\n");
        out.append(row("CityAggregationJob", computes(), ours));
        if (!sql.isEmpty()) {
            out.append(row("Flink SQL TUMBLE", "h3, 1m, COUNT/AVG/MIN/MAX", sql));
        }
        double oursMedian = median(ours, n);
        out.append(
                String.format(
                        Locale.ROOT,
                        "%nOur job: %,.0f readings/s (target >= 150,000).",
                        oursMedian));
        if (!sql.isEmpty()) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            " Our/SQL ratio: %.2f (target >= 1.0); by CPU time per reading,"
                                    + " which other load on the machine disturbs less: %.2f.",
                            oursMedian / median(sql, n),
                            medianMicros(sql, n) / medianMicros(ours, n)));
        }
        boolean allCounted =
                Stream.concat(ours.stream(), sql.stream()).allMatch(m -> m.run().counted() == n);
        out.append(
                allCounted
                        ? " Every run counted each reading exactly once.\n"
                        : " SOME RUNS MISCOUNTED (see above): their figures are wrong.\n");
        if (latency != null) {
            out.append(latencyReport(latency));
        }
        out.append("\nReproduce: `").append(COMMAND);
        if (!options.args().isEmpty()) {
            out.append(" -Dbench.args=\"").append(String.join(" ", options.args())).append("\"");
        }
        out.append("`\n");
        return out.toString();
    }

    /** What our job computes with the benchmark's job flags. */
    private String computes() {
        JobConfig cfg = JobConfig.fromFlags(options.jobFlags().toArray(String[]::new));
        List<String> lengths = new ArrayList<>();
        for (Duration d : cfg.windowLengths()) {
            lengths.add(ZoneAggregate.windowLabel(d.toMillis()));
        }
        return (cfg.zoning().districts() == null ? "h3 + city" : "h3 + district + city")
                + ", "
                + String.join("→", lengths)
                + ", count/sensors/mean/min/max/sum/p50/p95";
    }

    private String latencyReport(Latency l) {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "%nLive layer latency (window end + 5 s out-of-orderness -> visible to a"
                                + " live-layer reader), the whole job with windows %s and the"
                                + " live-layer sink flushing at least every %d ms, fed %,d"
                                + " readings/s (%,d in all, %,.0f/s achieved) with event time ="
                                + " wall clock; windows"
                                + " of the first %d s not measured; CPU this JVM %.0f%%, Kafka"
                                + " %.0f%%; load %s:%n%n",
                        l.windowLengths(),
                        l.liveFlushInterval().toMillis(),
                        l.rate(),
                        l.fed(),
                        l.fed() / (double) options.latencyDuration().toSeconds(),
                        options.latencyWarmup().toSeconds(),
                        l.jvmCpu(),
                        l.brokerCpu(),
                        l.loadAverage()));
        out.append("| samples | count | p50 ms | p99 ms | max ms |\n|---|--:|--:|--:|--:|\n");
        out.append(latencyRow("each aggregate of the shortest windows", l.samples()));
        out.append(latencyRow("each window's last aggregate", l.slowestPerWindow()));
        long p99 = percentile(l.samples(), 99);
        out.append(
                String.format(
                        Locale.ROOT,
                        "%nTarget p99 <= 500 ms beyond the out-of-orderness bound: %s.%n",
                        p99 < 0
                                ? "no samples"
                                : p99 <= 500 ? "met (" + p99 + " ms)" : "missed (" + p99 + " ms)"));
        return out.toString();
    }

    private static String latencyRow(String what, List<Long> samples) {
        return String.format(
                Locale.ROOT,
                "| %s | %,d | %d | %d | %d |%n",
                what,
                samples.size(),
                percentile(samples, 50),
                percentile(samples, 99),
                samples.stream().mapToLong(Long::longValue).max().orElse(-1));
    }

    private String row(String job, String what, List<Measured> runs) {
        long n = options.readings();
        List<String> rates = new ArrayList<>();
        List<String> cpu = new ArrayList<>();
        for (Measured m : runs) {
            rates.add(String.format(Locale.ROOT, "%,.0f", m.run().readingsPerSecond(n)));
            cpu.add(String.format(Locale.ROOT, "%.0f%% / %.0f%%", m.jvmCpu(), m.brokerCpu()));
        }
        return String.format(
                Locale.ROOT,
                "| %s | %s | %s | %,.0f | %.1f | %,d | %s |%n",
                job,
                what,
                String.join(", ", rates),
                median(runs, n),
                medianMicros(runs, n),
                runs.get(0).run().aggregates(),
                String.join(", ", cpu));
    }

    static double median(List<Measured> runs, long readings) {
        return median(runs.stream().mapToDouble(m -> m.run().readingsPerSecond(readings)));
    }

    static double medianMicros(List<Measured> runs, long readings) {
        return median(runs.stream().mapToDouble(m -> m.cpuMicrosPerReading(readings)));
    }

    private static double median(DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Nearest-rank percentile ({@link Percentiles}); -1 when there are no samples. */
    static long percentile(List<Long> samples, double p) {
        Long v = Percentiles.nearestRank(samples, p);
        return v == null ? -1 : v;
    }

    private static String human(Duration d) {
        return d.toHours() > 0
                ? String.format(Locale.ROOT, "%.1f h", d.toMinutes() / 60.0)
                : String.format(Locale.ROOT, "%d min", d.toMinutes());
    }
}
