package org.smartcity.core.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a benchmark says about the machine it ran on: the hardware and JVM of its report's
 * "Machine:" line, the load average that shows other work on the machine, and a process's CPU time.
 * Shared by the ingest, stream-jobs and dashboard benchmarks (core's test jar), so that their
 * reports describe the machine the same way. Linux files are read where they exist; elsewhere the
 * values degrade (unknown CPU model, the JVM's one-minute load average) instead of failing.
 */
public final class BenchMachine {
    private BenchMachine() {}

    /** CPUs, CPU model, Java version and this JVM's max heap, e.g. for a report's first line. */
    public static String describe() {
        return String.format(
                Locale.ROOT,
                "%d CPUs (%s), Java %s, max heap %,d MB",
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /** The CPU's model name from {@code /proc/cpuinfo}; "unknown CPU" where there is none. */
    public static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            // Not Linux: the model stays unknown.
            return "unknown CPU";
        }
    }

    /**
     * The 1, 5 and 15 minute load averages ("0.52 0.58 0.59"): other work on the machine shows
     * here. Without {@code /proc/loadavg}, the JVM's one-minute figure with two decimals.
     */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(
                    Locale.ROOT,
                    "%.2f",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** CPU time the process has used so far, in nanoseconds; 0 where the OS does not tell. */
    public static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
