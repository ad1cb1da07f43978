package org.smartcity.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.core.bench.BenchFlags;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.bench.BenchRun;
import org.smartcity.dashboard.DashboardConfig;
import org.smartcity.dashboard.DashboardServer;
import org.smartcity.deploy.LocalFlinkJob;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;
import org.smartcity.jobs.bench.AlertBenchmark;
import org.smartcity.jobs.bench.BenchSensors;
import org.smartcity.jobs.bench.ReadingsTopic;

/**
 * How soon an alert reaches Kafka and a client of the dashboard's live stream after its window
 * closes, or after its reading for a sensor rule (issue 11's latency target), and where the time
 * goes.
 *
 * <p>In this JVM: the whole aggregation job as {@code main} builds it ({@link
 * CityAggregationJob#build}: Kafka source, checkpoints, the alerts topic through the job's Kafka
 * sink) on a local cluster at parallelism 2, the dashboard ({@link DashboardServer}, following the
 * alerts topic {@code read_committed}), a paced feed of readings with event time following the wall
 * clock ({@link ReadingsTopic#feed(int, java.util.function.BooleanSupplier, ReadingsTopic.Next,
 * ReadingsTopic.Sent)}) and three probes. The Kafka broker runs in its own JVM. Two workloads
 * ({@code --workload}):
 *
 * <ul>
 *   <li>{@code pm25} (default): 5,000 PM2.5 sensors over central Kunming, 5,000 readings/s, each up
 *       to 1 s late, high (120 ug/m3) in even 10-s windows and low (30) in odd ones, so that every
 *       district and H3 cell raises or clears a threshold alert ({@code 10s} mean, raise above 75,
 *       clear below 65, after one window) at every window end. Windows {@code 10s,1m}.
 *   <li>{@code city}: issue 11's case, as {@code AlertBenchmark} (stream-jobs) builds it: 50,000
 *       sensors of all nine metrics ({@link BenchSensors}, each reading up to 2 s late), the 20
 *       rules of {@link AlertBenchmark#rules} with their windows shortened to {@code 10s,1m,5m} so
 *       that many close within a run, fed 100,000 readings/s by default: half the 199,840
 *       readings/s the job sustained with these rules on preloaded readings ({@code
 *       AlertBenchmark}, README), because at the sustained maximum a queue grows by definition, and
 *       the feed, the dashboard and the Kafka broker share this machine's two cores with the job.
 * </ul>
 *
 * <p>Each alert revision (not of the silent-sensor and coverage rules, which are timed on the
 * TaskManager's clock) of a window ending, or a reading taken, after the warm-up is timed from its
 * window's end + the 5 s out-of-orderness bound (threshold rules) or from the reading's time
 * (sensor rules; the feed stamps a reading up to 2 s before it writes it, so these are also timed
 * from the write), at:
 *
 * <ol>
 *   <li><b>fired</b>: a 10-s window's aggregate (revision 1) reaches a sink of the job: the
 *       watermark, window firing and the operators' network buffers;
 *   <li><b>appended</b>: the alert revision is appended to the alerts topic (the topic keeps the
 *       broker's append time): the alert operators and the Kafka sink, before any commit;
 *   <li><b>Kafka</b>: the alert revision reaches a {@code read_committed} consumer of the alerts
 *       topic: with exactly-once delivery, the wait for the checkpoint that commits its
 *       transaction;
 *   <li><b>SSE</b>: {@code event: alert} reaches a client of {@code /api/live/stream}: the
 *       dashboard's consumer, its alert book and the stream.
 * </ol>
 *
 * <p>Each configuration ({@code --configs}: delivery guarantee, checkpoint interval and options)
 * runs on fresh topics, alternating, {@code --runs} times; the report gives each run's figures, the
 * medians, the CPU time per second of this JVM (job, dashboard, feed and probes) and of the Kafka
 * broker, how far behind schedule the feed ran (a feed that falls behind writes in bursts) and the
 * checkpoints completed with the size of the newest.
 *
 * <p>Run from the repository root, after installing the modules into a local repository:
 *
 * <pre>
 * ./mvnw -q -pl deploy/local -Pbench test-compile exec:exec \
 *     -Dbench.main=org.smartcity.deploy.bench.AlertLatencyBenchmark \
 *     -Dbench.args="--workload city --configs exactly-once/500ms --runs 2"
 * </pre>
 */
public final class AlertLatencyBenchmark {
    static final String COMMAND =
            "./mvnw -q -pl deploy/local -Pbench test-compile exec:exec"
                    + " -Dbench.main=org.smartcity.deploy.bench.AlertLatencyBenchmark";

    static final String USAGE =
            """
            AlertLatencyBenchmark [--workload pm25|city] [--configs LIST] [--runs N]
                                  [--warmup-runs N] [--sensors N] [--rate N] [--seconds N]
                                  [--warmup-seconds N]
              --workload        pm25: two threshold rules on PM2.5 that raise or clear every
                                zone at every 10-s window end (default); city: issue 11's
                                50,000 sensors and 20 rules (AlertBenchmark's)
              --configs         delivery/checkpoint-interval[/option...], comma-separated
                                (default exactly-once/30s,exactly-once/10s,exactly-once/1s,
                                at-least-once/30s); options: a number (the network buffer
                                timeout in ms; the job keeps Flink's 100), unaligned (unaligned
                                checkpoints), debloat (buffer debloating), wm=MS (watermark
                                interval), the state backend: the demo's by default,
                                hashmap (full heap snapshots), changelog (heap state with
                                a changelog), rocksdb (RocksDB, incremental checkpoints);
                                mat=DURATION (the changelog's materialization interval,
                                e.g. mat=30s; the demo's by default), e.g.
                                exactly-once/500ms/hashmap
              --runs            runs of each configuration, alternating; medians (default 2)
              --warmup-runs     uncounted runs of the first configuration before them (default
                                1: a fresh JVM's first run at the city workload often starts
                                behind the feed and never catches up, README)
              --sensors         sensors (default 5,000 for pm25, 50,000 for city)
              --rate            readings/s fed (default 5,000 for pm25, 100,000 for city)
              --seconds         how long each run feeds readings (default 75)
              --warmup-seconds  alerts of windows ending earlier are not measured (default 25)
            """;

    /** The job's out-of-orderness bound: a window cannot close before its end plus this. */
    static final long BOUND_MILLIS = JobConfig.fromFlags().outOfOrderness().toMillis();

    static final long WINDOW_MILLIS = 10_000;
    static final long MAX_DISORDER_MILLIS = 1_000;
    static final double HIGH = 120;
    static final double LOW = 30;

    /** Time for the last measured window's alerts to arrive after the feed stops. */
    static final Duration DRAIN = Duration.ofSeconds(3);

    /** The {@code pm25} workload's rules: one threshold, on districts and on H3 cells. */
    static final String RULES =
            "rules:\n"
                    + pm25Rule("bench-pm25-district", "district")
                    + pm25Rule("bench-pm25-cell", "h3");

    private static String pm25Rule(String id, String zoneKind) {
        return """
                  - id: %s
                    kind: threshold
                    title: PM2.5 10-s mean
                    metric: pm25
                    zone_kind: %s
                    window: 10s
                    statistic: mean
                    levels: {moderate: 75}
                    clear_below: 65
                    raise_after: 1
                    clear_after: 1
                    standard: benchmark
                    source: benchmark
                """
                .formatted(id, zoneKind);
    }

    /** Where an alert (or its window's aggregate) was seen. */
    enum Point {
        FIRED,
        APPENDED,
        KAFKA,
        SSE
    }

    /**
     * What a sample is timed from: a threshold alert's window end + bound, a sensor-rule alert's
     * reading time, or the moment the feed wrote that reading.
     */
    enum From {
        WINDOW,
        READING,
        WRITTEN
    }

    /** The metrics that sensor rules watch: the feed notes when it writes their readings. */
    static final Set<Metric> SENSOR_RULE_METRICS = EnumSet.of(Metric.PM25, Metric.WATER_LEVEL);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One delivery guarantee and checkpoint interval, and the options: the network buffer timeout
     * in ms (-1: the job's), unaligned checkpoints, buffer debloating, the watermark interval in ms
     * (-1: the job's), and the state backend: {@code default} (what the demo runs, {@link
     * LocalFlinkJob#stateConfiguration}), {@code hashmap} (full snapshots of the heap state),
     * {@code rocksdb} (incremental checkpoints) or {@code changelog} (the heap backend with a
     * changelog on the local filesystem: a checkpoint writes only the changes since the last), and
     * for the changelog how often the heap state is materialized ({@code mat=DURATION}; null: the
     * demo's {@link LocalFlinkJob#MATERIALIZATION_INTERVAL}).
     */
    record Setup(
            String delivery,
            Duration interval,
            long bufferTimeout,
            boolean unaligned,
            boolean debloat,
            long watermarkInterval,
            String backend,
            Duration materialization,
            String label) {
        static Setup parse(String text) {
            String[] parts = text.trim().split("/");
            if (parts.length < 2
                    || !(parts[0].equals("exactly-once") || parts[0].equals("at-least-once"))) {
                throw new IllegalArgumentException(
                        "--configs: expected delivery/interval[/option...], e.g."
                                + " exactly-once/1s, got "
                                + text);
            }
            long bufferTimeout = -1;
            long watermarkInterval = -1;
            boolean unaligned = false;
            boolean debloat = false;
            String backend = "default";
            Duration materialization = null;
            for (String option : Arrays.asList(parts).subList(2, parts.length)) {
                if (option.equals("unaligned")) {
                    unaligned = true;
                } else if (option.equals("debloat")) {
                    debloat = true;
                } else if (option.equals("rocksdb")
                        || option.equals("changelog")
                        || option.equals("hashmap")) {
                    backend = option;
                } else if (option.startsWith("mat=")) {
                    materialization = duration(option.substring(4));
                } else if (option.startsWith("wm=")) {
                    watermarkInterval = BenchFlags.positive("--configs", option.substring(3));
                } else {
                    bufferTimeout = BenchFlags.number("--configs", option);
                }
            }
            return new Setup(
                    parts[0],
                    duration(parts[1]),
                    bufferTimeout,
                    unaligned,
                    debloat,
                    watermarkInterval,
                    backend,
                    materialization,
                    text.trim());
        }

        private static Duration duration(String d) {
            return d.endsWith("ms")
                    ? Duration.ofMillis(Long.parseLong(d.substring(0, d.length() - 2)))
                    : Duration.ofSeconds(Long.parseLong(d.substring(0, d.length() - 1)));
        }
    }

    record Options(
            boolean city,
            List<Setup> setups,
            int runs,
            int warmupRuns,
            int sensors,
            int rate,
            Duration feed,
            Duration warmup,
            List<String> args) {
        static Options parse(String... argv) {
            String configs = "exactly-once/30s,exactly-once/10s,exactly-once/1s,at-least-once/30s";
            String workload = "pm25";
            int runs = 2;
            int warmupRuns = 1;
            int sensors = 0;
            int rate = 0;
            Duration feed = Duration.ofSeconds(75);
            Duration warmup = Duration.ofSeconds(25);
            for (int i = 0; i < argv.length; i++) {
                String flag = argv[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    throw new IllegalArgumentException(BenchRun.HELP);
                }
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String v = argv[++i];
                switch (flag) {
                    case "--workload" -> workload = v;
                    case "--configs" -> configs = v;
                    case "--runs" -> runs = (int) BenchFlags.positive(flag, v);
                    case "--warmup-runs" -> warmupRuns = (int) BenchFlags.number(flag, v);
                    case "--sensors" -> sensors = (int) BenchFlags.positive(flag, v);
                    case "--rate" -> rate = (int) BenchFlags.positive(flag, v);
                    case "--seconds" -> feed = Duration.ofSeconds(BenchFlags.positive(flag, v));
                    case "--warmup-seconds" ->
                            warmup = Duration.ofSeconds(BenchFlags.number(flag, v));
                    default -> throw new IllegalArgumentException("unknown flag " + flag);
                }
            }
            if (!workload.equals("pm25") && !workload.equals("city")) {
                throw new IllegalArgumentException("--workload: pm25 or city, got " + workload);
            }
            boolean city = workload.equals("city");
            if (warmup.plusSeconds(20).compareTo(feed) > 0) {
                throw new IllegalArgumentException(
                        "--seconds must be at least --warmup-seconds + 20 (two windows)");
            }
            List<Setup> setups = Stream.of(configs.split(",")).map(Setup::parse).toList();
            return new Options(
                    city,
                    setups,
                    runs,
                    warmupRuns,
                    sensors > 0 ? sensors : city ? 50_000 : 5_000,
                    rate > 0 ? rate : city ? 100_000 : 5_000,
                    feed,
                    warmup,
                    List.of(argv));
        }
    }

    /** Latency samples in ms, by where they were taken and what they are timed from. */
    static final class Samples {
        private final Map<String, List<Long>> byKey = new ConcurrentHashMap<>();

        void add(Point point, From from, long millis) {
            byKey.computeIfAbsent(
                            point + "/" + from,
                            k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(millis);
        }

        List<Long> get(Point point, From from) {
            List<Long> v = byKey.get(point + "/" + from);
            if (v == null) {
                return List.of();
            }
            synchronized (v) {
                return List.copyOf(v);
            }
        }
    }

    /** The samples of one run and what the run cost. */
    record Run(
            Setup setup,
            Samples samples,
            double cores,
            double kafkaCores,
            ReadingsTopic.Fed fed,
            long checkpoints,
            long checkpointBytes,
            long diskBytes,
            String load) {}

    /**
     * When the feed wrote each reading of a sensor-rule metric, per sensor: the newest 64 (at
     * 100,000 readings/s from 50,000 sensors, the last 32 s), so that a sensor-rule alert, which
     * carries its reading's time, can be timed from the write too.
     */
    static final class WriteBook {
        private static final int KEPT = 64;
        private final Map<String, long[]> rings = new ConcurrentHashMap<>();

        void sent(Reading r, long sentMillis) {
            if (!SENSOR_RULE_METRICS.contains(r.metric())) {
                return;
            }
            long[] ring = rings.computeIfAbsent(r.sensorId(), k -> new long[2 * KEPT + 1]);
            synchronized (ring) {
                int at = (int) (ring[2 * KEPT]++ % KEPT);
                ring[2 * at] = r.timestampMillis();
                ring[2 * at + 1] = sentMillis;
            }
        }

        /**
         * When the reading of {@code sensor} taken at {@code timestampMillis} was written, or -1.
         */
        long writtenAt(String sensor, long timestampMillis) {
            long[] ring = rings.get(sensor);
            if (ring == null) {
                return -1;
            }
            synchronized (ring) {
                for (int i = 0; i < KEPT; i++) {
                    if (ring[2 * i] == timestampMillis) {
                        return ring[2 * i + 1];
                    }
                }
            }
            return -1;
        }
    }

    /**
     * When aggregates reach the job's sinks, per run: the probe sink runs in this JVM's local
     * cluster, so it hands its samples over through this map (a benchmark's shortcut).
     */
    static final Map<String, Samples> FIRED = new ConcurrentHashMap<>();

    private final Options options;
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private KafkaBroker kafka;
    private Path dir;

    private AlertLatencyBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options =
                BenchRun.parseOrExit("AlertLatencyBenchmark", USAGE, args, Options::parse);
        if (options == null) {
            return;
        }
        new AlertLatencyBenchmark(options).run();
        // Flink's and Kafka's non-daemon threads would keep Maven's JVM alive.
        System.exit(0);
    }

    private void run() throws Exception {
        dir = Files.createTempDirectory("alert-latency-");
        System.err.printf(
                "Benchmark data in %s; %s; load %s%n",
                dir, BenchMachine.describe(), BenchMachine.loadAverage());
        List<Run> runs = new ArrayList<>();
        try {
            kafka = KafkaBroker.start(0, dir.resolve("kafka"), "1g");
            Path rules = dir.resolve("rules.yaml");
            Files.writeString(rules, options.city() ? AlertBenchmark.rules(true) : RULES);
            BenchSensors sensors = options.city() ? new BenchSensors(options.sensors(), 42) : null;
            int n = 0;
            for (int i = 0; i < options.warmupRuns(); i++) {
                Run r = measure(options.setups().get(0), rules, sensors, n++);
                System.err.println("warm-up, not counted: " + AlertLatencyReport.runLine(n, r));
            }
            for (int i = 0; i < options.runs(); i++) {
                // Alternate the order, so that no configuration always runs first.
                List<Setup> order = new ArrayList<>(options.setups());
                if (i % 2 == 1) {
                    Collections.reverse(order);
                }
                for (Setup setup : order) {
                    Run r = measure(setup, rules, sensors, n++);
                    runs.add(r);
                    System.err.println(AlertLatencyReport.runLine(n, r));
                }
            }
            System.out.print(AlertLatencyReport.markdown(options, runs));
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            BenchRun.delete(dir);
        }
    }

    private Run measure(Setup setup, Path rules, BenchSensors sensors, int n) throws Exception {
        String run = id + "-" + n;
        String readings = "bench.readings-" + run;
        String alerts = "bench.alerts-" + run;
        createTopics(readings, alerts);
        JobConfig cfg =
                JobConfig.fromFlags(
                        "--kafka-bootstrap=" + kafka.bootstrapServers(),
                        "--kafka-readings-topic=" + readings,
                        "--kafka-group-id=bench-" + run,
                        "--kafka-late-topic=bench.late-" + run,
                        "--kafka-aggregates-topic=",
                        "--kafka-alerts-topic=" + alerts,
                        "--kafka-delivery-guarantee=" + setup.delivery(),
                        "--checkpoint-interval=" + setup.interval().toMillis() + "ms",
                        "--window-lengths=" + (options.city() ? "10s,1m,5m" : "10s,1m"),
                        "--parallelism=2",
                        "--store-history=none",
                        "--store-live-catalog=none",
                        "--alert-rules=" + rules);
        Path state = dir.resolve("state-" + run);
        Path checkpoints = state.resolve(LocalFlinkJob.CHECKPOINTS);
        Path changelog = state.resolve(LocalFlinkJob.CHANGELOG);
        // The demo's state settings (LocalFlinkJob), so that the default is the product's figure.
        Configuration conf =
                LocalFlinkJob.stateConfiguration(
                        state,
                        switch (setup.backend()) {
                            case "changelog" -> true;
                            case "hashmap", "rocksdb" -> false;
                            default -> LocalFlinkJob.DEFAULT_CHANGELOG;
                        });
        if (setup.backend().equals("rocksdb")) {
            conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        if (setup.materialization() != null) {
            conf.set(
                    StateChangelogOptions.PERIODIC_MATERIALIZATION_INTERVAL,
                    setup.materialization());
        }
        if (setup.debloat()) {
            conf.set(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED, true);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        Samples samples = new Samples();
        FIRED.put(run, samples);
        long begin = System.currentTimeMillis();
        long measuredFrom = begin + options.warmup().toMillis();
        // Only the live-layer slot is used: it receives every aggregate emission as it fires.
        CityAggregationJob.build(env, cfg, null, new FiredProbe(run, measuredFrom));
        // After build, which sets the job's own: the stream graph takes the last one set.
        if (setup.bufferTimeout() >= 0) {
            env.setBufferTimeout(setup.bufferTimeout());
        }
        if (setup.unaligned()) {
            env.getCheckpointConfig().enableUnalignedCheckpoints();
        }
        if (setup.watermarkInterval() > 0) {
            env.getConfig().setAutoWatermarkInterval(setup.watermarkInterval());
        }
        JobClient job = env.executeAsync("bench-alert-latency-" + run);
        WriteBook written = new WriteBook();
        AtomicBoolean stop = new AtomicBoolean();
        try (DashboardServer dashboard =
                DashboardServer.start(
                        DashboardConfig.fromFlags(
                                "--http-port",
                                "0",
                                "--kafka-bootstrap",
                                kafka.bootstrapServers(),
                                "--kafka-alerts-topic",
                                alerts,
                                "--store-history",
                                "none",
                                "--store-live-catalog",
                                "bench-live-" + run))) {
            Thread probe =
                    new Thread(
                            () -> kafkaProbe(alerts, measuredFrom, stop, samples, written),
                            "bench-kafka-probe");
            probe.start();
            Thread sse = sseProbe(dashboard.port(), measuredFrom, samples, written);
            ProcessHandle broker = ProcessHandle.of(kafka.pid()).orElseThrow();
            long cpu0 = BenchMachine.cpuNanos(ProcessHandle.current());
            long kafkaCpu0 = BenchMachine.cpuNanos(broker);
            long t0 = System.nanoTime();
            long feedEnd = begin + options.feed().toMillis();
            ReadingsTopic topic = new ReadingsTopic(kafka.bootstrapServers(), readings);
            ReadingsTopic.Fed fed =
                    sensors != null
                            ? topic.feed(
                                    sensors,
                                    options.rate(),
                                    7,
                                    () -> System.currentTimeMillis() >= feedEnd,
                                    written::sent)
                            : topic.feed(
                                    options.rate(),
                                    () -> System.currentTimeMillis() >= feedEnd,
                                    pm25Readings(),
                                    written::sent);
            TimeUnit.MILLISECONDS.sleep(DRAIN.toMillis() + setup.interval().toMillis());
            long nanos = System.nanoTime() - t0;
            double cores = (BenchMachine.cpuNanos(ProcessHandle.current()) - cpu0) / (double) nanos;
            double kafkaCores = (BenchMachine.cpuNanos(broker) - kafkaCpu0) / (double) nanos;
            stop.set(true);
            probe.join();
            sse.interrupt();
            long[] chk = checkpoints(checkpoints);
            long disk = diskBytes(checkpoints) + diskBytes(changelog);
            job.cancel().get(60, TimeUnit.SECONDS);
            FIRED.remove(run);
            return new Run(
                    setup,
                    samples,
                    cores,
                    kafkaCores,
                    fed,
                    chk[0],
                    chk[1],
                    disk,
                    BenchMachine.loadAverage());
        }
    }

    /**
     * The readings topic, and the alerts topic compacted as the platform's, keeping the broker's
     * append time, so that a consumer sees when each alert was written as well as when it became
     * visible.
     */
    private void createTopics(String readings, String alerts) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(readings, 6, (short) 1),
                                    new NewTopic(alerts, 2, (short) 1)
                                            .configs(
                                                    Map.of(
                                                            "cleanup.policy",
                                                            "compact",
                                                            "message.timestamp.type",
                                                            "LogAppendTime"))))
                    .all()
                    .get();
        }
    }

    /**
     * The {@code pm25} workload's readings: sensors spread over central Kunming, each reading
     * stamped with the wall clock less up to {@link #MAX_DISORDER_MILLIS}, high in even windows and
     * low in odd ones.
     */
    private ReadingsTopic.Next pm25Readings() {
        SplittableRandom random = new SplittableRandom(11);
        int n = options.sensors();
        double[] lat = new double[n];
        double[] lon = new double[n];
        for (int i = 0; i < n; i++) {
            lat[i] = 24.92 + 0.20 * random.nextDouble();
            lon[i] = 102.62 + 0.20 * random.nextDouble();
        }
        return (k, now) -> {
            int i = (int) (k % n);
            long ts = now - random.nextLong(MAX_DISORDER_MILLIS + 1);
            double value = Math.floorDiv(ts, WINDOW_MILLIS) % 2 == 0 ? HIGH : LOW;
            return new Reading(
                    "bench-pm25-" + i, Metric.PM25, "kunming", ts, lat[i], lon[i], value, k / n);
        };
    }

    /**
     * Notes one alert revision seen at {@code now} at {@code point}, unless its rule is timed on
     * the TaskManager's clock or it is from the warm-up.
     */
    private static void note(
            Samples out,
            Point point,
            long now,
            String rule,
            boolean sensorRule,
            String subject,
            long updatedAt,
            long measuredFrom,
            WriteBook written) {
        if (AlertBenchmark.PROCESSING_TIME_RULES.contains(rule) || updatedAt < measuredFrom) {
            return;
        }
        if (!sensorRule) {
            out.add(point, From.WINDOW, now - (updatedAt + BOUND_MILLIS));
            return;
        }
        // Sensor rules act on each reading as it arrives, without waiting for the watermark.
        out.add(point, From.READING, now - updatedAt);
        long at = written.writtenAt(subject, updatedAt);
        if (at >= 0) {
            out.add(point, From.WRITTEN, now - at);
        }
    }

    /**
     * A {@code read_committed} consumer of the alerts topic, as the dashboard's, from the start,
     * noting when each revision was appended (the record's timestamp) and when it became visible.
     */
    private void kafkaProbe(
            String topic, long measuredFrom, AtomicBoolean stop, Samples out, WriteBook written) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    Alert a = AlertJson.decode(r.value());
                    boolean sensorRule = a.subjectKind() == SubjectKind.SENSOR;
                    for (Point point : List.of(Point.APPENDED, Point.KAFKA)) {
                        note(
                                out,
                                point,
                                point == Point.APPENDED ? r.timestamp() : now,
                                a.rule(),
                                sensorRule,
                                a.subjectId(),
                                a.updatedAtMillis(),
                                measuredFrom,
                                written);
                    }
                }
            }
        }
    }

    /**
     * A client of the dashboard's live stream noting each {@code event: alert}. Like a browser's
     * {@code EventSource}, it connects again when the dashboard drops it (a client more than {@code
     * LiveStream.QUEUE_CAPACITY} batches behind is dropped, which on a loaded machine happened to
     * this one, reading every aggregate too); the alerts sent meanwhile are missed, and the drops
     * are reported. It stops when a connection cannot be made.
     */
    private static Thread sseProbe(int port, long measuredFrom, Samples out, WriteBook written) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/live/stream"))
                        .build();
        HttpClient client = HttpClient.newHttpClient();
        Thread t =
                new Thread(
                        () -> {
                            int drops = 0;
                            while (!Thread.currentThread().isInterrupted()) {
                                Iterator<String> lines;
                                try {
                                    lines =
                                            client.send(
                                                            request,
                                                            HttpResponse.BodyHandlers.ofLines())
                                                    .body()
                                                    .iterator();
                                } catch (Exception e) {
                                    if (!Thread.currentThread().isInterrupted()) {
                                        System.err.println("live stream not reachable: " + e);
                                    }
                                    return;
                                }
                                try {
                                    readAlerts(lines, measuredFrom, out, written);
                                } catch (Exception e) {
                                    // Dropped by the dashboard: connect again below.
                                }
                                if (!Thread.currentThread().isInterrupted()) {
                                    System.err.println(
                                            "live stream dropped the probe ("
                                                    + ++drops
                                                    + " so far); connecting again");
                                }
                            }
                        },
                        "bench-sse-probe");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Notes each {@code event: alert} of a live stream's {@code lines} until it ends. */
    private static void readAlerts(
            Iterator<String> lines, long measuredFrom, Samples out, WriteBook written)
            throws IOException {
        boolean alert = false;
        while (lines.hasNext() && !Thread.currentThread().isInterrupted()) {
            String line = lines.next();
            if (line.startsWith("event: ")) {
                alert = line.equals("event: alert");
            } else if (alert && line.startsWith("data: ")) {
                long now = System.currentTimeMillis();
                JsonNode props = JSON.readTree(line.substring(6)).path("properties");
                note(
                        out,
                        Point.SSE,
                        now,
                        props.path("rule").asText(),
                        props.path("subject_kind").asText().equals(SubjectKind.SENSOR.id()),
                        props.path("subject_id").asText(),
                        Instant.parse(props.path("updated_at").asText()).toEpochMilli(),
                        measuredFrom,
                        written);
                alert = false;
            }
        }
    }

    /**
     * Bytes of every file under {@code root} (checkpoints, changelog, a checkpoint): what the job's
     * state takes on disk at the end of a run, retained checkpoint and what it still references; 0
     * if it is not there, -1 if it went while being walked.
     */
    private static long diskBytes(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            f -> {
                                try {
                                    return Files.size(f);
                                } catch (IOException e) {
                                    return 0; // removed meanwhile
                                }
                            })
                    .sum();
        } catch (IOException | RuntimeException e) {
            return -1; // a directory removed meanwhile: unknown
        }
    }

    /** Completed checkpoints (the newest one's number) and the newest one's size in bytes. */
    private static long[] checkpoints(Path root) throws IOException {
        long newest = 0;
        Path newestDir = null;
        if (Files.isDirectory(root)) {
            try (Stream<Path> all = Files.walk(root, 2)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    String name = p.getFileName().toString();
                    if (name.startsWith("chk-") && Files.isDirectory(p)) {
                        long k = Long.parseLong(name.substring(4));
                        if (k > newest) {
                            newest = k;
                            newestDir = p;
                        }
                    }
                }
            }
        }
        // Flink may have removed it meanwhile (-1): the size is then left at 0.
        long bytes = newestDir == null ? 0 : Math.max(0, diskBytes(newestDir));
        return new long[] {newest, bytes};
    }

    /**
     * A sink noting when each 10-s window's aggregate (first emission) reaches it: the window has
     * fired and crossed the job's operators.
     */
    static final class FiredProbe implements Sink<ZoneAggregate> {
        private final String run;
        private final long measuredFrom;

        FiredProbe(String run, long measuredFrom) {
            this.run = run;
            this.measuredFrom = measuredFrom;
        }

        @Override
        public SinkWriter<ZoneAggregate> createWriter(WriterInitContext context) {
            Samples samples = FIRED.get(run);
            return new SinkWriter<>() {
                @Override
                public void write(ZoneAggregate a, Context context) {
                    long now = System.currentTimeMillis();
                    if (a.revision() == 1
                            && a.windowLengthMillis() == WINDOW_MILLIS
                            && a.windowEndMillis() >= measuredFrom) {
                        samples.add(
                                Point.FIRED,
                                From.WINDOW,
                                now - (a.windowEndMillis() + BOUND_MILLIS));
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
