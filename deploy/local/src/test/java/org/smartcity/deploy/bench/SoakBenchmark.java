package org.smartcity.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.smartcity.brokers.MqttCredentials;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.bench.BenchFlags;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.bench.BenchRun;
import org.smartcity.core.bench.Percentiles;
import org.smartcity.simulator.Fault;

/**
 * The soak run: {@code ./smartcity demo} with a simulated city publishing at a steady rate with
 * every fault on, for an hour, sampled once a minute. It shows whether the platform leaks (heap
 * after a full GC, resident memory and threads of every process), falls behind (the aggregation
 * job's Kafka consumer lag) or slows down (window close to the live map, measured at a client of
 * {@code /api/live/stream}), and, at the end, whether anything was lost: the readings and
 * dead-letter topics hold exactly what the simulator's summary says the bridge accepted and
 * rejected.
 *
 * <p>Each series is reported with its least-squares slope per hour; a flat platform has slopes near
 * zero relative to the level. Run: {@code ./mvnw -q -pl deploy/local -Pbench test-compile exec:exec
 * -Dbench.args="--minutes 60 --rate 1000"} after {@code ./mvnw -q install -DskipTests}.
 */
public final class SoakBenchmark {
    private static final String USAGE =
            """
            SoakBenchmark [--minutes N] [--rate READINGS_PER_S] [--sensors N] [--fault-share F]
                          [--sample-seconds N] [--keep-data]
              --minutes         how long the simulator publishes (default 60)
              --rate            readings per second (default 1000)
              --sensors         simulated sensors (default 2000)
              --fault-share     share of every --fault-* of the simulator (default 0.01)
              --sample-seconds  sampling interval (default 60)
              --keep-data       keep the demo's data directory""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Options(
            int minutes,
            int rate,
            int sensors,
            double faultShare,
            int sampleSeconds,
            boolean keepData) {
        static Options parse(String[] args) {
            int minutes = 60, rate = 1000, sensors = 2000, sample = 60;
            double share = 0.01;
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                switch (flag) {
                    case "--help", "-h" -> throw new IllegalArgumentException(BenchRun.HELP);
                    case "--keep-data" -> keep = true;
                    default -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(flag + " needs a value");
                        }
                        String v = args[++i];
                        switch (flag) {
                            case "--minutes" -> minutes = (int) BenchFlags.positive(flag, v);
                            case "--rate" -> rate = (int) BenchFlags.positive(flag, v);
                            case "--sensors" -> sensors = (int) BenchFlags.positive(flag, v);
                            case "--sample-seconds" -> sample = (int) BenchFlags.positive(flag, v);
                            case "--fault-share" -> share = Double.parseDouble(v);
                            default -> throw new IllegalArgumentException("unknown option " + flag);
                        }
                    }
                }
            }
            return new Options(minutes, rate, sensors, share, sample, keep);
        }
    }

    /** One minute's figures. */
    private record Sample(
            double minute,
            long platformHeapMb,
            long kafkaHeapMb,
            long mqttHeapMb,
            long rssMb,
            long threads,
            long lag,
            long latencyP50,
            long latencyP99,
            int windows) {}

    private SoakBenchmark() {}

    public static void main(String[] args) throws Exception {
        Options options = BenchRun.parseOrExit("SoakBenchmark", USAGE, args, Options::parse);
        if (options == null) {
            return;
        }
        Path root = Path.of(System.getProperty("smartcity.root", "../..")).toAbsolutePath();
        Path data = Files.createTempDirectory("smartcity-soak");
        int mqtt = PlatformProcesses.freePort();
        int kafka = PlatformProcesses.freePort();
        int http = PlatformProcesses.freePort();
        System.out.println(BenchMachine.describe());
        System.out.printf(
                Locale.ROOT,
                "Soak: %d min, %,d readings/s, %,d sensors, every fault at %.1f%%, data %s%n",
                options.minutes(),
                options.rate(),
                options.sensors(),
                options.faultShare() * 100,
                data);
        Process demo =
                PlatformProcesses.smartcity(
                        root,
                        data.resolve("demo.log"),
                        Map.of(),
                        PlatformProcesses.demoArgs(data, mqtt, kafka, http).toArray(String[]::new));
        Process simulator = null;
        try {
            PlatformProcesses.awaitLine(
                    data.resolve("demo.log"), "Platform ready", demo, Duration.ofMinutes(5));
            List<String> sim = new ArrayList<>();
            sim.addAll(
                    List.of(
                            "simulate",
                            "--mqtt-url",
                            "tcp://127.0.0.1:" + mqtt,
                            "--rate",
                            Integer.toString(options.rate()),
                            "--sensors",
                            Integer.toString(options.sensors()),
                            "--duration",
                            options.minutes() + "m",
                            "--summary-file",
                            data.resolve("summary.json").toString()));
            for (Fault f : Fault.values()) {
                sim.add("--fault-" + f.id());
                sim.add(Double.toString(options.faultShare()));
            }
            // The simulator logs in as the demo's gateway user; the password goes through the
            // environment, not the command line that every user of the machine can read.
            MqttCredentials users = MqttCredentials.provision(data.resolve("mqtt-credentials"));
            sim.addAll(List.of("--mqtt-username", users.simulatorUser()));
            simulator =
                    PlatformProcesses.smartcity(
                            root,
                            data.resolve("simulator.log"),
                            Map.of("SMARTCITY_MQTT_PASSWORD", users.simulatorPassword()),
                            sim.toArray(String[]::new));

            LiveWindowLatency live = LiveWindowLatency.connect(http);
            List<Sample> samples = new ArrayList<>();
            long start = System.nanoTime();
            System.out.println(
                    "minute  heap MB (platform kafka mqtt)  RSS MB  threads  job lag  "
                            + "window close->live p50/p99 ms (windows)");
            try (Admin admin = admin(kafka)) {
                while (simulator.isAlive()) {
                    simulator.waitFor(options.sampleSeconds(), TimeUnit.SECONDS);
                    if (!demo.isAlive()) {
                        throw new IllegalStateException("the demo died; see " + data);
                    }
                    Sample s =
                            sample(
                                    (System.nanoTime() - start) / 60e9,
                                    demo.toHandle(),
                                    data,
                                    admin,
                                    live.drain());
                    samples.add(s);
                    System.out.printf(
                            Locale.ROOT,
                            "%6.1f  %8d %6d %5d  %13d  %7d  %7d  %6d / %6d (%d)%n",
                            s.minute(),
                            s.platformHeapMb(),
                            s.kafkaHeapMb(),
                            s.mqttHeapMb(),
                            s.rssMb(),
                            s.threads(),
                            s.lag(),
                            s.latencyP50(),
                            s.latencyP99(),
                            s.windows());
                }
                live.close();
                report(samples);
                account(data.resolve("summary.json"), admin, simulator.exitValue());
            }
        } finally {
            if (simulator != null) {
                simulator.destroy();
            }
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
            if (!options.keepData()) {
                BenchRun.delete(data);
            }
        }
    }

    private static Admin admin(int kafkaPort) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        return Admin.create(p);
    }

    private static Sample sample(
            double minute, ProcessHandle demo, Path dataDir, Admin admin, List<Long> latencies)
            throws Exception {
        long rss = 0, threads = 0, kafkaHeap = -1, mqttHeap = -1;
        for (ProcessHandle p : PlatformProcesses.javaProcesses(demo)) {
            Map<String, String> status = PlatformProcesses.procStatus(p.pid());
            rss += PlatformProcesses.kb(status.get("VmRSS"));
            threads += Long.parseLong(status.getOrDefault("Threads", "0").strip());
            String args = PlatformProcesses.commandLine(p);
            if (args.contains("KafkaBrokerMain")) {
                kafkaHeap = PlatformProcesses.heapAfterGcMb(p.pid());
            } else if (args.contains("MqttBrokerMain")) {
                mqttHeap = PlatformProcesses.heapAfterGcMb(p.pid());
            }
        }
        List<Long> sorted = latencies.stream().sorted().toList();
        return new Sample(
                minute,
                PlatformProcesses.heapAfterGcMb(demo.pid()),
                kafkaHeap,
                mqttHeap,
                rss / 1024,
                threads,
                jobLag(admin),
                sorted.isEmpty() ? -1 : Percentiles.nearestRank(sorted, 0.50),
                sorted.isEmpty() ? -1 : Percentiles.nearestRank(sorted, 0.99),
                sorted.size());
    }

    /** Readings not yet committed by the aggregation job (it commits on each checkpoint). */
    private static long jobLag(Admin admin) throws Exception {
        String group =
                admin.listConsumerGroups().all().get().stream()
                        .map(g -> g.groupId())
                        .filter(g -> g.contains("aggregation"))
                        .findFirst()
                        .orElse(null);
        if (group == null) {
            return -1;
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> end = endOffsets(admin, KafkaTopics.READINGS);
        long lag = 0;
        for (var e : end.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
            throws Exception {
        var partitions =
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> request =
                partitions.stream()
                        .collect(
                                Collectors.toMap(
                                        p -> new TopicPartition(topic, p.partition()),
                                        p -> OffsetSpec.latest()));
        return admin.listOffsets(request).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static void report(List<Sample> samples) {
        // The first sample includes start-up and the first windows: leave it out of the trend.
        List<Sample> steady = samples.size() > 2 ? samples.subList(1, samples.size()) : samples;
        System.out.println("\nTrend over the run (least-squares slope per hour; mean level):");
        trend("platform heap after GC, MB", steady, Sample::platformHeapMb);
        trend("Kafka broker heap after GC, MB", steady, Sample::kafkaHeapMb);
        trend("MQTT broker heap after GC, MB", steady, Sample::mqttHeapMb);
        trend("RSS of all processes, MB", steady, Sample::rssMb);
        trend("threads of all processes", steady, Sample::threads);
        trend("job consumer lag, readings", steady, Sample::lag);
        trend("window close -> live p99, ms", steady, Sample::latencyP99);
    }

    private static void trend(
            String name, List<Sample> samples, java.util.function.ToLongFunction<Sample> f) {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Sample s : samples) {
            double x = s.minute() / 60, y = f.applyAsLong(s);
            if (y < 0) {
                continue; // not measured in that interval (no window closed, process not found)
            }
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope = n < 2 ? 0 : (n * sxy - sx * sy) / (n * sxx - sx * sx);
        System.out.printf(Locale.ROOT, "  %-34s %+10.1f /h   (mean %.1f)%n", name, slope, sy / n);
    }

    /** Nothing lost: the topics hold what the simulator's summary says was accepted/rejected. */
    private static void account(Path summaryFile, Admin admin, int simulatorExit) throws Exception {
        JsonNode summary = JSON.readTree(summaryFile.toFile());
        // The bridge writes asynchronously: wait until the counts stop moving.
        long readings = -1, rejected = -1;
        for (int i = 0; i < 30; i++) {
            long r = sum(endOffsets(admin, KafkaTopics.READINGS).values());
            long d = sum(endOffsets(admin, KafkaTopics.REJECTED).values());
            if (r == readings && d == rejected) {
                break;
            }
            readings = r;
            rejected = d;
            TimeUnit.SECONDS.sleep(2);
        }
        long expectedAccepted = total(summary.path("acceptedByMetric"));
        long expectedRejected = total(summary.path("rejectionsByReason"));
        System.out.printf(
                Locale.ROOT,
                "%nAccounting (simulator exit %d, at %s):%n"
                        + "  readings topic  %,d   simulator expected accepted %,d   %s%n"
                        + "  rejected topic  %,d   simulator expected rejected %,d   %s%n",
                simulatorExit,
                Instant.now(),
                readings,
                expectedAccepted,
                readings == expectedAccepted ? "equal" : "DIFFERENT",
                rejected,
                expectedRejected,
                rejected == expectedRejected ? "equal" : "DIFFERENT");
    }

    private static long sum(Collection<Long> values) {
        return values.stream().mapToLong(Long::longValue).sum();
    }

    private static long total(JsonNode counts) {
        long sum = 0;
        for (JsonNode v : counts) {
            sum += v.asLong();
        }
        return sum;
    }
}
