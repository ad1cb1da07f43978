package org.smartcity.ingest.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the machine's CPU goes during a step: the two broker processes, and inside this JVM the
 * bridge's threads (by the names Paho and the Kafka producer give them), the load generator's and
 * the rest (the benchmark's own consumer, GC, JIT). Thread CPU times come from {@link
 * ThreadMXBean}; process times from {@link ProcessHandle}. Other processes on the machine (other
 * users, builds) are not counted: the system load average hints at them.
 */
final class CpuSampler {
    static final String KAFKA = "kafka broker";
    static final String MQTT = "mqtt broker";
    static final String BRIDGE_CALLBACK = "bridge MQTT callback";
    static final String BRIDGE_MQTT_IO = "bridge MQTT I/O";
    static final String BRIDGE_PRODUCER = "bridge Kafka producer";
    static final String BRIDGE_OTHER = "bridge other";
    static final String PUBLISHERS = "load generator";
    static final String JVM_THREADS = "bench JVM other threads";
    static final String JVM_INTERNAL = "bench JVM GC/JIT/VM";

    /** CPU time per category, wall time, and the system's one-minute load average. */
    record Sample(long wallNanos, Map<String, Long> cpuNanos, double loadAverage) {}

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ProcessHandle kafka;
    private final ProcessHandle mqtt;
    private final String bridgeId;
    private final String publisherPrefix;

    CpuSampler(long kafkaPid, long mqttPid, String bridgeId, String publisherPrefix) {
        this.kafka = ProcessHandle.of(kafkaPid).orElseThrow();
        this.mqtt = ProcessHandle.of(mqttPid).orElseThrow();
        this.bridgeId = bridgeId;
        this.publisherPrefix = publisherPrefix;
    }

    Sample sample() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (String c :
                new String[] {
                    KAFKA,
                    MQTT,
                    BRIDGE_CALLBACK,
                    BRIDGE_MQTT_IO,
                    BRIDGE_PRODUCER,
                    BRIDGE_OTHER,
                    PUBLISHERS,
                    JVM_THREADS,
                    JVM_INTERNAL
                }) {
            cpu.put(c, 0L);
        }
        cpu.put(KAFKA, processCpu(kafka));
        cpu.put(MQTT, processCpu(mqtt));
        long javaThreads = 0;
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long t = threads.getThreadCpuTime(ids[i]);
            if (infos[i] == null || t < 0) {
                continue;
            }
            javaThreads += t;
            cpu.merge(category(infos[i].getThreadName()), t, Long::sum);
        }
        cpu.put(JVM_INTERNAL, Math.max(0, processCpu(ProcessHandle.current()) - javaThreads));
        return new Sample(
                System.nanoTime(),
                cpu,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private String category(String name) {
        if (name.contains(publisherPrefix)) {
            return PUBLISHERS;
        }
        if (name.endsWith(": " + bridgeId)) {
            return name.startsWith("MQTT Call") ? BRIDGE_CALLBACK : BRIDGE_MQTT_IO;
        }
        if (name.startsWith("kafka-producer-network-thread | " + bridgeId)) {
            return BRIDGE_PRODUCER;
        }
        if (name.startsWith("ingest-")) {
            return BRIDGE_OTHER;
        }
        return JVM_THREADS;
    }

    private static long processCpu(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** Percent of one core per category between two samples (200% = both cores of a 2-core box). */
    static Map<String, Double> percent(Sample from, Sample to) {
        double wall = to.wallNanos() - from.wallNanos();
        Map<String, Double> out = new LinkedHashMap<>();
        to.cpuNanos()
                .forEach(
                        (c, n) ->
                                out.put(
                                        c,
                                        100.0
                                                * Math.max(
                                                        0, n - from.cpuNanos().getOrDefault(c, 0L))
                                                / wall));
        return out;
    }

    /** The benchmark's processes together, in percent of one core. */
    static double total(Map<String, Double> percent) {
        return percent.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
