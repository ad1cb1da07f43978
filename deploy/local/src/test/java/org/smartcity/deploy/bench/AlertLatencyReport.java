package org.smartcity.deploy.bench;

import static org.smartcity.deploy.bench.AlertLatencyBenchmark.BOUND_MILLIS;
import static org.smartcity.deploy.bench.AlertLatencyBenchmark.COMMAND;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.bench.Percentiles;
import org.smartcity.deploy.bench.AlertLatencyBenchmark.From;
import org.smartcity.deploy.bench.AlertLatencyBenchmark.Options;
import org.smartcity.deploy.bench.AlertLatencyBenchmark.Point;
import org.smartcity.deploy.bench.AlertLatencyBenchmark.Run;
import org.smartcity.deploy.bench.AlertLatencyBenchmark.Samples;
import org.smartcity.deploy.bench.AlertLatencyBenchmark.Setup;

/**
 * What {@link AlertLatencyBenchmark} prints: a line per run as it ends, and the Markdown report of
 * all runs (each run's p99s and costs, then per configuration the medians of the runs' count, p50,
 * p99 and max for every point and origin timed, and the pooled threshold p99s against the 1 s
 * target).
 */
final class AlertLatencyReport {
    private AlertLatencyReport() {}

    /** The rows of the report: what was timed, where, from what. */
    private static final List<Object[]> ROWS =
            List.of(
                    new Object[] {
                        "10-s window fired (window end + bound)", Point.FIRED, From.WINDOW
                    },
                    new Object[] {"threshold → appended", Point.APPENDED, From.WINDOW},
                    new Object[] {"threshold → Kafka", Point.KAFKA, From.WINDOW},
                    new Object[] {"threshold → SSE", Point.SSE, From.WINDOW},
                    new Object[] {
                        "sensor rule → appended (from reading)", Point.APPENDED, From.READING
                    },
                    new Object[] {"sensor rule → Kafka (from reading)", Point.KAFKA, From.READING},
                    new Object[] {"sensor rule → SSE (from reading)", Point.SSE, From.READING},
                    new Object[] {
                        "sensor rule → appended (from write)", Point.APPENDED, From.WRITTEN
                    },
                    new Object[] {"sensor rule → Kafka (from write)", Point.KAFKA, From.WRITTEN},
                    new Object[] {"sensor rule → SSE (from write)", Point.SSE, From.WRITTEN});

    /** One line on a run as it ends (stderr): every timing's summary, and what the run cost. */
    static String runLine(int n, Run r) {
        Samples s = r.samples();
        return String.format(
                Locale.ROOT,
                "run %d %s: fired %s; threshold: appended %s, Kafka %s, SSE %s;"
                        + " sensor (from the write): appended %s, Kafka %s, SSE %s;"
                        + " %.2f + %.2f cores; feed behind p99/max %.0f/%.0f ms;"
                        + " %d checkpoints; %,d MiB on disk; load %s",
                n,
                r.setup().label(),
                summary(s.get(Point.FIRED, From.WINDOW)),
                summary(s.get(Point.APPENDED, From.WINDOW)),
                summary(s.get(Point.KAFKA, From.WINDOW)),
                summary(s.get(Point.SSE, From.WINDOW)),
                summary(s.get(Point.APPENDED, From.WRITTEN)),
                summary(s.get(Point.KAFKA, From.WRITTEN)),
                summary(s.get(Point.SSE, From.WRITTEN)),
                r.cores(),
                r.kafkaCores(),
                r.fed().behindP99Millis(),
                r.fed().behindMaxMillis(),
                r.checkpoints(),
                r.diskBytes() / (1024 * 1024),
                r.load());
    }

    /** The report of {@code runs}, in Markdown: each run's figures, then each configuration's. */
    static String markdown(Options options, List<Run> runs) {
        StringBuilder out = new StringBuilder();
        out.append("\n## Alert latency benchmark\n\n");
        out.append("Machine: ").append(BenchMachine.describe()).append(".\n\n");
        out.append(
                String.format(
                        Locale.ROOT,
                        "%s: %,d sensors, %,d readings/s for %d s (the first %d s not"
                                + " measured), windows %s, parallelism 2. Latency in ms: threshold"
                                + " alerts from window end + the %d ms bound, sensor-rule alerts"
                                + " from the reading's time and from its write to Kafka.%n%n",
                        options.city()
                                ? "50,000-sensor city, 20 rules (AlertBenchmark's, windows"
                                        + " shortened)"
                                : "PM2.5, two threshold rules raising or clearing every zone at"
                                        + " every window end",
                        options.sensors(),
                        options.rate(),
                        options.feed().toSeconds(),
                        options.warmup().toSeconds(),
                        options.city() ? "10s,1m,5m" : "10s,1m",
                        BOUND_MILLIS));
        out.append(
                "| configuration | run | threshold Kafka / SSE p99 | sensor Kafka / SSE p99 (from"
                        + " write) | cores (this JVM + Kafka) | feed behind p99 / max |"
                        + " checkpoints (newest) | state on disk | load |\n");
        out.append("|---|--:|--:|--:|--:|--:|---|--:|---|\n");
        int k = 0;
        for (Run r : runs) {
            Samples s = r.samples();
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %,d / %,d | %,d / %,d | %.2f + %.2f | %.0f / %.0f ms |"
                                    + " %d (%,d KiB) | %,d MiB | %s |%n",
                            r.setup().label(),
                            ++k,
                            p(s.get(Point.KAFKA, From.WINDOW), 99),
                            p(s.get(Point.SSE, From.WINDOW), 99),
                            p(s.get(Point.KAFKA, From.WRITTEN), 99),
                            p(s.get(Point.SSE, From.WRITTEN), 99),
                            r.cores(),
                            r.kafkaCores(),
                            r.fed().behindP99Millis(),
                            r.fed().behindMaxMillis(),
                            r.checkpoints(),
                            r.checkpointBytes() / 1024,
                            r.diskBytes() / (1024 * 1024),
                            r.load()));
        }
        for (Setup setup : options.setups()) {
            List<Run> mine = runs.stream().filter(r -> r.setup().equals(setup)).toList();
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%n%s, %d runs: medians of the runs' count, p50, p99 and max (ms);"
                                    + " cores %.2f + %.2f (median):%n%n",
                            setup.label(),
                            mine.size(),
                            median(mine.stream().map(Run::cores).toList()),
                            median(mine.stream().map(Run::kafkaCores).toList())));
            out.append("| timed | count | p50 | p99 | max |\n|---|--:|--:|--:|--:|\n");
            for (Object[] row : ROWS) {
                List<List<Long>> each =
                        mine.stream()
                                .map(r -> r.samples().get((Point) row[1], (From) row[2]))
                                .toList();
                out.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %,.0f | %,.0f | %,.0f | %,.0f |%n",
                                row[0],
                                median(each.stream().map(l -> (double) l.size()).toList()),
                                median(each.stream().map(l -> (double) p(l, 50)).toList()),
                                median(each.stream().map(l -> (double) p(l, 99)).toList()),
                                median(each.stream().map(l -> (double) max(l)).toList())));
            }
            List<Long> kafkaAll = new ArrayList<>();
            List<Long> sseAll = new ArrayList<>();
            for (Run r : mine) {
                kafkaAll.addAll(r.samples().get(Point.KAFKA, From.WINDOW));
                sseAll.addAll(r.samples().get(Point.SSE, From.WINDOW));
            }
            long kafkaPooled = p(kafkaAll, 99);
            long ssePooled = p(sseAll, 99);
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%nThreshold alerts, all runs' samples together: Kafka p99 %,d ms, SSE"
                                    + " p99 %,d ms (target <= 1,000: %s).%n",
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

    private static long max(List<Long> samples) {
        return samples.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** Count, p50, p99 and max of {@code samples}, for the line after each run. */
    private static String summary(List<Long> samples) {
        return String.format(
                Locale.ROOT,
                "%,d p50/p99/max %,d/%,d/%,d",
                samples.size(),
                p(samples, 50),
                p(samples, 99),
                max(samples));
    }

    /** The median of {@code values} (the upper one of an even count), -1 for none. */
    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.isEmpty() ? -1 : v.get(v.size() / 2);
    }
}
