package org.smartcity.deploy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.smartcity.brokers.BrokerProcess;
import org.smartcity.brokers.MqttCredentials;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.bench.BenchFlags;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.bench.BenchRun;
import org.smartcity.core.bench.Percentiles;
import org.smartcity.ingest.bench.LoadPublisher;
import org.smartcity.ingest.bench.ReadingsTopic;

/**
 * The whole local platform under an independent MQTT load (issue 13): {@code ./smartcity demo
 * --rate 0} from a checkout (the platform JVM with the bridge, the Flink job and the dashboard, and
 * its Kafka and MQTT broker JVMs), and in this JVM a paced load generator of several MQTT 5
 * connections publishing QoS 1 readings of PM2.5 sensors, one per message or in gateway batches of
 * 10, each with a unique (sensorId, seq).
 *
 * <p>It first measures the platform idle and at the demo's rate (200 readings/s), then for each
 * offered rate: readings accepted by the broker (PUBACK) and refused, arrived in the readings
 * topic, duplicates, lost (accepted and not in Kafka when the topic stopped growing), publish to
 * Kafka append latency (the readings topic is switched to {@code LogAppendTime} at start, so a
 * record's timestamp is when Kafka appended it; the reading's {@code ts} is its publish time: both
 * from this machine's clock), window close to a client of the dashboard's live stream (city-wide
 * 1-minute windows, first revision, from window end plus the 5 s bound), and the CPU time each
 * process spent per reading (from {@code /proc}, over the step and its drain; the JIT compiler
 * threads' share is reported apart, since at the demo's rate they are still busy minutes after the
 * start: measure idle and 200 readings/s after {@code --warmup-seconds 240}). A rate is sustained
 * when nothing was refused, lost or duplicated, the publishers kept the pace (97%) and p99 publish
 * to Kafka is at most 250 ms (the targets).
 *
 * <p>Run (the checkout must be built; {@code --help} lists the options):
 *
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl deploy/local -Pbench test-compile exec:exec \
 *     -Dbench.main=org.smartcity.deploy.bench.PlatformBenchmark -Dbench.args="--quick"
 * </pre>
 *
 * <p>{@code --root DIR} runs the platform of another built checkout (to compare commits with the
 * same load generator); {@code --jfr DIR} records each of the three JVMs with JFR's profile
 * settings over the measured phases; {@code --broker mosquitto|artemis} runs another MQTT broker
 * ({@link BenchMqttBroker}) in place of the demo's embedded HiveMQ CE, its CPU reported as the
 * "mqtt broker" like HiveMQ's.
 */
public final class PlatformBenchmark {
    private static final String USAGE =
            """
            PlatformBenchmark [--quick] [--single-rates R,R,..|none] [--batch-rates R,R,..|none]
                              [--step-seconds N] [--warmup-seconds N] [--idle-seconds N]
                              [--demo-rate N|0]
                              [--publishers N] [--sensors-per-publisher N] [--max-drain-seconds N]
                              [--root DIR] [--jfr DIR] [--demo-flags "FLAGS"] [--keep-data]
                              [--broker-java-options "FLAGS"] [--java-options "FLAGS"]
                              [--broker hivemq|mosquitto|artemis]
              --quick                  short run: 5,000 and 10,000 single, 50,000 batched, 20 s steps
              --single-rates           offered readings/s, one reading per message
                                       (default 2000,5000,10000,15000)
              --batch-rates            offered readings/s in gateway batches of 10
                                       (default 10000,25000,50000,75000)
              --step-seconds           publishing time per rate (default 60; --quick 20)
              --warmup-seconds         publish at the demo rate this long first, unmeasured, so
                                       that the JIT compilers are done (default 30; --quick 15)
              --idle-seconds           CPU of the idle platform over this long (default 30)
              --demo-rate              readings/s of the demo-rate phase (default 200; 0 = skip)
              --publishers             MQTT connections of the load generator (default 8)
              --sensors-per-publisher  sensors per connection (default 250)
              --max-drain-seconds      wait after publishing for the topic (default 60)
              --root                   the checkout whose ./smartcity runs (default this one)
              --jfr                    write a JFR recording of each platform JVM into DIR
              --demo-flags             more flags for ./smartcity demo, space separated
              --keep-data              keep the demo's data directory
              --broker-java-options    more JVM flags for both broker JVMs, space separated
                                       (SMARTCITY_BROKER_JAVA_OPTIONS), e.g. to compare
                                       settings of their storage
              --java-options           more JVM flags for every JVM of the demo (the platform and
                                       both brokers), through JDK_JAVA_OPTIONS
              --broker                 the MQTT broker: hivemq (the demo's embedded one, default),
                                       mosquitto (Debian's, with deploy/mosquitto's file) or
                                       artemis (ActiveMQ Artemis, needs -Pbench test-compile),
                                       started here on a free port; the demo gets --mqtt-url""";

    static final double ACHIEVED_SHARE = 0.97;
    static final long P99_TARGET_MILLIS = 250;
    static final int DEMO_RATE = 200;
    static final String PUBLISHER_SUFFIX = "-bench-pub";

    private record Options(
            List<Integer> singleRates,
            List<Integer> batchRates,
            int stepSeconds,
            int warmupSeconds,
            int idleSeconds,
            int demoRate,
            int publishers,
            int sensorsPerPublisher,
            int maxDrainSeconds,
            Path root,
            Path jfr,
            List<String> demoFlags,
            boolean keepData,
            String brokerJavaOptions,
            String javaOptions,
            BenchMqttBroker.Kind broker) {
        static Options parse(String[] args) {
            List<Integer> single = List.of(2_000, 5_000, 10_000, 15_000);
            List<Integer> batch = List.of(10_000, 25_000, 50_000, 75_000);
            Integer step = null;
            int warmup = 30,
                    idle = 30,
                    demoRate = DEMO_RATE,
                    publishers = 8,
                    sensors = 250,
                    drain = 60;
            boolean quick = false, keep = false;
            Path root = Path.of(System.getProperty("smartcity.root", "../.."));
            Path jfr = null;
            List<String> demoFlags = List.of();
            String brokerJavaOptions = "";
            String javaOptions = "";
            BenchMqttBroker.Kind broker = BenchMqttBroker.Kind.HIVEMQ;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                switch (flag) {
                    case "--help", "-h" -> throw new IllegalArgumentException(BenchRun.HELP);
                    case "--quick" -> quick = true;
                    case "--keep-data" -> keep = true;
                    default -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(flag + " needs a value");
                        }
                        String v = args[++i];
                        switch (flag) {
                            case "--single-rates" -> single = rates(flag, v);
                            case "--batch-rates" -> batch = rates(flag, v);
                            case "--step-seconds" -> step = (int) BenchFlags.positive(flag, v);
                            case "--idle-seconds" -> idle = (int) BenchFlags.number(flag, v);
                            case "--warmup-seconds" -> warmup = (int) BenchFlags.number(flag, v);
                            case "--demo-rate" -> demoRate = (int) BenchFlags.number(flag, v);
                            case "--publishers" -> publishers = (int) BenchFlags.positive(flag, v);
                            case "--sensors-per-publisher" ->
                                    sensors = (int) BenchFlags.positive(flag, v);
                            case "--max-drain-seconds" ->
                                    drain = (int) BenchFlags.positive(flag, v);
                            case "--root" -> root = Path.of(v);
                            case "--broker-java-options" -> brokerJavaOptions = v.trim();
                            case "--java-options" -> javaOptions = v.trim();
                            case "--broker" -> broker = BenchMqttBroker.Kind.parse(v.trim());
                            case "--jfr" -> jfr = Path.of(v);
                            case "--demo-flags" ->
                                    demoFlags =
                                            Arrays.stream(v.trim().split("\\s+"))
                                                    .filter(s -> !s.isEmpty())
                                                    .toList();
                            default -> throw new IllegalArgumentException("unknown option " + flag);
                        }
                    }
                }
            }
            if (quick) {
                if (single.equals(List.of(2_000, 5_000, 10_000, 15_000))) {
                    single = List.of(5_000, 10_000);
                }
                if (batch.equals(List.of(10_000, 25_000, 50_000, 75_000))) {
                    batch = List.of(50_000);
                }
                idle = Math.min(idle, 15);
                warmup = Math.min(warmup, 15);
                drain = Math.min(drain, 30);
            }
            return new Options(
                    single,
                    batch,
                    step != null ? step : quick ? 20 : 60,
                    warmup,
                    idle,
                    demoRate,
                    publishers,
                    sensors,
                    drain,
                    root.toAbsolutePath().normalize(),
                    jfr == null ? null : jfr.toAbsolutePath(),
                    demoFlags,
                    keep,
                    brokerJavaOptions,
                    javaOptions,
                    broker);
        }

        private static List<Integer> rates(String flag, String v) {
            if (v.equals("none")) {
                return List.of();
            }
            return Arrays.stream(v.split(","))
                    .map(r -> (int) BenchFlags.positive(flag, r.trim()))
                    .toList();
        }
    }

    /** One phase's outcome: a paced step, or the idle platform (rate 0). */
    private record Step(
            String mode,
            int offered,
            double achieved,
            long refused,
            long accepted,
            long inKafka,
            long duplicates,
            long lost,
            long p50,
            long p99,
            long liveP99,
            int liveWindows,
            Map<String, Long> cpuNanos,
            double jitCores,
            double wallSeconds,
            double loadAverage) {

        boolean sustained() {
            return offered > 0
                    && refused == 0
                    && lost == 0
                    && duplicates == 0
                    && achieved >= ACHIEVED_SHARE * offered
                    && p99 <= P99_TARGET_MILLIS;
        }

        double microsPerReading(String role) {
            return inKafka == 0 ? Double.NaN : cpuNanos.get(role) / 1e3 / inKafka;
        }

        double cores(String role) {
            return cpuNanos.get(role) / 1e9 / wallSeconds;
        }

        long platformNanos() {
            return cpuNanos.entrySet().stream()
                    .filter(e -> !e.getKey().equals(LOAD_GENERATOR))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }
    }

    static final String LOAD_GENERATOR = "load generator";

    /**
     * The JIT compiler threads' name in {@code /proc} ({@code C1 CompilerThre}, {@code C2
     * CompilerThre}: 15 characters, digits replaced): their CPU is reported apart, because at the
     * demo's rate the JVMs are still compiling minutes after the start.
     */
    static final String JIT_THREADS = "CN CompilerThre";

    static final String TOTAL = "platform total";

    private final Options options;
    private final List<Step> steps = new ArrayList<>();
    private final List<LoadPublisher> publishers = new ArrayList<>();
    private Map<String, ProcessHandle> roles;
    private ReadingsTopic topic;
    private LiveWindowLatency live;
    private ExecutorService runners;
    private int stepNumber;

    private PlatformBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = BenchRun.parseOrExit("PlatformBenchmark", USAGE, args, Options::parse);
        if (options == null) {
            return;
        }
        new PlatformBenchmark(options).run();
    }

    private void run() throws Exception {
        Path data = Files.createTempDirectory("smartcity-platform-bench");
        int mqtt = PlatformProcesses.freePort();
        int kafka = PlatformProcesses.freePort();
        int http = PlatformProcesses.freePort();
        System.err.println(BenchMachine.describe());
        System.err.printf(
                "Platform of %s, MQTT broker %s, data %s%n",
                options.root(), options.broker().label(), data);
        List<String> demoArgs =
                new ArrayList<>(PlatformProcesses.demoArgs(data, mqtt, kafka, http));
        // The demo's users, made here first when the broker is not the demo's: the same files
        // the demo would make (and the load generator logs in with).
        MqttCredentials users = MqttCredentials.provision(data.resolve("mqtt-credentials"));
        BenchMqttBroker external = null;
        if (options.broker() != BenchMqttBroker.Kind.HIVEMQ) {
            external =
                    BenchMqttBroker.start(
                            options.broker(),
                            options.root(),
                            data.resolve("bench-mqtt"),
                            mqtt,
                            users,
                            data.resolve("bench-mqtt.log"));
            demoArgs.addAll(List.of("--mqtt-url", external.serverUri()));
        }
        demoArgs.addAll(options.demoFlags());
        Path log = data.resolve("demo.log");
        Process demo =
                PlatformProcesses.smartcity(
                        options.root(), log, environment(options), demoArgs.toArray(String[]::new));
        try {
            PlatformProcesses.awaitLine(log, "Platform ready", demo, Duration.ofMinutes(5));
            roles = PlatformProcesses.roles(demo.toHandle());
            if (external != null) {
                roles.put(PlatformProcesses.MQTT, external.handle());
            }
            String bootstrap = "127.0.0.1:" + kafka;
            appendTimestamps(bootstrap);
            topic = new ReadingsTopic(bootstrap);
            // The demo's gateway user, as the simulator logs in.
            connectPublishers("tcp://127.0.0.1:" + mqtt, users);
            live = LiveWindowLatency.connect(http);
            if (options.warmupSeconds() > 0) {
                step("warm-up", 1, DEMO_RATE, options.warmupSeconds(), false);
            }
            try {
                startJfr("low");
                if (options.idleSeconds() > 0) {
                    idle(Duration.ofSeconds(options.idleSeconds()));
                }
                if (options.demoRate() > 0) {
                    step("demo rate", 1, options.demoRate());
                }
                stopJfr();
                startJfr("load");
                for (int rate : options.singleRates()) {
                    step("single", 1, rate);
                }
                for (int rate : options.batchRates()) {
                    step("batch-10", 10, rate);
                }
            } finally {
                stopJfr();
                live.close();
                for (LoadPublisher p : publishers) {
                    p.close();
                }
                runners.shutdownNow();
                topic.close();
            }
            if (!demo.isAlive()) {
                throw new IllegalStateException("the demo died; see " + log);
            }
        } finally {
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
            if (external != null) {
                if (!external.handle().isAlive()) {
                    // Its data directory goes with the run's: say here why it stopped.
                    List<String> lines = Files.readAllLines(data.resolve("bench-mqtt.log"));
                    System.err.println(
                            "The MQTT broker exited; the end of its log:\n"
                                    + String.join(
                                            "\n",
                                            lines.subList(
                                                    Math.max(0, lines.size() - 40), lines.size())));
                }
                external.close();
            }
            if (!options.keepData()) {
                BenchRun.delete(data);
            }
        }
        System.out.print(report());
        System.out.flush();
    }

    /**
     * Switches the readings topic to {@code LogAppendTime}: its records then carry the time Kafka
     * appended them, which with {@code acks=all} on one broker is when the bridge got its
     * acknowledgement. Nothing in the platform reads the record timestamp (event time is {@code
     * ts}).
     */
    private static void appendTimestamps(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.incrementalAlterConfigs(
                            Map.of(
                                    new ConfigResource(
                                            ConfigResource.Type.TOPIC, KafkaTopics.READINGS),
                                    List.of(
                                            new AlterConfigOp(
                                                    new ConfigEntry(
                                                            "message.timestamp.type",
                                                            "LogAppendTime"),
                                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
    }

    private void connectPublishers(String uri, MqttCredentials users) throws Exception {
        runners =
                Executors.newFixedThreadPool(
                        options.publishers(),
                        r -> {
                            Thread t = new Thread(r, "bench-publisher");
                            t.setDaemon(true);
                            return t;
                        });
        for (int i = 0; i < options.publishers(); i++) {
            publishers.add(
                    new LoadPublisher(
                            uri,
                            users.simulatorUser() + PUBLISHER_SUFFIX + i,
                            users.simulatorUser(),
                            users.simulatorPassword()));
        }
        System.err.printf(
                "%d publishers connected; the broker lets each have %d QoS 1 messages in"
                        + " flight%n",
                publishers.size(), publishers.get(0).windowSize());
    }

    private Map<String, Long> cpuNow() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        roles.forEach((role, p) -> cpu.put(role, BenchMachine.cpuNanos(p)));
        cpu.put(LOAD_GENERATOR, BenchMachine.cpuNanos(ProcessHandle.current()));
        return cpu;
    }

    private Map<String, Map<String, Long>> threadTicks() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        roles.forEach((role, p) -> out.put(role, PlatformProcesses.threadTicks(p.pid())));
        return out;
    }

    /**
     * Prints each process's busiest threads since {@code before} (where idle CPU goes); returns the
     * cores the platform's JIT compiler threads took meanwhile.
     */
    private double busiestThreads(Map<String, Map<String, Long>> before, double seconds) {
        Map<String, Map<String, Long>> now = threadTicks();
        double jitTicks = 0;
        for (var e : now.entrySet()) {
            jitTicks +=
                    e.getValue().getOrDefault(JIT_THREADS, 0L)
                            - before.getOrDefault(e.getKey(), Map.of())
                                    .getOrDefault(JIT_THREADS, 0L);
        }
        now.forEach(
                (role, ticks) -> {
                    Map<String, Long> was = before.getOrDefault(role, Map.of());
                    String top =
                            ticks.entrySet().stream()
                                    .map(
                                            e ->
                                                    Map.entry(
                                                            e.getKey(),
                                                            e.getValue()
                                                                    - was.getOrDefault(
                                                                            e.getKey(), 0L)))
                                    .filter(e -> e.getValue() > 0)
                                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                                    .limit(8)
                                    .map(
                                            e ->
                                                    String.format(
                                                            Locale.ROOT,
                                                            "%s %.1f%%",
                                                            e.getKey(),
                                                            e.getValue() / seconds))
                                    .collect(java.util.stream.Collectors.joining(", "));
                    System.err.printf("   %s busiest threads: %s%n", role, top);
                });
        // /proc counts CPU time in clock ticks, 100 a second (USER_HZ on Linux).
        return jitTicks / 100.0 / seconds;
    }

    private static Map<String, Long> minus(Map<String, Long> to, Map<String, Long> from) {
        Map<String, Long> out = new LinkedHashMap<>();
        to.forEach((k, v) -> out.put(k, v - from.getOrDefault(k, 0L)));
        return out;
    }

    private void idle(Duration duration) throws Exception {
        System.err.printf("-- idle for %d s%n", duration.toSeconds());
        live.drain();
        Map<String, Map<String, Long>> threads0 = threadTicks();
        Map<String, Long> cpu0 = cpuNow();
        long t0 = System.nanoTime();
        LockSupport.parkNanos(duration.toNanos());
        double jit = busiestThreads(threads0, (System.nanoTime() - t0) / 1e9);
        Step s =
                new Step(
                        "idle",
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        -1,
                        -1,
                        -1,
                        0,
                        minus(cpuNow(), cpu0),
                        jit,
                        (System.nanoTime() - t0) / 1e9,
                        load());
        steps.add(s);
        progress(s);
    }

    private void step(String mode, int perMessage, int rate) throws Exception {
        step(mode, perMessage, rate, options.stepSeconds(), true);
    }

    private void step(String mode, int perMessage, int rate, int seconds, boolean keep)
            throws Exception {
        String prefix = "b" + (++stepNumber) + "-";
        int n = publishers.size();
        double messagesPerSecond = rate / (double) perMessage;
        long messages = Math.round(messagesPerSecond * seconds);
        System.err.printf(
                Locale.ROOT,
                "-- %s: %,d readings/s (%,.0f messages/s) for %d s%n",
                mode,
                rate,
                messagesPerSecond,
                seconds);
        live.drain();
        Map<TopicPartition, Long> from = topic.endOffsets();
        long[] failures0 = publishers.stream().mapToLong(LoadPublisher::failures).toArray();
        Map<String, Map<String, Long>> threads0 = threadTicks();
        Map<String, Long> cpu0 = cpuNow();
        long t0 = System.nanoTime();
        long start = t0 + 20_000_000L;
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds) * 3 / 2;
        LoadPublisher.Published all =
                LoadPublisher.runAll(
                        publishers,
                        runners,
                        prefix,
                        options.sensorsPerPublisher(),
                        perMessage,
                        messagesPerSecond,
                        messages,
                        start,
                        deadline);
        long publishedMessages = all.messages();
        long lastNanos = all.lastPublishNanos();
        double achieved =
                publishedMessages * perMessage / Math.max(1e-9, (lastNanos - start) / 1e9);
        for (LoadPublisher p : publishers) {
            if (!p.awaitAcknowledged(60_000)) {
                System.err.println("   " + p.clientId() + ": the broker did not acknowledge all");
            }
        }
        long refusedMessages = 0;
        for (int i = 0; i < n; i++) {
            refusedMessages += publishers.get(i).failures() - failures0[i];
        }
        long accepted = (publishedMessages - refusedMessages) * perMessage;

        // Drain: until every accepted reading is in the topic, or it stopped growing for 10 s.
        long fromTotal = ReadingsTopic.total(from);
        long drainDeadline =
                System.nanoTime() + TimeUnit.SECONDS.toNanos(options.maxDrainSeconds());
        Map<TopicPartition, Long> to = topic.endOffsets();
        long last = -1;
        long lastProgress = System.nanoTime();
        while (ReadingsTopic.total(to) - fromTotal < accepted
                && System.nanoTime() < drainDeadline
                && System.nanoTime() - lastProgress < 10_000_000_000L) {
            LockSupport.parkNanos(50_000_000L);
            to = topic.endOffsets();
            long now = ReadingsTopic.total(to);
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            }
        }
        Map<String, Long> cpu = minus(cpuNow(), cpu0);
        double wall = (System.nanoTime() - t0) / 1e9;
        double jit = busiestThreads(threads0, wall);
        ReadingsTopic.Tally tally = topic.read(from, to, prefix);
        List<Long> windows = live.drain().stream().sorted().toList();
        Step s =
                new Step(
                        mode,
                        rate,
                        achieved,
                        refusedMessages * perMessage,
                        accepted,
                        tally.distinct(),
                        tally.duplicates,
                        Math.max(0, accepted - tally.distinct()),
                        tally.latency.percentile(50),
                        tally.latency.percentile(99),
                        windows.isEmpty() ? -1 : Percentiles.nearestRank(windows, 0.99),
                        windows.size(),
                        cpu,
                        jit,
                        wall,
                        load());
        if (tally.otherTimestampType > 0) {
            System.err.printf(
                    "   %,d records without LogAppendTime: latency is not Kafka's%n",
                    tally.otherTimestampType);
        }
        if (keep) {
            steps.add(s);
        }
        progress(s);
        // Let the platform settle (and the job's windows close) before the next step.
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
    }

    /** The demo's extra environment: JVM flags of the brokers and of every JVM. */
    private static Map<String, String> environment(Options options) {
        Map<String, String> env = new LinkedHashMap<>();
        if (!options.brokerJavaOptions().isEmpty()) {
            env.put(BrokerProcess.JAVA_OPTIONS_VARIABLE, options.brokerJavaOptions());
        }
        if (!options.javaOptions().isEmpty()) {
            // Read by the java launcher itself, so the broker children (which inherit the
            // environment) get the flags too.
            env.put("JDK_JAVA_OPTIONS", options.javaOptions());
        }
        return env;
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage();
    }

    private void progress(Step s) {
        System.err.printf(
                Locale.ROOT,
                "   achieved %,.0f/s, refused %,d, accepted %,d, in Kafka %,d, duplicates %,d,"
                        + " lost %,d; publish->Kafka p50 %d ms p99 %d ms; window->live p99 %d ms"
                        + " (%d); CPU cores %s (JIT compilers %.3f); load %.2f%n",
                s.achieved(),
                s.refused(),
                s.accepted(),
                s.inKafka(),
                s.duplicates(),
                s.lost(),
                s.p50(),
                s.p99(),
                s.liveP99(),
                s.liveWindows(),
                cpuColumns(s, true),
                s.jitCores(),
                s.loadAverage());
    }

    private String cpuColumns(Step s, boolean cores) {
        StringBuilder b = new StringBuilder();
        for (String role : s.cpuNanos().keySet()) {
            b.append(role)
                    .append(' ')
                    .append(
                            cores
                                    ? String.format(Locale.ROOT, "%.3f", s.cores(role))
                                    : String.format(Locale.ROOT, "%.0f", s.microsPerReading(role)))
                    .append(", ");
        }
        return b.substring(0, Math.max(0, b.length() - 2));
    }

    /**
     * Starts a JFR recording (profile settings) in each platform JVM, into {@code
     * --jfr}/ROLE-PHASE.jfr, written when {@link #stopJfr()} stops it: "low" covers the idle and
     * demo-rate phases, "load" the offered rates.
     */
    private void startJfr(String phase) throws Exception {
        if (options.jfr() == null) {
            return;
        }
        Files.createDirectories(options.jfr());
        for (var e : roles.entrySet()) {
            if (!isJava(e.getValue())) {
                continue; // Mosquitto
            }
            Path file = options.jfr().resolve(e.getKey().replace(' ', '-') + "-" + phase + ".jfr");
            System.err.print(
                    PlatformProcesses.jcmd(
                                    e.getValue().pid(),
                                    "JFR.start",
                                    "name=platform-bench",
                                    "settings=profile",
                                    "filename=" + file)
                            + "\n");
        }
    }

    private static boolean isJava(ProcessHandle p) {
        return p.info().command().orElse("").endsWith("java");
    }

    private void stopJfr() throws Exception {
        if (options.jfr() == null) {
            return;
        }
        for (ProcessHandle p : roles.values()) {
            if (!isJava(p)) {
                continue;
            }
            System.err.print(
                    PlatformProcesses.jcmd(p.pid(), "JFR.stop", "name=platform-bench") + "\n");
        }
    }

    private String report() {
        List<String> processes = new ArrayList<>(roles.keySet());
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "%nPlatform of %s, MQTT broker %s; %d publishers x %d sensors, QoS 1;"
                                + " %d s steps; %s%n%n",
                        options.root(),
                        options.broker().label(),
                        options.publishers(),
                        options.sensorsPerPublisher(),
                        options.stepSeconds(),
                        BenchMachine.describe()));
        out.append("CPU in cores per process:\n\n| phase |");
        processes.forEach(p -> out.append(' ').append(p).append(" |"));
        out.append(" ")
                .append(TOTAL)
                .append(" | of which JIT compilers | ")
                .append(LOAD_GENERATOR)
                .append(" |\n|---|");
        out.append("--:|".repeat(processes.size() + 3)).append('\n');
        for (Step s : steps) {
            if (s.offered() > DEMO_RATE && !s.mode().equals("idle")) {
                continue;
            }
            out.append("| ")
                    .append(
                            s.offered() == 0
                                    ? "idle"
                                    : String.format("%,d readings/s", s.offered()))
                    .append(" |");
            processes.forEach(p -> out.append(String.format(Locale.ROOT, " %.3f |", s.cores(p))));
            out.append(
                    String.format(
                            Locale.ROOT,
                            " %.3f | %.3f | %.3f |%n",
                            s.platformNanos() / 1e9 / s.wallSeconds(),
                            s.jitCores(),
                            s.cores(LOAD_GENERATOR)));
        }
        out.append(
                "\nPer offered rate (readings; latency in ms; CPU in us per reading in Kafka):\n\n");
        out.append(
                "| mode | offered/s | achieved/s | refused | accepted | in Kafka | duplicates |"
                        + " lost | publish->Kafka p50 / p99 | window->live p99 (windows) |");
        processes.forEach(p -> out.append(' ').append(p).append(" |"));
        out.append(" ").append(TOTAL).append(" | sustained |\n|---|");
        out.append("--:|".repeat(9 + processes.size() + 1)).append("---|\n");
        for (Step s : steps) {
            if (s.offered() == 0) {
                continue;
            }
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,d | %,.0f | %,d | %,d | %,d | %,d | %,d | %d / %d | %s |",
                            s.mode(),
                            s.offered(),
                            s.achieved(),
                            s.refused(),
                            s.accepted(),
                            s.inKafka(),
                            s.duplicates(),
                            s.lost(),
                            s.p50(),
                            s.p99(),
                            s.liveWindows() == 0
                                    ? "-"
                                    : s.liveP99() + " (" + s.liveWindows() + ")"));
            processes.forEach(
                    p -> out.append(String.format(Locale.ROOT, " %.1f |", s.microsPerReading(p))));
            out.append(
                    String.format(
                            Locale.ROOT,
                            " %.1f | %s |%n",
                            s.inKafka() == 0 ? Double.NaN : s.platformNanos() / 1e3 / s.inKafka(),
                            s.sustained() ? "yes" : "no"));
        }
        return out.toString();
    }
}
