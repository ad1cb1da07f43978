package org.smartcity.ingest.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import org.apache.kafka.common.TopicPartition;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.brokers.MqttBroker;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.bench.BenchRun;
import org.smartcity.ingest.IngestConfig;
import org.smartcity.ingest.IngestService;

/**
 * Measures the MQTT to Kafka bridge ({@link IngestService}, one instance) end to end on this
 * machine: how many readings per second it sustains with one reading per MQTT message and with
 * gateway batches of 10, and its latency at half that rate. Not a test: speed depends on the
 * machine, so it is run by hand and its table goes into the report.
 *
 * <p>Run from the repository root (after {@code ./mvnw install -DskipTests} once):
 *
 * <pre>
 * ./mvnw -q -pl ingest -Pbench test-compile exec:java
 * </pre>
 *
 * <p>The {@code bench} profile of {@code ingest/pom.xml} declares the exec plugin and sets {@code
 * exec.mainClass=org.smartcity.ingest.bench.BridgeBenchmark} and {@code exec.classpathScope=test};
 * without it the same run is {@code ./mvnw -q -pl ingest test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=org.smartcity.ingest.bench.BridgeBenchmark}.
 *
 * <p>Add {@code -Dexec.args="--quick"} for a short smoke run (two to three minutes); {@code
 * -Dexec.args="--help"} lists the options (rates, step length, publishers, a JFR recording, and
 * bridge flags after {@code --}). Progress goes to stderr, the results table (markdown) to stdout.
 * The full run takes about ten minutes.
 *
 * <p>How it measures:
 *
 * <ul>
 *   <li>A Kafka and an MQTT broker (HiveMQ CE) start in child JVMs with their data in a temporary
 *       directory, deleted at the end. The readings topic is created first, with 6 partitions and
 *       {@code message.timestamp.type=LogAppendTime}, so each record carries the time the broker
 *       appended it: with {@code acks=all} on one broker, when Kafka acknowledged it to the bridge.
 *   <li>One bridge runs in this JVM with its default settings ({@code IngestConfig.fromFlags}).
 *   <li>The load generator is several MQTT 5 connections (QoS 1, at most the broker's receive
 *       maximum unacknowledged per connection), each publishing for its own sensors at a paced
 *       rate. Each reading's {@code ts} is its publish time in epoch milliseconds; its latency is
 *       the record's append time minus that {@code ts}: both from this machine's clock.
 *   <li>A step publishes at a target rate for a fixed time. It is <em>sustained</em> when the
 *       publishers achieved at least 97% of the target, at most {@code --drain-seconds} (5 s) after
 *       publishing stopped every published reading is in the readings topic exactly once (read back
 *       by sensor-id prefix, which differs per step), and they were delivered at 97% of the target
 *       or more (from the first publication to the last append), so no backlog grew during the
 *       step. Each mode ramps up through its list of rates until a step is not sustained, bisects
 *       twice below it, and ends with a step at half the highest sustained rate, where the latency
 *       target applies.
 *   <li>The bridge's own meters tell where a reading's time goes: how many MQTT messages it holds
 *       unacknowledged (the broker never sends it more than its in-flight window) and the mean time
 *       from a message's arrival in the bridge to Kafka's acknowledgement.
 *   <li>The CPU columns say where the machine's two cores went during the step: the brokers'
 *       processes, and in this JVM the bridge's threads, the load generator's and the rest.
 * </ul>
 */
public final class BridgeBenchmark {
    static final String COMMAND = "./mvnw -q -pl ingest -Pbench test-compile exec:java";
    static final String BRIDGE_ID = "bench-bridge";
    static final String PUBLISHER_PREFIX = "bench-pub";
    static final double ACHIEVED_SHARE = 0.97;
    static final Duration BACKLOG_WAIT = Duration.ofSeconds(180);
    static final Duration PAUSE = Duration.ofSeconds(2);
    static final int MAX_HALVINGS = 4;
    static final int MAX_REFINEMENTS = 2;

    /** One reading per MQTT message, or a gateway's array of 10 readings of one sensor. */
    enum Mode {
        SINGLE("single", 1),
        BATCH("batch-10", 10);

        final String label;
        final int perMessage;

        Mode(String label, int perMessage) {
            this.label = label;
            this.perMessage = perMessage;
        }
    }

    /** One step's outcome. */
    record Step(
            Mode mode,
            String kind,
            int target,
            double achieved,
            long published,
            long inKafka,
            long duplicates,
            long eventuallyInKafka,
            double delivered,
            long p50,
            long p99,
            long max,
            long rejected,
            boolean sustained,
            String why,
            Map<String, Double> cpu,
            double loadAverage,
            BridgeProbe.Stats bridge) {}

    private final BenchOptions options;
    private final PrintStream progress = System.err;
    private final List<Step> steps = new ArrayList<>();
    private final List<LoadPublisher> publishers = new ArrayList<>();
    private final long startedNanos = System.nanoTime();
    private ExecutorService runners;
    private ReadingsTopic topic;
    private CpuSampler cpu;
    private BridgeProbe probe;
    private int stepNumber;
    private int receiveMaximum;

    private BridgeBenchmark(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options =
                BenchRun.parseOrExit(
                        "BridgeBenchmark", BenchOptions.USAGE, args, BenchOptions::parse);
        if (options == null) {
            return;
        }
        new BridgeBenchmark(options).run();
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("bridge-bench-");
        Recording jfr = BenchRun.startJfr(options.jfr());
        progress.printf("Benchmark data in %s; %s%n", dir, machine());
        try (KafkaBroker kafka = KafkaBroker.start(0, dir.resolve("kafka"));
                MqttBroker mqtt = MqttBroker.startAnonymous(0, dir.resolve("mqtt"))) {
            progress.printf("Brokers up: %s, %s%n", kafka, mqtt);
            ReadingsTopic.create(kafka.bootstrapServers());
            List<String> flags =
                    new ArrayList<>(
                            List.of(
                                    "--mqtt-url",
                                    mqtt.serverUri(),
                                    "--kafka-bootstrap",
                                    kafka.bootstrapServers(),
                                    "--mqtt-client-id",
                                    BRIDGE_ID,
                                    "--http-port",
                                    "0"));
            flags.addAll(options.bridgeFlags());
            try (IngestService bridge =
                    IngestService.start(IngestConfig.fromFlags(flags.toArray(String[]::new)))) {
                bridge.awaitSubscribed(Duration.ofSeconds(60));
                topic = new ReadingsTopic(kafka.bootstrapServers());
                topic.watchRejected();
                cpu = new CpuSampler(kafka.pid(), mqtt.pid(), BRIDGE_ID, PUBLISHER_PREFIX);
                probe = new BridgeProbe(bridge.registry());
                connectPublishers(mqtt.serverUri());
                try {
                    if (options.single()) {
                        runMode(Mode.SINGLE, options.singleRates());
                    }
                    if (options.batch()) {
                        runMode(Mode.BATCH, options.batchRates());
                    }
                } finally {
                    closePublishers();
                    topic.close();
                }
            }
        } finally {
            if (jfr != null) {
                jfr.stop();
                jfr.close();
                progress.println("JFR recording of this JVM: " + options.jfr().toAbsolutePath());
            }
            BenchRun.delete(dir);
        }
        System.out.print(report());
        System.out.flush();
    }

    // ---- steps ----

    private void runMode(Mode mode, List<Integer> ladder) throws Exception {
        int warmupRate = Math.max(100, ladder.get(0) / 2);
        progress.printf(
                Locale.ROOT,
                "== %s: warm-up %d s at %,d readings/s%n",
                mode.label,
                options.warmup().toSeconds(),
                warmupRate);
        if (!options.warmup().isZero()) {
            step(mode, "warm-up", warmupRate, options.warmup(), false);
        }
        int best = 0;
        int failed = 0;
        for (int rate : ladder) {
            if (step(mode, "ramp", rate, options.step(), true).sustained()) {
                best = rate;
            } else {
                failed = rate;
                break;
            }
        }
        // The first rate already too high: halve until one is sustained.
        for (int tries = 0; failed > 0 && best == 0 && tries < MAX_HALVINGS; tries++) {
            int rate = failed / 2;
            if (rate < 100) {
                break;
            }
            if (step(mode, "ramp down", rate, options.step(), true).sustained()) {
                best = rate;
            } else {
                failed = rate;
            }
        }
        // Then bisect between the highest sustained rate and the lowest failed one.
        for (int tries = 0; failed > 0 && best > 0 && tries < MAX_REFINEMENTS; tries++) {
            int grain =
                    (int) Math.max(100, Math.pow(10, Math.floor(Math.log10(failed - best)) - 1));
            int mid = (best + failed) / 2 / grain * grain;
            if (mid <= best || mid >= failed) {
                break;
            }
            if (step(mode, "refine", mid, options.step(), true).sustained()) {
                best = mid;
            } else {
                failed = mid;
            }
        }
        if (best > 0) {
            step(mode, "50% of max", best / 2, options.step(), true);
        }
    }

    private Step step(Mode mode, String kind, int rate, Duration duration, boolean keep)
            throws Exception {
        String prefix = "s" + (++stepNumber) + "-";
        Map<TopicPartition, Long> from = topic.endOffsets();
        long rejectedFrom = topic.rejectedEnd();
        long failuresBefore = failures();
        double messagesPerSecond = rate / (double) mode.perMessage;
        long messages = Math.round(messagesPerSecond * duration.toNanos() / 1e9);
        progress.printf(
                Locale.ROOT,
                "-- step %d %s %s: %,d readings/s (%,.0f messages/s) for %d s%n",
                stepNumber,
                mode.label,
                kind,
                rate,
                messagesPerSecond,
                duration.toSeconds());

        CpuSampler.Sample cpu0 = cpu.sample();
        probe.start();
        long start = System.nanoTime() + 20_000_000L;
        long deadline = start + duration.toNanos() * 3 / 2;
        LoadPublisher.Published all =
                LoadPublisher.runAll(
                        publishers,
                        runners,
                        prefix,
                        options.sensorsPerPublisher(),
                        mode.perMessage,
                        messagesPerSecond,
                        messages,
                        start,
                        deadline);
        long published = all.readings();
        long firstMillis =
                all.firstPublishMillis() >= 0 ? all.firstPublishMillis() : Long.MAX_VALUE;
        long lastNanos = all.lastPublishNanos();
        double seconds = Math.max(1e-9, (lastNanos - start) / 1e9);
        double achieved = published / seconds;

        // Drain: the end offsets tell, cheaply, when everything is in; the records are read after.
        long drainDeadline = lastNanos + options.drain().toNanos();
        Map<TopicPartition, Long> to = topic.endOffsets();
        long fromTotal = ReadingsTopic.total(from);
        while (ReadingsTopic.total(to) - fromTotal < published
                && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(20_000_000L);
            to = topic.endOffsets();
        }
        CpuSampler.Sample cpu1 = cpu.sample();
        BridgeProbe.Stats bridgeStats = probe.stop();
        for (LoadPublisher p : publishers) {
            if (!p.awaitAcknowledged(60_000)) {
                progress.println("   " + p.clientId() + ": the broker did not acknowledge all");
            }
        }
        long failed = failures() - failuresBefore;
        ReadingsTopic.Tally tally = topic.read(from, to, prefix);
        long eventually = tally.records;
        if (ReadingsTopic.total(to) - fromTotal < published) {
            eventually = awaitBacklog(fromTotal, published);
        }
        long rejected = topic.rejectedEnd() - rejectedFrom;

        List<String> why = new ArrayList<>();
        if (failed > 0) {
            why.add(failed + " publish failures");
        }
        if (achieved < ACHIEVED_SHARE * rate) {
            why.add(String.format(Locale.ROOT, "publishers reached %.0f%%", 100 * achieved / rate));
        }
        double delivered =
                tally.records == 0
                        ? 0
                        : tally.records
                                / Math.max(0.001, (tally.lastAppendMillis - firstMillis) / 1000.0);
        if (tally.distinct() == published && delivered < ACHIEVED_SHARE * rate) {
            // Everything arrived, but behind: a backlog grew during the step and only drained
            // in the allowance after it; a longer step would have failed.
            why.add(
                    String.format(
                            Locale.ROOT,
                            "delivered at %.0f%% of the rate",
                            100 * delivered / rate));
        }
        if (tally.distinct() < published) {
            why.add(
                    String.format(
                            Locale.ROOT,
                            "%,d not in Kafka %d s after publishing",
                            published - tally.distinct(),
                            options.drain().toSeconds()));
        }
        if (tally.duplicates > 0) {
            why.add(tally.duplicates + " duplicates");
        }
        if (tally.distinct() > published) {
            why.add("more readings than published");
        }
        if (rejected > 0) {
            why.add(rejected + " rejected");
        }
        if (tally.otherTimestampType > 0) {
            why.add(tally.otherTimestampType + " records without LogAppendTime");
        }
        Step s =
                new Step(
                        mode,
                        kind,
                        rate,
                        achieved,
                        published,
                        tally.records,
                        tally.duplicates,
                        eventually,
                        delivered,
                        tally.latency.percentile(50),
                        tally.latency.percentile(99),
                        tally.latency.max(),
                        rejected,
                        why.isEmpty(),
                        String.join("; ", why),
                        CpuSampler.percent(cpu0, cpu1),
                        cpu1.loadAverage(),
                        bridgeStats);
        progress.printf(
                Locale.ROOT,
                "   achieved %,.0f/s, in Kafka %,d/%,d%s, delivered %,.0f/s, latency p50 %d ms,"
                        + " p99 %d ms, max %d ms -> %s%n   CPU %% of one core: %s; total"
                        + " %.0f; load average %.2f%n   bridge: MQTT messages in flight mean %.1f,"
                        + " max %d; arrival to Kafka ack mean %.1f ms over %,d records; elapsed %d"
                        + " s%n",
                achieved,
                tally.records,
                published,
                eventually == tally.records ? "" : " (eventually " + eventually + ")",
                delivered,
                s.p50(),
                s.p99(),
                s.max(),
                s.sustained() ? "sustained" : "NOT sustained (" + s.why() + ")",
                s.cpu().entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")),
                CpuSampler.total(s.cpu()),
                s.loadAverage(),
                bridgeStats.meanInFlight(),
                bridgeStats.maxInFlight(),
                bridgeStats.meanKafkaSendMillis(),
                bridgeStats.records(),
                (System.nanoTime() - startedNanos) / 1_000_000_000L);
        if (keep) {
            steps.add(s);
        }
        LockSupport.parkNanos(PAUSE.toNanos());
        return s;
    }

    /**
     * After a step that did not drain in time, waits (bounded) for its backlog so the next step
     * starts from an idle bridge; returns how many records arrived in all.
     */
    private long awaitBacklog(long fromTotal, long published) {
        long deadline = System.nanoTime() + BACKLOG_WAIT.toNanos();
        long last = -1;
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = ReadingsTopic.total(topic.endOffsets()) - fromTotal;
            if (now >= published) {
                return now;
            }
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > 20_000_000_000L) {
                break;
            }
            LockSupport.parkNanos(200_000_000L);
        }
        progress.printf("   backlog not drained: %,d of %,d in Kafka%n", last, published);
        return last;
    }

    // ---- load generator ----

    private void connectPublishers(String serverUri) throws Exception {
        AtomicInteger threads = new AtomicInteger();
        runners =
                Executors.newFixedThreadPool(
                        options.publishers(),
                        r -> {
                            Thread t =
                                    new Thread(
                                            r,
                                            PUBLISHER_PREFIX
                                                    + "-runner-"
                                                    + threads.getAndIncrement());
                            t.setDaemon(true);
                            return t;
                        });
        for (int i = 0; i < options.publishers(); i++) {
            publishers.add(new LoadPublisher(serverUri, PUBLISHER_PREFIX + "-" + i));
        }
        receiveMaximum = publishers.get(0).windowSize();
        progress.printf(
                "%d publisher connections x %d sensors; broker receive maximum %d%n",
                options.publishers(), options.sensorsPerPublisher(), receiveMaximum);
    }

    private long failures() {
        return publishers.stream().mapToLong(LoadPublisher::failures).sum();
    }

    private void closePublishers() {
        for (LoadPublisher p : publishers) {
            try {
                p.close();
            } catch (Exception e) {
                progress.println("closing " + p.clientId() + ": " + e.getMessage());
            }
        }
        if (runners != null) {
            runners.shutdownNow();
        }
    }

    // ---- report ----

    private String report() {
        StringBuilder out = new StringBuilder();
        out.append("## MQTT -> Kafka bridge benchmark (one IngestService instance)\n\n");
        out.append("Command: `").append(COMMAND);
        if (!options.args().isEmpty()) {
            out.append(" -Dexec.args=\"").append(String.join(" ", options.args())).append('"');
        }
        out.append("`\n\n");
        out.append("Machine: ").append(machine()).append(". ");
        out.append(
                "The Kafka broker, the MQTT broker (HiveMQ CE), the bridge and the load generator"
                        + " all run on it: the two brokers in child JVMs, the bridge and the load"
                        + " generator in this one.\n\n");
        out.append(
                String.format(
                        Locale.ROOT,
                        "Load: %d MQTT 5 connections x %d sensors, QoS 1, TCP_NODELAY, at most %d"
                                + " unacknowledged messages per connection (the broker's receive"
                                + " maximum); %d s"
                                + " per step after a %d s warm-up per mode. Sustained = publishers"
                                + " reached >= %.0f%% of the target, every published reading"
                                + " was in Kafka exactly once within %d s after publishing"
                                + " stopped, and the delivered rate (first publication to last"
                                + " append) was >= the same share of the target. Latency = Kafka append time (LogAppendTime, acks=all)"
                                + " - publish time written in the reading's ts. Bridge flags: %s.%n%n",
                        options.publishers(),
                        options.sensorsPerPublisher(),
                        receiveMaximum,
                        options.step().toSeconds(),
                        options.warmup().toSeconds(),
                        ACHIEVED_SHARE * 100,
                        options.drain().toSeconds(),
                        options.bridgeFlags().isEmpty()
                                ? "defaults"
                                : String.join(" ", options.bridgeFlags())));
        out.append(
                "| mode | step | target readings/s | achieved publish/s | in Kafka / published"
                        + " | delivered/s | p50 ms | p99 ms | max ms | bridge in-flight msgs"
                        + " mean / max | bridge arrival->Kafka ack mean ms | sustained |\n");
        out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (Step s : steps) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %,d | %,.0f | %,d / %,d | %,.0f | %s | %s | %s | %.0f / %d"
                                    + " | %.1f | %s |%n",
                            s.mode().label,
                            s.kind(),
                            s.target(),
                            s.achieved(),
                            s.inKafka(),
                            s.published(),
                            s.delivered(),
                            ms(s.p50()),
                            ms(s.p99()),
                            ms(s.max()),
                            s.bridge().meanInFlight(),
                            s.bridge().maxInFlight(),
                            s.bridge().meanKafkaSendMillis(),
                            s.sustained() ? "yes" : "no: " + s.why()));
        }
        out.append("\nCPU during each step (publishing and draining), % of one core;")
                .append(" the machine has ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(
                        " cores, shared with whatever else runs on it (the one-minute load average,"
                                + " taken at the end of the step, counts runnable threads of all"
                                + " processes):\n\n");
        List<String> categories =
                steps.isEmpty() ? List.of() : List.copyOf(steps.get(0).cpu().keySet());
        out.append("| mode | target readings/s | ")
                .append(String.join(" | ", categories))
                .append(" | total | load avg |\n|---|--:|")
                .append("--:|".repeat(categories.size()))
                .append("--:|--:|\n");
        for (Step s : steps) {
            out.append("| ").append(s.mode().label).append(" | ");
            out.append(String.format(Locale.ROOT, "%,d | ", s.target()));
            for (String c : categories) {
                out.append(String.format(Locale.ROOT, "%.0f | ", s.cpu().get(c)));
            }
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%.0f | %.2f |%n",
                            CpuSampler.total(s.cpu()),
                            s.loadAverage()));
        }
        out.append("\n| summary | single reading | batch of 10 | target |\n|---|--:|--:|---|\n");
        out.append(
                String.format(
                        Locale.ROOT,
                        "| max sustained readings/s | %s | %s | >= 25,000 single, >= 100,000"
                                + " batch |%n",
                        maxSustained(Mode.SINGLE),
                        maxSustained(Mode.BATCH)));
        out.append(
                String.format(
                        Locale.ROOT,
                        "| latency at 50%% of max: p50 / p99 / max ms | %s | %s | p99 <= 50 ms |%n",
                        halfRate(Mode.SINGLE),
                        halfRate(Mode.BATCH)));
        out.append(
                String.format(
                        Locale.ROOT,
                        "%nTotal time %d s.%n",
                        (System.nanoTime() - startedNanos) / 1_000_000_000L));
        return out.toString();
    }

    private String maxSustained(Mode mode) {
        return steps.stream()
                .filter(s -> s.mode() == mode && s.sustained() && !s.kind().startsWith("50%"))
                .max(Comparator.comparingInt(Step::target))
                .map(s -> String.format(Locale.ROOT, "%,d", s.target()))
                .orElse(steps.stream().anyMatch(s -> s.mode() == mode) ? "none" : "not run");
    }

    private String halfRate(Mode mode) {
        return steps.stream()
                .filter(s -> s.mode() == mode && s.kind().startsWith("50%"))
                .findFirst()
                .map(
                        s ->
                                String.format(
                                        Locale.ROOT,
                                        "%s / %s / %s (at %,d/s%s)",
                                        ms(s.p50()),
                                        ms(s.p99()),
                                        ms(s.max()),
                                        s.target(),
                                        s.sustained() ? "" : ", not sustained"))
                .orElse("not run");
    }

    private static String ms(long v) {
        return v < 0 ? "-" : Long.toString(v);
    }

    /** The bridge report's own form (RAM, OS, JVM); the CPU model as every benchmark reads it. */
    private static String machine() {
        long memoryMb = -1;
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            memoryMb = os.getTotalMemorySize() / (1024 * 1024);
        }
        return String.format(
                Locale.ROOT,
                "%d CPUs (%s), %,d MB RAM, %s %s, Java %s (%s)",
                Runtime.getRuntime().availableProcessors(),
                BenchMachine.cpuModel(),
                memoryMb,
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
    }
}
