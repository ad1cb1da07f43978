package org.smartcity.jobs.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jdk.jfr.Recording;
import org.smartcity.core.bench.BenchRun;
import org.smartcity.jobs.bench.AlertBenchmark.Measured;

/**
 * {@link AlertBenchmark}'s throughput runs of one configuration (with or without rules) in a JVM of
 * their own, as a job runs: the parent ({@link #fork}) starts this class's {@link #main} with its
 * own JVM options and class path, the child runs the job over the preloaded topic a few times, the
 * first ones uncounted (JIT, class loading), and prints each counted run as one line for the
 * parent.
 *
 * <p>Why: in one JVM the runs with and without rules share the JIT's type profiles and compiled
 * code (Flink's chained outputs see one consumer of the readings without rules, two with), so the
 * order in which a JVM met them decided how its alert path was compiled, and separate invocations
 * of the same build lost 5% or 24% (JMH forks a JVM per benchmark for the same reason).
 */
final class ForkedThroughputRuns {
    /** The start of a counted run's line on the child's standard output. */
    private static final String PREFIX = "MEASURED ";

    private ForkedThroughputRuns() {}

    /**
     * Runs in a new JVM {@code warmups} uncounted runs and then {@code counted} counted ones of the
     * job over {@code topic} with {@code rules} ({@code none} for none); the child's standard error
     * is this JVM's.
     *
     * @param jfr where the child records its counted runs with Java Flight Recorder; may be null
     */
    static List<Measured> fork(
            String bootstrap,
            String topic,
            String rules,
            String groupId,
            long steadyFrom,
            int warmups,
            int counted,
            Path jfr)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // The parent's heap and other JVM options: both configurations get the same JVM.
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-X") || option.startsWith("--add-")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ForkedThroughputRuns.class.getName());
        command.addAll(
                List.of(
                        bootstrap,
                        topic,
                        rules,
                        groupId,
                        Long.toString(steadyFrom),
                        Integer.toString(warmups),
                        Integer.toString(counted),
                        jfr == null ? "-" : jfr.toString()));
        Process child =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Measured> runs = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(PREFIX)) {
                    runs.add(parse(line.substring(PREFIX.length())));
                } else {
                    System.err.println(line);
                }
            }
        }
        int exit = child.waitFor();
        if (exit != 0 || runs.size() != counted) {
            throw new IllegalStateException(
                    String.format(
                            Locale.ROOT,
                            "the forked runs (rules %s) exited with %d after %d of %d counted runs",
                            rules,
                            exit,
                            runs.size(),
                            counted));
        }
        return runs;
    }

    /** The child: arguments as {@link #fork} passes them. */
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        String rules = args[2];
        String groupId = args[3];
        long steadyFrom = Long.parseLong(args[4]);
        int warmups = Integer.parseInt(args[5]);
        int counted = Integer.parseInt(args[6]);
        Path jfr = args[7].equals("-") ? null : Path.of(args[7]);
        for (int i = 0; i < warmups + counted; i++) {
            boolean counts = i >= warmups;
            Recording recording = counts ? BenchRun.startJfr(jfr) : null;
            Measured m =
                    AlertBenchmark.measure(
                            AlertBenchmark.config(bootstrap, topic, groupId + "-" + i, rules),
                            steadyFrom);
            if (recording != null) {
                recording.stop();
                recording.close();
                System.err.println("JFR recording: " + jfr.toAbsolutePath());
            }
            System.err.printf(
                    Locale.ROOT,
                    "  in its own JVM, rules %s, run %d%s: steady %,.0f readings/s, %.2f µs CPU"
                            + " per reading%n",
                    rules.equals("none") ? "off" : "on",
                    i,
                    counts ? "" : " (warm-up, not counted)",
                    m.run().steady().readingsPerSecond(),
                    m.run().steady().cpuMicrosPerReading());
            if (counts) {
                System.out.println(PREFIX + format(m));
            }
        }
        System.out.flush();
        // Flink's non-daemon threads would keep this JVM alive.
        System.exit(0);
    }

    private static String format(Measured m) {
        ThroughputJobs.Run r = m.run();
        ThroughputJobs.Steady s = r.steady();
        return String.join(
                " ",
                r.job(),
                Long.toString(r.netRuntimeMillis()),
                Long.toString(r.wallMillis()),
                Long.toString(r.counted()),
                Long.toString(r.aggregates()),
                Long.toString(r.alerts()),
                Long.toString(s.fromMillis()),
                Long.toString(s.readings()),
                Long.toString(s.nanos()),
                Long.toString(s.cpuNanos()),
                Long.toString(m.cpuNanos()),
                m.load());
    }

    private static Measured parse(String line) {
        String[] f = line.split(" ", 12);
        ThroughputJobs.Steady steady =
                new ThroughputJobs.Steady(
                        Long.parseLong(f[6]),
                        Long.parseLong(f[7]),
                        Long.parseLong(f[8]),
                        Long.parseLong(f[9]));
        ThroughputJobs.Run run =
                new ThroughputJobs.Run(
                        f[0],
                        Long.parseLong(f[1]),
                        Long.parseLong(f[2]),
                        Long.parseLong(f[3]),
                        Long.parseLong(f[4]),
                        Long.parseLong(f[5]),
                        steady);
        return new Measured(run, Long.parseLong(f[10]), f[11]);
    }
}
