package org.smartcity.deploy.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The whole-platform benchmarks' view of the processes they start: {@code ./smartcity} commands run
 * from a checkout as child processes (their output in a log file), the platform JVM's broker
 * children found by their main class, and what {@code /proc} and {@code jcmd} tell about each (CPU
 * time, resident memory, threads, heap after a full collection, JFR recordings). Linux only.
 */
final class PlatformProcesses {
    /** The platform JVM ({@code ./smartcity demo}: bridge, Flink job, dashboard). */
    static final String PLATFORM = "platform";

    static final String KAFKA = "kafka broker";
    static final String MQTT = "mqtt broker";

    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private PlatformProcesses() {}

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts {@code ROOT/smartcity ARGS...} without building (the checkout must be built), with its
     * output in {@code log}.
     */
    static Process smartcity(Path root, Path log, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("smartcity").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().put("SMARTCITY_NO_BUILD", "1");
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    /**
     * The arguments of {@code ./smartcity demo} without a simulated city ({@code --rate 0}), with
     * its data in {@code dataDir} and its listeners on the given ports (the bridge's HTTP port on a
     * free one): the platform a benchmark drives with its own load.
     */
    static List<String> demoArgs(Path dataDir, int mqttPort, int kafkaPort, int httpPort) {
        return List.of(
                "demo",
                "--rate",
                "0",
                "--data-dir",
                dataDir.toString(),
                "--mqtt-port",
                Integer.toString(mqttPort),
                "--kafka-port",
                Integer.toString(kafkaPort),
                "--http-port",
                Integer.toString(httpPort),
                "--ingest-http-port",
                "0");
    }

    /** Waits until {@code log} contains {@code text}; fails if the process exits first. */
    static void awaitLine(Path log, String text, Process process, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("exited before '" + text + "': see " + log);
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("no '" + text + "' within " + timeout + ": see " + log);
    }

    /**
     * The platform JVM and its broker JVMs by role ({@link #PLATFORM}, {@link #KAFKA}, {@link
     * #MQTT}), in that order; a broker the demo does not run (an external one) is absent.
     */
    static Map<String, ProcessHandle> roles(ProcessHandle platform) {
        Map<String, ProcessHandle> out = new LinkedHashMap<>();
        out.put(PLATFORM, platform);
        platform.descendants()
                .forEach(
                        p -> {
                            String args = commandLine(p);
                            if (args.contains("KafkaBrokerMain")) {
                                out.put(KAFKA, p);
                            } else if (args.contains("MqttBrokerMain")) {
                                out.put(MQTT, p);
                            }
                        });
        return out;
    }

    /** The platform JVM and every Java process it started. */
    static List<ProcessHandle> javaProcesses(ProcessHandle platform) {
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(platform);
        platform.descendants()
                .filter(p -> p.info().command().orElse("").endsWith("java"))
                .forEach(processes::add);
        return processes;
    }

    /**
     * CPU time per thread name (digits folded to N, so a pool counts as one) of a process, in clock
     * ticks (usually 10 ms), from {@code /proc/PID/task/TID/stat}; threads gone are not counted.
     */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> out = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // Fields 14 and 15 of stat (utime, stime), counted after the name's ')'.
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    out.merge(name.replaceAll("\\d+", "N"), ticks, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return out;
    }

    /** The process's command line from /proc (the JDK's {@code Info} omits long ones). */
    static String commandLine(ProcessHandle p) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ""; // gone, or not ours to read
        }
    }

    /** The heap in use right after a full collection, through {@code jcmd}. */
    static long heapAfterGcMb(long pid) throws Exception {
        jcmd(pid, "GC.run");
        Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        long usedKb = 0;
        while (m.find()) {
            usedKb += Long.parseLong(m.group(1));
        }
        return usedKb / 1024;
    }

    /** Runs {@code jcmd PID COMMAND...} and returns its output without metaspace lines. */
    static String jcmd(long pid, String... command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> line = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        // GC.heap_info lists the metaspace too; only the heap's generations or regions count.
        return out.lines()
                .filter(l -> !l.contains("Metaspace") && !l.contains("class space"))
                .collect(Collectors.joining("\n"));
    }

    /** The fields of {@code /proc/PID/status}. */
    static Map<String, String> procStatus(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.contains(":"))
                .collect(
                        Collectors.toMap(
                                l -> l.substring(0, l.indexOf(':')),
                                l -> l.substring(l.indexOf(':') + 1).strip(),
                                (a, b) -> a));
    }

    /** A {@code /proc} size such as "1234 kB" in kB; 0 when absent. */
    static long kb(String value) {
        return value == null ? 0 : Long.parseLong(value.replace("kB", "").strip());
    }
}
