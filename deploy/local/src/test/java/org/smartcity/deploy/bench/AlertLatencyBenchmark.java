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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.bench.BenchFlags;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.bench.BenchRun;
import org.smartcity.core.bench.Percentiles;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.dashboard.DashboardConfig;
import org.smartcity.dashboard.DashboardServer;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;

/**
 * How soon a threshold alert reaches Kafka and a client of the dashboard's live stream after its
 * window closes (issue 11's latency targets), and where the time goes.
 *
 * <p>In this JVM: the whole aggregation job as {@code main} builds it ({@link
 * CityAggregationJob#build}: Kafka source, checkpoints, the alerts topic through the job's Kafka
 * sink) on a local cluster at parallelism 2, the dashboard ({@link DashboardServer}, following the
 * alerts topic {@code read_committed}), a paced feed of PM2.5 readings with event time following
 * the wall clock (each up to 1 s late), and three probes. The Kafka broker runs in its own JVM.
 * Readings are high (120 ug/m3) in even 10-s windows and low (30) in odd ones, so every district
 * and H3 cell with sensors raises or clears a threshold alert ({@code 10s} mean, raise above 75,
 * clear below 65, after one window) at every window end. Per alert revision of a window ending
 * after the warm-up, latency = arrival - (window end + the 5 s out-of-orderness bound), at:
 *
 * <ol>
 *   <li><b>fired</b>: the window's aggregate (revision 1) reaches a sink of the job: the watermark,
 *       window firing and the operators' network buffers;
 *   <li><b>Kafka</b>: the alert revision reaches a {@code read_committed} consumer of the alerts
 *       topic: the alert operator, the Kafka sink and, with exactly-once delivery, the wait for the
 *       checkpoint that commits its transaction;
 *   <li><b>SSE</b>: {@code event: alert} reaches a client of {@code /api/live/stream}: the
 *       dashboard's consumer, its alert book and the stream.
 * </ol>
 *
 * <p>Each configuration ({@code --configs}: delivery guarantee and checkpoint interval) runs on
 * fresh topics, alternating, {@code --runs} times; the report gives each run's p50/p99 per point,
 * the medians, this JVM's CPU time per second (job, dashboard, feed and probes) and the checkpoints
 * completed with the size of the newest.
 *
 * <p>Run from the repository root, after installing the modules into a local repository:
 *
 * <pre>
 * ./mvnw -q -pl deploy/local -Pbench test-compile exec:exec \
 *     -Dbench.main=org.smartcity.deploy.bench.AlertLatencyBenchmark -Dbench.args="--runs 3"
 * </pre>
 */
public final class AlertLatencyBenchmark {
    static final String COMMAND =
            "./mvnw -q -pl deploy/local -Pbench test-compile exec:exec"
                    + " -Dbench.main=org.smartcity.deploy.bench.AlertLatencyBenchmark";

    static final String USAGE =
            """
            AlertLatencyBenchmark [--configs LIST] [--runs N] [--sensors N] [--rate N]
                                  [--seconds N] [--warmup-seconds N]
              --configs         delivery/checkpoint-interval[/buffer-timeout-ms], comma-
                                separated (default exactly-once/30s,exactly-once/10s,
                                exactly-once/1s,at-least-once/30s: the job's default interval,
                                the demo's, a short one, and no transactions; the buffer timeout
                                overrides the job's network buffer timeout, 10 ms; Flink's
                                default is 100)
              --runs            runs of each configuration, alternating; medians (default 2)
              --sensors         PM2.5 sensors over central Kunming (default 5,000)
              --rate            readings/s fed (default 5,000)
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

    static final String RULES =
            """
            rules:
              - id: bench-pm25-district
                kind: threshold
                title: PM2.5 10-s mean
                metric: pm25
                zone_kind: district
                window: 10s
                statistic: mean
                levels: {moderate: 75}
                clear_below: 65
                raise_after: 1
                clear_after: 1
                standard: benchmark
                source: benchmark
              - id: bench-pm25-cell
                kind: threshold
                title: PM2.5 10-s mean
                metric: pm25
                zone_kind: h3
                window: 10s
                statistic: mean
                levels: {moderate: 75}
                clear_below: 65
                raise_after: 1
                clear_after: 1
                standard: benchmark
                source: benchmark
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One delivery guarantee and checkpoint interval, and the network buffer timeout in ms (-1: the
     * job's).
     */
    record Setup(String delivery, Duration interval, long bufferTimeout, String label) {
        static Setup parse(String text) {
            String[] parts = text.trim().split("/");
            if (parts.length < 2
                    || parts.length > 3
                    || !(parts[0].equals("exactly-once") || parts[0].equals("at-least-once"))) {
                throw new IllegalArgumentException(
                        "--configs: expected delivery/interval[/buffer-timeout-ms], e.g."
                                + " exactly-once/1s, got "
                                + text);
            }
            long bufferTimeout = parts.length == 3 ? BenchFlags.number("--configs", parts[2]) : -1;
            return new Setup(parts[0], duration(parts[1]), bufferTimeout, text.trim());
        }

        private static Duration duration(String d) {
            return d.endsWith("ms")
                    ? Duration.ofMillis(Long.parseLong(d.substring(0, d.length() - 2)))
                    : Duration.ofSeconds(Long.parseLong(d.substring(0, d.length() - 1)));
        }
    }

    record Options(
            List<Setup> setups,
            int runs,
            int sensors,
            int rate,
            Duration feed,
            Duration warmup,
            List<String> args) {
        static Options parse(String... argv) {
            String configs = "exactly-once/30s,exactly-once/10s,exactly-once/1s,at-least-once/30s";
            int runs = 2;
            int sensors = 5_000;
            int rate = 5_000;
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
                    case "--configs" -> configs = v;
                    case "--runs" -> runs = (int) BenchFlags.positive(flag, v);
                    case "--sensors" -> sensors = (int) BenchFlags.positive(flag, v);
                    case "--rate" -> rate = (int) BenchFlags.positive(flag, v);
                    case "--seconds" -> feed = Duration.ofSeconds(BenchFlags.positive(flag, v));
                    case "--warmup-seconds" ->
                            warmup = Duration.ofSeconds(BenchFlags.number(flag, v));
                    default -> throw new IllegalArgumentException("unknown flag " + flag);
                }
            }
            if (warmup.plusSeconds(20).compareTo(feed) > 0) {
                throw new IllegalArgumentException(
                        "--seconds must be at least --warmup-seconds + 20 (two windows)");
            }
            List<Setup> setups = Stream.of(configs.split(",")).map(Setup::parse).toList();
            return new Options(setups, runs, sensors, rate, feed, warmup, List.of(argv));
        }
    }

    /** Latency samples (ms beyond window end + bound) of one run, and what the run cost. */
    record Run(
            Setup setup,
            List<Long> fired,
            List<Long> kafka,
            List<Long> sse,
            double cpuCoresUsed,
            long checkpoints,
            long checkpointBytes,
            String load) {}

    /**
     * When aggregates reach the job's sinks, per run: the probe sink runs in this JVM's local
     * cluster, so it hands its samples over through this map (a benchmark's shortcut).
     */
    static final Map<String, ConcurrentLinkedQueue<Long>> FIRED = new ConcurrentHashMap<>();

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
            Files.writeString(rules, RULES);
            int n = 0;
            for (int i = 0; i < options.runs(); i++) {
                // Alternate the order, so that no configuration always runs first.
                List<Setup> order = new ArrayList<>(options.setups());
                if (i % 2 == 1) {
                    Collections.reverse(order);
                }
                for (Setup setup : order) {
                    Run r = measure(setup, rules, n++);
                    runs.add(r);
                    System.err.printf(
                            Locale.ROOT,
                            "run %d %s: fired %s, Kafka %s, SSE %s; %.2f cores; %d checkpoints;"
                                    + " load %s%n",
                            n,
                            setup.label(),
                            summary(r.fired()),
                            summary(r.kafka()),
                            summary(r.sse()),
                            r.cpuCoresUsed(),
                            r.checkpoints(),
                            r.load());
                }
            }
            System.out.print(report(runs));
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            BenchRun.delete(dir);
        }
    }

    private Run measure(Setup setup, Path rules, int n) throws Exception {
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
                        "--window-lengths=10s,1m",
                        "--parallelism=2",
                        "--store-history=none",
                        "--store-live-catalog=none",
                        "--alert-rules=" + rules);
        Path checkpoints = dir.resolve("checkpoints-" + run);
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        ConcurrentLinkedQueue<Long> fired = new ConcurrentLinkedQueue<>();
        FIRED.put(run, fired);
        long begin = System.currentTimeMillis();
        long measuredFrom = begin + options.warmup().toMillis();
        // Only the live-layer slot is used: it receives every aggregate emission as it fires.
        CityAggregationJob.build(env, cfg, null, new FiredProbe(run, measuredFrom));
        if (setup.bufferTimeout() >= 0) {
            // After build, which sets the job's own: the stream graph takes the last one set.
            env.setBufferTimeout(setup.bufferTimeout());
        }
        JobClient job = env.executeAsync("bench-alert-latency-" + run);
        List<Long> kafkaSamples = Collections.synchronizedList(new ArrayList<>());
        List<Long> sseSamples = Collections.synchronizedList(new ArrayList<>());
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
                            () -> kafkaProbe(alerts, measuredFrom, stop, kafkaSamples),
                            "bench-kafka-probe");
            probe.start();
            Thread sse = sseProbe(dashboard.port(), measuredFrom, sseSamples);
            long cpu0 = BenchMachine.cpuNanos(ProcessHandle.current());
            long t0 = System.nanoTime();
            feed(readings, begin + options.feed().toMillis());
            TimeUnit.MILLISECONDS.sleep(DRAIN.toMillis() + setup.interval().toMillis());
            double cores =
                    (BenchMachine.cpuNanos(ProcessHandle.current()) - cpu0)
                            / (double) (System.nanoTime() - t0);
            stop.set(true);
            probe.join();
            sse.interrupt();
            long[] chk = checkpoints(checkpoints);
            job.cancel().get(60, TimeUnit.SECONDS);
            return new Run(
                    setup,
                    List.copyOf(FIRED.remove(run)),
                    List.copyOf(kafkaSamples),
                    List.copyOf(sseSamples),
                    cores,
                    chk[0],
                    chk[1],
                    BenchMachine.loadAverage());
        }
    }

    private void createTopics(String readings, String alerts) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(readings, 6, (short) 1),
                                    new NewTopic(alerts, 2, (short) 1)
                                            .configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get();
        }
    }

    /**
     * Feeds PM2.5 readings at the configured rate until {@code endMillis}: sensors spread over
     * central Kunming, each reading stamped with the wall clock less up to {@link
     * #MAX_DISORDER_MILLIS}, high in even windows and low in odd ones.
     */
    private void feed(String topic, long endMillis) {
        SplittableRandom random = new SplittableRandom(11);
        int n = options.sensors();
        double[] lat = new double[n];
        double[] lon = new double[n];
        for (int i = 0; i < n; i++) {
            lat[i] = 24.92 + 0.20 * random.nextDouble();
            lon[i] = 102.62 + 0.20 * random.nextDouble();
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        long begin = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            while (System.currentTimeMillis() < endMillis && failure.get() == null) {
                long due = (long) ((System.nanoTime() - begin) / 1e9 * options.rate());
                if (sent >= due) {
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                for (; sent < due; sent++) {
                    int i = (int) (sent % n);
                    long ts = System.currentTimeMillis() - random.nextLong(MAX_DISORDER_MILLIS + 1);
                    double value = Math.floorDiv(ts, WINDOW_MILLIS) % 2 == 0 ? HIGH : LOW;
                    String sensor = "bench-pm25-" + i;
                    Reading r =
                            new Reading(
                                    sensor,
                                    Metric.PM25,
                                    "kunming",
                                    ts,
                                    lat[i],
                                    lon[i],
                                    value,
                                    sent / n);
                    producer.send(
                            new ProducerRecord<>(topic, sensor, ReadingJson.encode(r)),
                            (meta, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                }
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("feeding readings failed", failure.get());
        }
    }

    /**
     * A {@code read_committed} consumer of the alerts topic, as the dashboard's, from the start.
     */
    private void kafkaProbe(String topic, long measuredFrom, AtomicBoolean stop, List<Long> out) {
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
                    if (a.updatedAtMillis() >= measuredFrom) {
                        out.add(now - (a.updatedAtMillis() + BOUND_MILLIS));
                    }
                }
            }
        }
    }

    /** A client of the dashboard's live stream noting each {@code event: alert}. */
    private static Thread sseProbe(int port, long measuredFrom, List<Long> out) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/live/stream"))
                        .build();
        Thread t =
                new Thread(
                        () -> {
                            boolean alert = false;
                            try {
                                var lines =
                                        HttpClient.newHttpClient()
                                                .send(request, HttpResponse.BodyHandlers.ofLines())
                                                .body()
                                                .iterator();
                                while (lines.hasNext() && !Thread.currentThread().isInterrupted()) {
                                    String line = lines.next();
                                    if (line.startsWith("event: ")) {
                                        alert = line.equals("event: alert");
                                    } else if (alert && line.startsWith("data: ")) {
                                        long now = System.currentTimeMillis();
                                        long updated = updatedAt(line.substring(6));
                                        if (updated >= measuredFrom) {
                                            out.add(now - (updated + BOUND_MILLIS));
                                        }
                                        alert = false;
                                    }
                                }
                            } catch (Exception e) {
                                if (!Thread.currentThread().isInterrupted()) {
                                    System.err.println("live stream ended: " + e);
                                }
                            }
                        },
                        "bench-sse-probe");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long updatedAt(String feature) throws IOException {
        JsonNode props = JSON.readTree(feature).path("properties");
        return Instant.parse(props.path("updated_at").asText()).toEpochMilli();
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
        long bytes = 0;
        if (newestDir != null) {
            try (Stream<Path> files = Files.walk(newestDir)) {
                bytes =
                        files.filter(Files::isRegularFile)
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
                // Flink removed it meanwhile: leave the size unknown
            }
        }
        return new long[] {newest, bytes};
    }

    private String report(List<Run> runs) {
        StringBuilder out = new StringBuilder();
        out.append("\n## Alert latency benchmark\n\n");
        out.append("Machine: ").append(BenchMachine.describe()).append(".\n\n");
        out.append(
                String.format(
                        Locale.ROOT,
                        "%,d PM2.5 sensors, %,d readings/s for %d s (the first %d s not"
                                + " measured), windows 10s,1m, parallelism 2, two threshold rules"
                                + " (district and H3 10-s means) raising or clearing every zone at"
                                + " every window end. Latency = arrival - (window end + %d ms"
                                + " bound), ms:%n%n",
                        options.sensors(),
                        options.rate(),
                        options.feed().toSeconds(),
                        options.warmup().toSeconds(),
                        BOUND_MILLIS));
        out.append(
                "| delivery / checkpoint interval | run | alerts | fired p50 / p99 |"
                        + " Kafka p50 / p99 | SSE p50 / p99 | cores | checkpoints (newest) |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|---|\n");
        int k = 0;
        for (Run r : runs) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %,d | %s | %s | %s | %.2f | %d (%,d KiB) |%n",
                            r.setup().label(),
                            ++k,
                            r.kafka().size(),
                            pair(r.fired()),
                            pair(r.kafka()),
                            pair(r.sse()),
                            r.cpuCoresUsed(),
                            r.checkpoints(),
                            r.checkpointBytes() / 1024));
        }
        out.append(
                "\nEach configuration over its runs: the medians of the runs' p99 and cores, and"
                        + " the p99 of all its runs' samples together (a run's windows close at"
                        + " one phase of the checkpoint schedule, so one run shows few of the"
                        + " waits for a commit):\n\n");
        out.append(
                "| delivery / checkpoint interval | Kafka p99 | SSE p99 | fired p99 | cores |"
                        + " all runs: Kafka p99 | SSE p99 | target (p99 <= 1,000 ms) |\n"
                        + "|---|--:|--:|--:|--:|--:|--:|---|\n");
        for (Setup s : options.setups()) {
            List<Run> mine = runs.stream().filter(r -> r.setup().equals(s)).toList();
            long kafkaP99 = median(mine.stream().map(r -> p(r.kafka(), 99)).toList());
            long sseP99 = median(mine.stream().map(r -> p(r.sse(), 99)).toList());
            long firedP99 = median(mine.stream().map(r -> p(r.fired(), 99)).toList());
            double cores =
                    mine.stream()
                            .mapToDouble(Run::cpuCoresUsed)
                            .sorted()
                            .toArray()[mine.size() / 2];
            List<Long> kafkaAll = new ArrayList<>();
            List<Long> sseAll = new ArrayList<>();
            mine.forEach(r -> kafkaAll.addAll(r.kafka()));
            mine.forEach(r -> sseAll.addAll(r.sse()));
            long kafkaPooled = p(kafkaAll, 99);
            long ssePooled = p(sseAll, 99);
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,d | %,d | %,d | %.2f | %,d | %,d | %s |%n",
                            s.label(),
                            kafkaP99,
                            sseP99,
                            firedP99,
                            cores,
                            kafkaPooled,
                            ssePooled,
                            kafkaPooled <= 1_000 && ssePooled <= 1_000 ? "met" : "missed"));
        }
        out.append("\nReproduce: `").append(COMMAND);
        if (!options.args().isEmpty()) {
            out.append(" -Dbench.args=\"").append(String.join(" ", options.args())).append("\"");
        }
        out.append("`\n");
        return out.toString();
    }

    private static long p(List<Long> samples, double q) {
        Long v = Percentiles.nearestRank(samples, q);
        return v == null ? -1 : v;
    }

    private static String pair(List<Long> samples) {
        return String.format(Locale.ROOT, "%,d / %,d", p(samples, 50), p(samples, 99));
    }

    private static String summary(List<Long> samples) {
        return samples.size() + " samples, p50/p99 " + pair(samples) + " ms";
    }

    private static long median(List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.isEmpty() ? -1 : v.get(v.size() / 2);
    }

    /**
     * A sink noting when each 10-s PM2.5 district or cell aggregate (first emission) reaches it:
     * the window has fired and crossed the job's operators.
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
            ConcurrentLinkedQueue<Long> samples = FIRED.get(run);
            return new SinkWriter<>() {
                @Override
                public void write(ZoneAggregate a, Context context) {
                    long now = System.currentTimeMillis();
                    if (a.revision() == 1
                            && a.metric() == Metric.PM25
                            && a.windowLengthMillis() == WINDOW_MILLIS
                            && a.zoneKind() != ZoneKind.CITY
                            && a.windowEndMillis() >= measuredFrom) {
                        samples.add(now - (a.windowEndMillis() + BOUND_MILLIS));
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
