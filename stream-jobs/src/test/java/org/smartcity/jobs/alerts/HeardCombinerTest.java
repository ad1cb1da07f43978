package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;

/**
 * {@link HeardCombiner} in front of {@link SensorRulesFunction} gives exactly the alerts of {@link
 * SensorRulesFunction} alone: on seeded random streams with out-of-order readings, silences on
 * event time and on the TaskManager's clock alone, checkpoints and restarts (every alert, in each
 * sensor's order, compared whole), and on hand-made cases at the edges: the reading after a silence
 * clears with its own time even when older and newer readings come with it, a held reading goes on
 * before the watermark that would raise its sensor's alert, before a checkpoint barrier, within the
 * interval and before the subtask goes idle; after a restart only readings newer than anything sent
 * before are held.
 */
class HeardCombinerTest {
    private static final long LIMIT = 600_000L; // 10 min
    private static final long INTERVAL = 5_000L;
    private static final SilentSensorRule SILENT =
            new SilentSensorRule("sensor-silent", null, LIMIT, Severity.MINOR, "test");
    private static final SilentSensorRule NOISE_SILENT =
            new SilentSensorRule("noise-silent", Metric.NOISE, 3 * LIMIT, Severity.MINOR, "test");

    /** Water level at 3.0 (clear below 2.8), and a gauge of its own for w2: 5.0 (4.5). */
    static final SensorRule WATER =
            new SensorRule(
                    "water-level",
                    SensorRule.Mode.LEVEL,
                    "Water level",
                    Metric.WATER_LEVEL,
                    0,
                    1,
                    List.of(new ThresholdRule.Level(Severity.MINOR, 3.0)),
                    2.8,
                    Map.of(
                            "w2",
                            new SensorRule.Gauge(
                                    List.of(new ThresholdRule.Level(Severity.MINOR, 5.0)), 4.5)),
                    "",
                    "test");

    private static final SensorRule PM25_RISE =
            new SensorRule(
                    "pm25-rise",
                    SensorRule.Mode.RISE,
                    "PM2.5 rise",
                    Metric.PM25,
                    15 * 60_000L,
                    3,
                    List.of(new ThresholdRule.Level(Severity.MODERATE, 20)),
                    5,
                    Map.of(),
                    "",
                    "test");

    private static final SensorRulesFunction RULES = newRules();

    /** 2026-11-24T05:00:00Z. */
    private static final long T0 = Instant.parse("2026-11-24T05:00:00Z").toEpochMilli();

    private static final long P0 = T0 + 2_000;

    private static SensorRulesFunction newRules() {
        return new SensorRulesFunction(List.of(SILENT, NOISE_SILENT), List.of(WATER, PM25_RISE));
    }

    @Test
    void metricsNoRateOfRiseRuleWatchesAreHeld() {
        assertThat(RULES.holdLimit(Metric.NOISE)).isEqualTo(LIMIT);
        assertThat(RULES.holdLimit(Metric.PM10)).isEqualTo(LIMIT);
        assertThat(RULES.holdLimit(Metric.WATER_LEVEL)).isEqualTo(LIMIT);
        assertThat(RULES.holdLimit(Metric.PM25)).isZero();
        var noSilent = new SensorRulesFunction(List.of(), List.of(WATER));
        assertThat(noSilent.holdLimit(Metric.NOISE)).isZero();
        assertThat(HeardCombiner.holdsAny(noSilent)).isFalse();
        var short1 =
                new SensorRulesFunction(
                        List.of(new SilentSensorRule("s", null, 59_999, Severity.MINOR, "t")),
                        List.of());
        assertThat(HeardCombiner.holdsAny(short1)).isFalse();
    }

    @Test
    void quietLevelsAreTheLowestLevelAndClearLevelOfTheSensorsGauge() {
        assertThat(RULES.quietLevels("w1", Metric.WATER_LEVEL))
                .isEqualTo(new SensorRulesFunction.QuietLevels(3.0, 2.8));
        assertThat(RULES.quietLevels("w2", Metric.WATER_LEVEL))
                .isEqualTo(new SensorRulesFunction.QuietLevels(5.0, 4.5));
        assertThat(RULES.quietLevels("n1", Metric.NOISE))
                .isEqualTo(
                        new SensorRulesFunction.QuietLevels(
                                Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
    }

    @Test
    void quietLevelReadingsAreHeldOnlyWhileNoLevelAlertCanBeOpen() throws Exception {
        try (var c = combiner(null, P0)) {
            c.processElement(sample("w1", Metric.WATER_LEVEL, T0, 2.0), T0);
            c.processElement(sample("w1", Metric.WATER_LEVEL, T0 + 10_000, 3.0), T0 + 10_000);
            assertThat(values(c)).containsExactly(sample("w1", Metric.WATER_LEVEL, T0, 2.0));
            // Above the level: the held one first, then this one (it raises downstream).
            c.processElement(sample("w1", Metric.WATER_LEVEL, T0 + 20_000, 3.1), T0 + 20_000);
            // Open: between the levels (hysteresis) and below the level, everything passes.
            c.processElement(sample("w1", Metric.WATER_LEVEL, T0 + 30_000, 2.9), T0 + 30_000);
            c.processElement(sample("w1", Metric.WATER_LEVEL, T0 + 40_000, 2.8), T0 + 40_000);
            // Below the clear level: cleared downstream; the next quiet one is held again.
            c.processElement(sample("w1", Metric.WATER_LEVEL, T0 + 50_000, 2.7), T0 + 50_000);
            c.processElement(sample("w1", Metric.WATER_LEVEL, T0 + 60_000, 2.95), T0 + 60_000);
            // w2's own gauge: 4.0 is quiet for it (level 5.0), though above the rule's 3.0.
            c.processElement(sample("w2", Metric.WATER_LEVEL, T0, 1.0), T0);
            c.processElement(sample("w2", Metric.WATER_LEVEL, T0 + 10_000, 4.0), T0 + 10_000);
            assertThat(values(c))
                    .containsExactly(
                            sample("w1", Metric.WATER_LEVEL, T0, 2.0),
                            sample("w1", Metric.WATER_LEVEL, T0 + 10_000, 3.0),
                            sample("w1", Metric.WATER_LEVEL, T0 + 20_000, 3.1),
                            sample("w1", Metric.WATER_LEVEL, T0 + 30_000, 2.9),
                            sample("w1", Metric.WATER_LEVEL, T0 + 40_000, 2.8),
                            sample("w1", Metric.WATER_LEVEL, T0 + 50_000, 2.7),
                            sample("w2", Metric.WATER_LEVEL, T0, 1.0));
            c.prepareSnapshotPreBarrier(1);
            assertThat(values(c))
                    .endsWith(
                            sample("w1", Metric.WATER_LEVEL, T0 + 60_000, 2.95),
                            sample("w2", Metric.WATER_LEVEL, T0 + 10_000, 4.0));
        }
    }

    @Test
    void randomStreamsGiveTheSameAlertsAsTheRulesAlone() throws Exception {
        long forwardedTotal = 0;
        long readTotal = 0;
        int alertsTotal = 0;
        Set<String> rulesSeen = new HashSet<>();
        for (int seed = 1; seed <= 30; seed++) {
            Script script = Script.random(new Random(seed));
            Outcome plain = script.plain();
            Outcome combined = script.combined(false);
            assertThat(combined.alerts).as("seed %d", seed).isEqualTo(plain.alerts);
            // Telling positions keeps an entry for every sensor seen, even one not tracked:
            // the same alerts, and the same samples cross.
            Outcome telling = script.combined(true);
            assertThat(telling.alerts)
                    .as("seed %d, telling positions", seed)
                    .isEqualTo(plain.alerts);
            assertThat(telling.forwarded).as("seed %d", seed).isEqualTo(combined.forwarded);
            forwardedTotal += combined.forwarded;
            readTotal += script.readings;
            alertsTotal += plain.alerts.values().stream().mapToInt(List::size).sum();
            plain.alerts.values().forEach(l -> l.forEach(a -> rulesSeen.add(a.rule())));
        }
        // Not vacuous: alerts of every kind came, and most readings stayed behind.
        assertThat(alertsTotal).isGreaterThan(200);
        assertThat(rulesSeen).contains("sensor-silent", "noise-silent", "water-level", "pm25-rise");
        assertThat(forwardedTotal).isLessThan(readTotal / 2);
    }

    @Test
    void theReadingAfterASilenceClearsWithItsOwnTimeAmongOlderAndNewerOnes() throws Exception {
        Script s = new Script();
        s.at(P0).read("n1", Metric.NOISE, T0).read("p1", Metric.PM10, T0);
        // p1 keeps event time moving; n1 is silent for 11 minutes: its alert opens on event time.
        for (int m = 1; m <= 11; m++) {
            s.at(P0 + m * 20_000L).read("p1", Metric.PM10, T0 + m * 60_000L);
            s.watermark(T0 + m * 60_000L - 5_000);
        }
        long back = T0 + 11 * 60_000L;
        // Within one interval: an old reading, the one that clears, newer ones, an older one.
        s.at(P0 + 221_000)
                .read("n1", Metric.NOISE, T0 - 1_000)
                .read("n1", Metric.NOISE, back)
                .read("n1", Metric.NOISE, back + 10_000)
                .read("n1", Metric.NOISE, back + 5_000)
                .read("n1", Metric.NOISE, back + 20_000);
        s.at(P0 + 300_000).checkpoint();
        Outcome plain = s.plain();
        assertThat(s.combined(false).alerts).isEqualTo(plain.alerts);
        assertThat(s.combined(true).alerts).isEqualTo(plain.alerts);
        List<Alert> n1 = plain.alerts.get("n1");
        assertThat(n1)
                .extracting(Alert::status)
                .containsExactly(AlertStatus.ACTIVE, AlertStatus.CLEARED);
        assertThat(n1.get(1).clearedAtMillis()).isEqualTo(back);
    }

    @Test
    void heldReadingsGoOnBeforeTheWatermarkThatWouldRaiseTheirAlert() throws Exception {
        try (var c = combiner(null, P0)) {
            c.processElement(sample("n1", Metric.NOISE, T0), T0);
            c.processElement(sample("n1", Metric.NOISE, T0 + 10_000), T0 + 10_000);
            c.processElement(sample("n1", Metric.NOISE, T0 + 20_000), T0 + 20_000);
            c.processWatermark(T0 + LIMIT - 1);
            // The first passes at once, the newest waits; the watermark is below T0 + limit.
            assertThat(values(c)).containsExactly(sample("n1", Metric.NOISE, T0));
            c.processWatermark(T0 + LIMIT);
            List<Object> out = new ArrayList<>(c.getOutput());
            assertThat(out)
                    .containsExactly(
                            new StreamRecord<>(sample("n1", Metric.NOISE, T0), T0),
                            new Watermark(T0 + LIMIT - 1),
                            new StreamRecord<>(
                                    sample("n1", Metric.NOISE, T0 + 20_000), T0 + 20_000),
                            new Watermark(T0 + LIMIT));
        }
    }

    @Test
    void heldReadingsGoOnBeforeABarrierWithinTheIntervalAndBeforeIdleness() throws Exception {
        try (var c = combiner(null, P0)) {
            c.processElement(sample("n1", Metric.NOISE, T0), T0);
            c.processElement(sample("n1", Metric.NOISE, T0 + 10_000), T0 + 10_000);
            c.prepareSnapshotPreBarrier(1);
            assertThat(values(c))
                    .containsExactly(
                            sample("n1", Metric.NOISE, T0),
                            sample("n1", Metric.NOISE, T0 + 10_000));

            c.processElement(sample("n1", Metric.NOISE, T0 + 20_000), T0 + 20_000);
            c.setProcessingTime(P0 + INTERVAL - 1);
            assertThat(values(c)).hasSize(2);
            c.setProcessingTime(P0 + INTERVAL);
            assertThat(values(c))
                    .hasSize(3)
                    .last()
                    .isEqualTo(sample("n1", Metric.NOISE, T0 + 20_000));

            c.processElement(sample("n1", Metric.NOISE, T0 + 30_000), T0 + 30_000);
            c.processWatermarkStatus(WatermarkStatus.IDLE);
            assertThat(values(c))
                    .hasSize(4)
                    .last()
                    .isEqualTo(sample("n1", Metric.NOISE, T0 + 30_000));
            // After an idle spell the subtask's watermark may lag: nothing is held any more.
            c.processWatermarkStatus(WatermarkStatus.ACTIVE);
            c.processElement(sample("n1", Metric.NOISE, T0 + 40_000), T0 + 40_000);
            assertThat(values(c)).hasSize(5);
        }
    }

    @Test
    void positionsAreToldWhenASensorIsFirstSeenAndWhenItHasMoved() throws Exception {
        try (var c = combiner(null, P0)) {
            c.processElement(placed("n1", Metric.NOISE, T0, 25.04, 102.71), T0);
            c.processElement(placed("n1", Metric.NOISE, T0 + 10_000, 25.04, 102.71), T0 + 10_000);
            // A rise-rule metric's sensor: never held, still told once.
            c.processElement(placed("r1", Metric.PM25, T0, 25.10, 102.80), T0);
            c.processElement(placed("r1", Metric.PM25, T0 + 10_000, 25.10, 102.80), T0 + 10_000);
            // Moved (the held sample does not stop it being told).
            c.processElement(placed("n1", Metric.NOISE, T0 + 20_000, 25.05, 102.71), T0 + 20_000);
            // No position in the sample: nothing to tell.
            c.processElement(sample("n2", Metric.NOISE, T0), T0);
            assertThat(positions(c))
                    .containsExactly(
                            new SensorPosition("n1", 25.04, 102.71),
                            new SensorPosition("r1", 25.10, 102.80),
                            new SensorPosition("n1", 25.05, 102.71));
            // The samples are the same as without positions: n1's newer ones are held.
            assertThat(values(c))
                    .containsExactly(
                            placed("n1", Metric.NOISE, T0, 25.04, 102.71),
                            placed("r1", Metric.PM25, T0, 25.10, 102.80),
                            placed("r1", Metric.PM25, T0 + 10_000, 25.10, 102.80),
                            sample("n2", Metric.NOISE, T0));
        }
        try (var c = combiner(null, P0, false)) {
            c.processElement(placed("n1", Metric.NOISE, T0, 25.04, 102.71), T0);
            assertThat(positions(c)).isEmpty();
        }
    }

    @Test
    void aSensorFirstSeenOnARiseMetricIsNeverHeldOnItsSecondMetric() throws Exception {
        try (var c = combiner(null, P0)) {
            c.processElement(sample("x", Metric.PM25, T0), T0);
            c.processElement(sample("x", Metric.NOISE, T0 + 10), T0 + 10);
            c.processElement(sample("x", Metric.NOISE, T0 + 20), T0 + 20);
            assertThat(values(c))
                    .containsExactly(
                            sample("x", Metric.PM25, T0),
                            sample("x", Metric.NOISE, T0 + 10),
                            sample("x", Metric.NOISE, T0 + 20));
        }
    }

    @Test
    void riseRuleMetricsAndSecondMetricsPassAtOnceInOrder() throws Exception {
        try (var c = combiner(null, P0)) {
            c.processElement(sample("r1", Metric.PM25, T0), T0);
            c.processElement(sample("r1", Metric.PM25, T0 + 1), T0 + 1);
            c.processElement(sample("x", Metric.NOISE, T0), T0);
            c.processElement(sample("x", Metric.NOISE, T0 + 10), T0 + 10);
            // x also sends PM2.5: its held noise reading goes first, then nothing waits.
            c.processElement(sample("x", Metric.PM25, T0 + 5), T0 + 5);
            c.processElement(sample("x", Metric.NOISE, T0 + 20), T0 + 20);
            assertThat(values(c))
                    .containsExactly(
                            sample("r1", Metric.PM25, T0),
                            sample("r1", Metric.PM25, T0 + 1),
                            sample("x", Metric.NOISE, T0),
                            sample("x", Metric.NOISE, T0 + 10),
                            sample("x", Metric.PM25, T0 + 5),
                            sample("x", Metric.NOISE, T0 + 20));
        }
    }

    @Test
    void afterARestartOnlyReadingsNewerThanAnythingSentBeforeAreHeld() throws Exception {
        OperatorSubtaskState snapshot;
        try (var c = combiner(null, P0)) {
            c.processElement(sample("n1", Metric.NOISE, T0 + 50_000), T0 + 50_000);
            c.processElement(sample("n2", Metric.NOISE, T0), T0);
            c.processElement(sample("n2", Metric.NOISE, T0 + 10_000), T0 + 10_000);
            c.prepareSnapshotPreBarrier(1);
            snapshot = c.snapshot(1, P0);
        }
        try (var c = combiner(snapshot, P0 + 60_000)) {
            // Not newer than T0 + 50 s (n1's, sent before): n2 may be newer downstream, with an
            // alert open; these pass.
            c.processElement(sample("n2", Metric.NOISE, T0 + 20_000), T0 + 20_000);
            c.processElement(sample("n2", Metric.NOISE, T0 + 30_000), T0 + 30_000);
            // Newer than anything sent: n2's last reading downstream now; the next is held.
            c.processElement(sample("n2", Metric.NOISE, T0 + 60_000), T0 + 60_000);
            c.processElement(sample("n2", Metric.NOISE, T0 + 70_000), T0 + 70_000);
            assertThat(values(c))
                    .containsExactly(
                            sample("n2", Metric.NOISE, T0 + 20_000),
                            sample("n2", Metric.NOISE, T0 + 30_000),
                            sample("n2", Metric.NOISE, T0 + 60_000));
        }
        // A savepoint from before this operator: the floor is unknown, nothing is held.
        try (var c = combiner(OperatorSubtaskState.builder().build(), P0 + 60_000)) {
            c.processElement(sample("n2", Metric.NOISE, T0 + 60_000), T0 + 60_000);
            c.processElement(sample("n2", Metric.NOISE, T0 + 70_000), T0 + 70_000);
            assertThat(values(c)).hasSize(2);
        }
    }

    // ---------------------------------------------------------------- the two pipelines

    /** Alerts per sensor in the order they came, and how many samples crossed. */
    record Outcome(Map<String, List<Alert>> alerts, long forwarded) {}

    /** Readings, watermarks, clock moves and checkpoints, as the source task would see them. */
    static final class Script {
        private sealed interface Step {}

        private record Read(SensorSample sample) implements Step {}

        private record Mark(long watermark) implements Step {}

        private record Clock(long now) implements Step {}

        private record Checkpoint() implements Step {}

        /** Both operators restart from the last checkpoint (the rules' state, the floor). */
        private record Restart() implements Step {}

        private final List<Step> steps = new ArrayList<>();
        int readings;

        Script at(long now) {
            steps.add(new Clock(now));
            return this;
        }

        Script read(String sensor, Metric metric, long t) {
            return read(sensor, metric, t, 1.0);
        }

        Script read(String sensor, Metric metric, long t, double value) {
            steps.add(new Read(new SensorSample(sensor, metric, t, value)));
            readings++;
            return this;
        }

        Script watermark(long w) {
            steps.add(new Mark(w));
            return this;
        }

        Script checkpoint() {
            steps.add(new Checkpoint());
            return this;
        }

        /**
         * Ten sensors (noise, PM10, two water gauges in calm and high spells around their levels,
         * PM2.5 wandering up and down for its rise rule) reporting every 10 s of event time with
         * jitter, readings out of order by up to a minute and repeated, sensors falling silent for
         * 5-40 min of event time, spells with event time stalled while the clock runs on (every
         * sensor silent: processing-time alerts), event time running 5-60x faster than the clock (a
         * backlog), checkpoints and restarts.
         */
        static Script random(Random rnd) {
            Script s = new Script();
            String[] ids = {"n1", "n2", "n3", "p1", "p2", "p3", "w1", "x1", "w2", "r1"};
            Metric[] metrics = {
                Metric.NOISE,
                Metric.NOISE,
                Metric.NOISE,
                Metric.PM10,
                Metric.PM10,
                Metric.PM10,
                Metric.WATER_LEVEL,
                Metric.NOISE,
                Metric.WATER_LEVEL,
                Metric.PM25
            };
            boolean[] high = new boolean[ids.length];
            double pm25 = 50;
            long[] silentUntil = new long[ids.length];
            long t = T0;
            long p = P0;
            long maxSeen = T0;
            double speed = 20;
            int rounds = 400 + rnd.nextInt(200);
            for (int round = 0; round < rounds; round++) {
                if (rnd.nextDouble() < 0.01) {
                    // Every sensor stops: event time stalls, the clock runs on. Not for about the
                    // limit: a held reading reaches the rules up to the interval later, so the
                    // processing-time limit may pass a moment later than without the combiner.
                    int minutes = 5 + rnd.nextInt(19);
                    p += (minutes >= 10 ? minutes + 1 : minutes) * 60_000L;
                    s.at(p);
                }
                if (rnd.nextDouble() < 0.05) {
                    speed = 1 + rnd.nextInt(60);
                }
                t += 10_000;
                for (int i = 0; i < ids.length; i++) {
                    if (t < silentUntil[i]) {
                        continue;
                    }
                    if (rnd.nextDouble() < 0.004) {
                        silentUntil[i] = t + (5 + rnd.nextInt(36)) * 60_000L;
                        continue;
                    }
                    long at = t - rnd.nextInt(3_000);
                    if (rnd.nextDouble() < 0.05) {
                        at = t - rnd.nextInt(60_000); // out of order
                    }
                    if (rnd.nextDouble() < 0.03) {
                        high[i] = !high[i];
                    }
                    double value =
                            switch (metrics[i]) {
                                // Around the gauge's level (3.0, w2's 5.0) in a high spell.
                                case WATER_LEVEL ->
                                        high[i]
                                                ? (ids[i].equals("w2") ? 4.4 : 2.4)
                                                        + 1.2 * rnd.nextDouble()
                                                : 1 + rnd.nextDouble();
                                case PM25 -> pm25 = Math.max(0, pm25 + 16 * rnd.nextDouble() - 8);
                                default -> 50;
                            };
                    s.read(ids[i], metrics[i], at, value);
                    if (rnd.nextDouble() < 0.02) {
                        s.read(ids[i], metrics[i], at, value); // the same reading again
                    }
                    if (rnd.nextDouble() < 0.01) {
                        s.read(ids[i], metrics[i], at - (1 + rnd.nextInt(20)) * 60_000L); // old
                    }
                    maxSeen = Math.max(maxSeen, at);
                    p += (long) (1 + rnd.nextInt(2_000) / speed);
                    s.at(p);
                }
                if (rnd.nextDouble() < 0.5) {
                    s.watermark(maxSeen - 5_000);
                }
                if (rnd.nextDouble() < 0.02) {
                    s.checkpoint();
                }
                if (rnd.nextDouble() < 0.004) {
                    s.steps.add(new Restart());
                }
            }
            s.checkpoint();
            return s;
        }

        /** The rules alone, as before the combiner. */
        Outcome plain() throws Exception {
            return run(false, false);
        }

        /** The combiner in front of the rules, telling the sensors' positions or not. */
        Outcome combined(boolean tellPositions) throws Exception {
            return run(true, tellPositions);
        }

        private Outcome run(boolean combine, boolean tellPositions) throws Exception {
            Map<String, List<Alert>> alerts = new LinkedHashMap<>();
            long forwarded = 0;
            long now = P0;
            long watermark = Long.MIN_VALUE;
            OperatorSubtaskState rulesState = null;
            OperatorSubtaskState combinerState = null;
            long checkpoint = 0;
            var rules = rules(null, now);
            var combiner = combine ? combiner(null, now, tellPositions) : null;
            for (Step step : steps) {
                if (step instanceof Read r) {
                    if (combiner != null) {
                        combiner.processElement(r.sample(), r.sample().timestampMillis());
                    } else {
                        rules.processElement(r.sample(), r.sample().timestampMillis());
                    }
                } else if (step instanceof Mark m) {
                    if (m.watermark() > watermark) {
                        watermark = m.watermark();
                        if (combiner != null) {
                            combiner.processWatermark(watermark);
                        } else {
                            rules.processWatermark(watermark);
                        }
                    }
                } else if (step instanceof Clock c) {
                    // The clock runs on in small steps, so that each timer fires when due.
                    while (now < c.now()) {
                        now = Math.min(c.now(), now + INTERVAL / 2);
                        if (combiner != null) {
                            combiner.setProcessingTime(now);
                        }
                        forwarded += pass(combiner, rules);
                        rules.setProcessingTime(now);
                    }
                } else if (step instanceof Checkpoint) {
                    checkpoint++;
                    if (combiner != null) {
                        combiner.prepareSnapshotPreBarrier(checkpoint);
                        forwarded += pass(combiner, rules);
                        combinerState = combiner.snapshot(checkpoint, now);
                    }
                    rulesState = rules.snapshot(checkpoint, now);
                } else if (step instanceof Restart && rulesState != null) {
                    collect(rules, alerts);
                    rules.close();
                    rules = rules(rulesState, now);
                    if (combiner != null) {
                        combiner.close();
                        combiner = combiner(combinerState, now, tellPositions);
                    }
                    watermark = Long.MIN_VALUE;
                }
                forwarded += pass(combiner, rules);
            }
            collect(rules, alerts);
            rules.close();
            if (combiner != null) {
                combiner.close();
            }
            return new Outcome(alerts, forwarded);
        }

        /** Moves what the combiner sent, records and watermarks in order, into the rules. */
        private static long pass(
                OneInputStreamOperatorTestHarness<SensorSample, SensorSample> combiner,
                KeyedOneInputStreamOperatorTestHarness<String, SensorSample, Alert> rules)
                throws Exception {
            if (combiner == null) {
                return 0;
            }
            long n = 0;
            for (Object o : combiner.getOutput()) {
                if (o instanceof StreamRecord<?> r) {
                    rules.processElement(
                            new StreamRecord<>((SensorSample) r.getValue(), r.getTimestamp()));
                    n++;
                } else if (o instanceof Watermark w) {
                    rules.processWatermark(w);
                }
            }
            combiner.getOutput().clear();
            return n;
        }

        private static void collect(
                KeyedOneInputStreamOperatorTestHarness<String, SensorSample, Alert> rules,
                Map<String, List<Alert>> alerts) {
            for (Alert a : rules.extractOutputValues()) {
                alerts.computeIfAbsent(a.subjectId(), k -> new ArrayList<>()).add(a);
            }
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SensorSample, Alert> rules(
            OperatorSubtaskState restored, long now) throws Exception {
        return started(
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(newRules()),
                        SensorSample::sensorId,
                        Types.STRING),
                restored,
                now);
    }

    /** A combiner that tells positions, as the job's does when it has stores. */
    private static OneInputStreamOperatorTestHarness<SensorSample, SensorSample> combiner(
            OperatorSubtaskState restored, long now) throws Exception {
        return combiner(restored, now, true);
    }

    private static OneInputStreamOperatorTestHarness<SensorSample, SensorSample> combiner(
            OperatorSubtaskState restored, long now, boolean tellPositions) throws Exception {
        return started(
                new OneInputStreamOperatorTestHarness<>(
                        new HeardCombiner(
                                RULES, tellPositions, INTERVAL, HeardCombiner.DEFAULT_MAX_SENSORS)),
                restored,
                now);
    }

    private static List<SensorPosition> positions(
            OneInputStreamOperatorTestHarness<SensorSample, SensorSample> c) {
        var told = c.getSideOutput(HeardCombiner.POSITIONS);
        return told == null ? List.of() : told.stream().map(StreamRecord::getValue).toList();
    }

    /** {@code h} opened at {@code now}, from {@code restored} if not {@code null}. */
    private static <H extends AbstractStreamOperatorTestHarness<?>> H started(
            H h, OperatorSubtaskState restored, long now) throws Exception {
        h.setProcessingTime(now);
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
        return h;
    }

    private static List<SensorSample> values(
            OneInputStreamOperatorTestHarness<SensorSample, SensorSample> c) {
        return c.extractOutputValues();
    }

    private static SensorSample sample(String sensor, Metric metric, long t) {
        return sample(sensor, metric, t, 1.0);
    }

    private static SensorSample sample(String sensor, Metric metric, long t, double value) {
        return new SensorSample(sensor, metric, t, value);
    }

    private static SensorSample placed(
            String sensor, Metric metric, long t, double lat, double lon) {
        return new SensorSample(sensor, metric, t, 1.0, lat, lon);
    }
}
