package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.jobs.alerts.ThresholdRule.Level;
import org.smartcity.sinks.FlinkTestCluster;

/**
 * The alert stage on a MiniCluster at parallelism 2, against oracles that are plain loops over the
 * same input in this test: three days of hourly PM2.5 district means and two days of 15-minute
 * water-level cell maxima (random walks, noise around a level, gaps, late corrections) for the
 * threshold rules, and readings with silences, repeats and readings a millisecond apart for the
 * silent-sensor rule. Every alert revision must equal the oracle's, and each episode must have
 * exactly one id.
 */
class AlertStageITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    private static final long HOUR = 3_600_000L;
    private static final long QUARTER = 900_000L;
    private static final long T0 = Instant.parse("2026-12-04T00:00:00Z").toEpochMilli();

    /** The same PM2.5 rule as the operator-harness test's. */
    private static final ThresholdRule PM25 = ThresholdAlertFunctionTest.RULE;

    private static final ThresholdRule WATER =
            new ThresholdRule(
                    "water-high",
                    "Water level",
                    Metric.WATER_LEVEL,
                    ZoneKind.H3,
                    QUARTER,
                    Statistic.MAX,
                    List.of(
                            new Level(Severity.MINOR, 2.0),
                            new Level(Severity.MODERATE, 2.5),
                            new Level(Severity.SEVERE, 3.0),
                            new Level(Severity.EXTREME, 3.5)),
                    1.8,
                    1,
                    3,
                    "",
                    "test",
                    0,
                    0);

    private static final long SILENCE = 600_000L;
    private static final SilentSensorRule SILENT =
            new SilentSensorRule("sensor-silent", null, SILENCE, Severity.MINOR, "test");

    /** What the oracles and the job are compared on (the message is tested elsewhere). */
    record Revision(
            String id,
            int revision,
            AlertStatus status,
            Severity severity,
            long openedAt,
            long updatedAt,
            Long clearedAt,
            double value,
            double peak,
            double threshold) {
        static Revision of(Alert a) {
            return new Revision(
                    a.id(),
                    a.revision(),
                    a.status(),
                    a.severity(),
                    a.openedAtMillis(),
                    a.updatedAtMillis(),
                    a.clearedAtMillis(),
                    a.value(),
                    a.peak(),
                    a.threshold());
        }
    }

    @Test
    void thresholdAlertsEqualThePlainLoop() throws Exception {
        List<ZoneAggregate> input = aggregates(new Random(11));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<ZoneAggregate> aggregates =
                env.fromData(input, TypeInformation.of(ZoneAggregate.class)).setParallelism(1);
        List<Alert> actual =
                collect(
                        AlertStage.thresholdAlerts(
                                aggregates, List.of(PM25, WATER), SubjectNames.ids()));

        List<Revision> expected = new ArrayList<>();
        expected.addAll(thresholdOracle(PM25, input));
        expected.addAll(thresholdOracle(WATER, input));
        assertThat(actual.stream().map(Revision::of).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertOneEpisodePerId(actual);

        // The district whose mean wanders around 75 (between 67 and 83): one episode, never
        // cleared, never flapping.
        List<Alert> noisy = actual.stream().filter(a -> a.subjectId().equals("noisy")).toList();
        assertThat(noisy).extracting(Alert::id).hasSize(1);
        assertThat(noisy).extracting(Alert::status).containsOnly(AlertStatus.ACTIVE);
        // The data exercise every branch: raised, escalated, de-escalated, cleared.
        assertThat(expected).extracting(Revision::status).contains(AlertStatus.CLEARED);
        assertThat(expected.stream().filter(r -> r.revision() > 1 && r.clearedAt() == null))
                .isNotEmpty();
        assertThat(expected).hasSizeGreaterThan(30);
    }

    @Test
    void silentSensorAlertsEqualThePlainLoop() throws Exception {
        List<Reading> input = readings(new Random(5));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Reading> readings =
                env.fromData(input, TypeInformation.of(Reading.class))
                        .setParallelism(1)
                        .assignTimestampsAndWatermarks(perReading())
                        .setParallelism(1);
        List<Alert> actual = collect(AlertStage.silentSensorAlerts(readings, List.of(SILENT)));

        List<Revision> expected = silentOracle(input);
        assertThat(actual.stream().map(Revision::of).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertOneEpisodePerId(actual);
        assertThat(expected).hasSizeGreaterThan(10);
        assertThat(expected).extracting(Revision::status).contains(AlertStatus.ACTIVE);
    }

    // ---------------------------------------------------------------- input

    /**
     * Hourly PM2.5 means of six districts over three days and 15-minute water-level maxima of three
     * cells over two days, in the order the job emits them (by window end), with about 4% of the
     * windows missing and about 4% corrected by a second revision one window later.
     */
    private static List<ZoneAggregate> aggregates(Random random) {
        List<ZoneAggregate> first = new ArrayList<>();
        String[] districts = {"noisy", "d1", "d2", "d3", "d4", "d5"};
        for (String d : districts) {
            double v = 40;
            for (int h = 0; h < 72; h++) {
                if (d.equals("noisy")) {
                    v = 67 + 16 * random.nextDouble();
                } else {
                    v = Math.max(5, Math.min(320, v + random.nextGaussian() * 45));
                }
                if (!d.equals("noisy") && random.nextDouble() < 0.04) {
                    continue; // no readings in that window: no aggregate
                }
                first.add(agg(Metric.PM25, ZoneKind.DISTRICT, d, T0 + h * HOUR, HOUR, round(v)));
            }
        }
        for (String cell : new String[] {"8840a1", "8840a3", "8840a5"}) {
            double v = 1.5;
            for (int q = 0; q < 192; q++) {
                v = Math.max(0.5, Math.min(4.2, v + random.nextGaussian() * 0.25));
                if (random.nextDouble() < 0.04) {
                    continue;
                }
                first.add(
                        agg(
                                Metric.WATER_LEVEL,
                                ZoneKind.H3,
                                cell,
                                T0 + q * QUARTER,
                                QUARTER,
                                round(v)));
            }
        }
        first.sort(
                Comparator.comparingLong(ZoneAggregate::windowEndMillis)
                        .thenComparing(ZoneAggregate::zoneId));
        // Corrections come after the next window of the same length has been emitted.
        List<ZoneAggregate> out = new ArrayList<>();
        List<ZoneAggregate> pending = new ArrayList<>();
        for (ZoneAggregate a : first) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                ZoneAggregate p = it.next();
                if (p.windowEndMillis() < a.windowEndMillis()) {
                    out.add(p);
                    it.remove();
                }
            }
            out.add(a);
            if (random.nextDouble() < 0.04) {
                double corrected = round(a.max() * (0.5 + random.nextDouble()));
                pending.add(
                        agg(
                                a.metric(),
                                a.zoneKind(),
                                a.zoneId(),
                                a.windowStartMillis(),
                                a.windowLengthMillis(),
                                corrected,
                                2));
            }
        }
        out.addAll(pending);
        return out;
    }

    /**
     * Readings of eight sensors over three hours in event-time order, each every 20 to 90 s, with
     * silences of 5 to 25 minutes, repeats of a reading, and readings a millisecond apart; one
     * sensor stops for good an hour before the end.
     */
    private static List<Reading> readings(Random random) {
        List<Reading> out = new ArrayList<>();
        long end = T0 + 3 * HOUR;
        for (int s = 0; s < 8; s++) {
            String id = "km-s" + s;
            long t = T0 + random.nextInt(60_000);
            long stop = s == 7 ? end - HOUR : end;
            while (t < stop) {
                out.add(reading(id, t, random));
                double roll = random.nextDouble();
                if (roll < 0.05) {
                    out.add(reading(id, t, random)); // the same time again
                } else if (roll < 0.10) {
                    out.add(reading(id, t + 1, random)); // a millisecond apart
                    t += 1;
                }
                t +=
                        random.nextDouble() < 0.06
                                ? 300_000 + random.nextInt(1_200_000)
                                : 20_000 + random.nextInt(70_000);
            }
        }
        out.sort(Comparator.comparingLong(Reading::timestampMillis));
        return out;
    }

    // ---------------------------------------------------------------- oracles

    /**
     * The threshold rule as its contract reads, one zone at a time, over revision 1 of each window.
     */
    private static List<Revision> thresholdOracle(ThresholdRule rule, List<ZoneAggregate> input) {
        Map<String, List<ZoneAggregate>> byZone = new LinkedHashMap<>();
        for (ZoneAggregate a : input) {
            if (a.metric() == rule.metric()
                    && a.zoneKind() == rule.zoneKind()
                    && a.windowLengthMillis() == rule.windowMillis()
                    && a.revision() == 1) {
                byZone.computeIfAbsent(a.zoneId(), z -> new ArrayList<>()).add(a);
            }
        }
        double lowest = rule.levels().get(0).value();
        List<Revision> out = new ArrayList<>();
        byZone.forEach(
                (zone, windows) -> {
                    List<ZoneAggregate> aboveRun = new ArrayList<>();
                    List<ZoneAggregate> belowRun = new ArrayList<>();
                    boolean open = false;
                    String id = null;
                    long openedAt = 0;
                    Severity severity = null;
                    double peak = 0;
                    int revision = 0;
                    long previous = Long.MIN_VALUE;
                    for (ZoneAggregate w : windows) {
                        double v = rule.statistic() == Statistic.MEAN ? w.mean() : w.max();
                        boolean consecutive =
                                w.windowStartMillis() - previous == rule.windowMillis();
                        previous = w.windowStartMillis();
                        if (!open) {
                            if (v > lowest) {
                                if (!consecutive) {
                                    aboveRun.clear();
                                }
                                aboveRun.add(w);
                            } else {
                                aboveRun.clear();
                            }
                            if (aboveRun.size() == rule.raiseAfter()) {
                                open = true;
                                openedAt = aboveRun.get(0).windowStartMillis();
                                id =
                                        rule.id()
                                                + "|"
                                                + rule.zoneKind().id()
                                                + "|"
                                                + zone
                                                + "|"
                                                + openedAt;
                                peak =
                                        aboveRun.stream()
                                                .mapToDouble(
                                                        a ->
                                                                rule.statistic() == Statistic.MEAN
                                                                        ? a.mean()
                                                                        : a.max())
                                                .max()
                                                .orElseThrow();
                                severity = top(rule, v);
                                revision = 1;
                                out.add(
                                        new Revision(
                                                id,
                                                1,
                                                AlertStatus.ACTIVE,
                                                severity,
                                                openedAt,
                                                w.windowEndMillis(),
                                                null,
                                                v,
                                                peak,
                                                levelOf(rule, severity)));
                                aboveRun.clear();
                                belowRun.clear();
                            }
                            continue;
                        }
                        peak = Math.max(peak, v);
                        if (v < rule.clearBelow()) {
                            if (!consecutive) {
                                belowRun.clear();
                            }
                            belowRun.add(w);
                            if (belowRun.size() == rule.clearAfter()) {
                                revision++;
                                out.add(
                                        new Revision(
                                                id,
                                                revision,
                                                AlertStatus.CLEARED,
                                                severity,
                                                openedAt,
                                                w.windowEndMillis(),
                                                belowRun.get(0).windowStartMillis(),
                                                v,
                                                peak,
                                                levelOf(rule, severity)));
                                open = false;
                                belowRun.clear();
                            }
                            continue;
                        }
                        belowRun.clear();
                        Severity now = v > lowest ? top(rule, v) : severity;
                        if (now != severity) {
                            severity = now;
                            revision++;
                            out.add(
                                    new Revision(
                                            id,
                                            revision,
                                            AlertStatus.ACTIVE,
                                            severity,
                                            openedAt,
                                            w.windowEndMillis(),
                                            null,
                                            v,
                                            peak,
                                            levelOf(rule, severity)));
                        }
                    }
                });
        return out;
    }

    private static Severity top(ThresholdRule rule, double v) {
        Severity s = null;
        for (Level l : rule.levels()) {
            if (v > l.value()) {
                s = l.severity();
            }
        }
        return s;
    }

    private static double levelOf(ThresholdRule rule, Severity s) {
        return rule.levels().stream()
                .filter(l -> l.severity() == s)
                .findFirst()
                .orElseThrow()
                .value();
    }

    /**
     * Silent sensors on event time, as the contract reads with a watermark of (newest reading time
     * - 1 ms) after every reading: a sensor's silence opens at its last reading plus the limit once
     * the watermark has passed that, and clears with its next newer reading; the end of the input
     * is no silence. (Processing time plays no part: the test runs in seconds, the limit is 10
     * min.)
     */
    private static List<Revision> silentOracle(List<Reading> input) {
        List<Revision> out = new ArrayList<>();
        Map<String, Long> last = new HashMap<>();
        Map<String, Revision> open = new HashMap<>();
        long newest = Long.MIN_VALUE;
        for (Reading r : input) {
            // Before r is processed, the watermark of the readings before it has passed.
            long watermark = newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - 1;
            for (Map.Entry<String, Long> e : last.entrySet()) {
                long due = e.getValue() + SILENCE;
                if (!open.containsKey(e.getKey()) && watermark >= due) {
                    Revision raised = raised(e.getKey(), due);
                    open.put(e.getKey(), raised);
                    out.add(raised);
                }
            }
            Long previous = last.get(r.sensorId());
            if (previous == null || r.timestampMillis() > previous) {
                Revision raised = open.remove(r.sensorId());
                if (raised != null) {
                    double minutes = (r.timestampMillis() - previous) / 60_000.0;
                    out.add(
                            new Revision(
                                    raised.id(),
                                    2,
                                    AlertStatus.CLEARED,
                                    Severity.MINOR,
                                    raised.openedAt(),
                                    r.timestampMillis(),
                                    r.timestampMillis(),
                                    minutes,
                                    minutes,
                                    10.0));
                }
                last.put(r.sensorId(), r.timestampMillis());
            }
            newest = Math.max(newest, r.timestampMillis());
        }
        long watermark = newest - 1;
        last.forEach(
                (sensor, t) -> {
                    if (!open.containsKey(sensor) && watermark >= t + SILENCE) {
                        out.add(raised(sensor, t + SILENCE));
                    }
                });
        return out;
    }

    private static Revision raised(String sensor, long openedAt) {
        return new Revision(
                "sensor-silent|sensor|" + sensor + "|" + openedAt,
                1,
                AlertStatus.ACTIVE,
                Severity.MINOR,
                openedAt,
                openedAt,
                null,
                10.0,
                10.0,
                10.0);
    }

    // ---------------------------------------------------------------- helpers

    private static void assertOneEpisodePerId(List<Alert> alerts) {
        Map<String, List<Integer>> revisions =
                alerts.stream()
                        .collect(
                                Collectors.groupingBy(
                                        Alert::id,
                                        Collectors.mapping(Alert::revision, Collectors.toList())));
        revisions.forEach(
                (id, list) -> {
                    List<Integer> sorted = list.stream().sorted().toList();
                    // 1, 2, ... n: no revision twice, none missing, one RAISED (revision 1).
                    for (int i = 0; i < sorted.size(); i++) {
                        assertThat(sorted.get(i)).as(id).isEqualTo(i + 1);
                    }
                });
        // Per subject, episodes never overlap: each opens after the one before cleared.
        Map<String, List<Alert>> bySubject =
                alerts.stream().collect(Collectors.groupingBy(a -> a.rule() + "|" + a.subjectId()));
        bySubject.forEach(
                (subject, list) -> {
                    long active =
                            list.stream()
                                    .collect(Collectors.groupingBy(Alert::id))
                                    .values()
                                    .stream()
                                    .filter(revs -> revs.stream().noneMatch(Alert::isCleared))
                                    .count();
                    assertThat(active).as(subject).isLessThanOrEqualTo(1);
                });
    }

    private static List<Alert> collect(DataStream<Alert> alerts) throws Exception {
        List<Alert> out = new ArrayList<>();
        try (CloseableIterator<Alert> it = alerts.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static WatermarkStrategy<Reading> perReading() {
        return WatermarkStrategy.<Reading>forGenerator(
                        ctx ->
                                new WatermarkGenerator<>() {
                                    private long newest = Long.MIN_VALUE;

                                    @Override
                                    public void onEvent(
                                            Reading r, long ts, WatermarkOutput output) {
                                        newest = Math.max(newest, ts);
                                        output.emitWatermark(new Watermark(newest - 1));
                                    }

                                    @Override
                                    public void onPeriodicEmit(WatermarkOutput output) {}
                                })
                .withTimestampAssigner((r, ts) -> r.timestampMillis());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static ZoneAggregate agg(
            Metric metric, ZoneKind kind, String zone, long start, long length, double v) {
        return agg(metric, kind, zone, start, length, v, 1);
    }

    private static ZoneAggregate agg(
            Metric metric,
            ZoneKind kind,
            String zone,
            long start,
            long length,
            double v,
            int revision) {
        return new ZoneAggregate(
                metric, kind, zone, start, length, 12, 3, v, v, v, v * 12, v, v, revision, 0);
    }

    private static Reading reading(String sensor, long t, Random random) {
        return new Reading(
                sensor,
                Metric.PM25,
                "kunming",
                t,
                25.04,
                102.71,
                Math.round(random.nextDouble() * 800) / 10.0,
                null);
    }
}
