package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartcity.simulator.TestRuns.CLOCK;
import static org.smartcity.simulator.TestRuns.TUESDAY_1PM;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.config.ConfigException;

/** {@code --backfill}: the history published before the live part. */
class BackfillTest {

    @Test
    void everyPmSensorReadsOncePerMinuteOfTheHistoryInEventTimeOrderThenTheLivePartStarts() {
        SimulatorConfig config =
                SimulatorConfig.parse("--sensors", "36", "--backfill", "2h", "--total", "100");
        MessageGenerator generator = new MessageGenerator(config, CLOCK);
        List<SimulatedMessage> backfill = new ArrayList<>();
        List<SimulatedMessage> live = new ArrayList<>();
        generator.forEachRemaining(m -> (generator.isBackfill(m) ? backfill : live).add(m));

        // 36 sensors: 6 of PM2.5 and 4 of PM10 (weights 3 and 2 of 18).
        int pmSensors = 10;
        assertThat(backfill).hasSize(pmSensors * 120);
        assertThat(generator.backfillReadings()).isEqualTo(pmSensors * 120);
        assertThat(backfill)
                .allSatisfy(m -> assertThat(m.metric()).isIn(Metric.PM25, Metric.PM10))
                .allSatisfy(m -> assertThat(m.readings()).hasSize(1))
                .allSatisfy(
                        m ->
                                assertThat(m.readings().get(0).forwarded())
                                        .as("no fault")
                                        .isNotNull());
        List<Instant> times = backfill.stream().map(SimulatedMessage::sendTime).toList();
        assertThat(times).isSorted();
        assertThat(times.get(0)).isEqualTo(TUESDAY_1PM.minus(Duration.ofHours(2)));
        assertThat(times.get(times.size() - 1)).isBefore(TUESDAY_1PM);
        for (SimulatedMessage m : backfill) {
            assertThat(m.readings().get(0).timestamp()).isEqualTo(m.sendTime());
        }

        // Each sensor: one reading in each of the 120 minutes, its seq counting up into live.
        Map<String, Set<Long>> minutes = new HashMap<>();
        for (SimulatedMessage m : backfill) {
            minutes.computeIfAbsent(m.sensorId(), k -> new TreeSet<>())
                    .add(m.sendTime().toEpochMilli() / 60_000);
        }
        assertThat(minutes).hasSize(pmSensors);
        assertThat(minutes.values()).allSatisfy(s -> assertThat(s).hasSize(120));

        assertThat(generator.start()).isEqualTo(TUESDAY_1PM);
        assertThat(live).isNotEmpty();
        assertThat(live).allSatisfy(m -> assertThat(m.sendTime()).isAfterOrEqualTo(TUESDAY_1PM));
        SimulatedMessage firstLivePm =
                live.stream().filter(m -> m.metric() == Metric.PM25).findFirst().orElseThrow();
        long lastBackfillSeq =
                backfill.stream()
                        .filter(m -> m.sensorId().equals(firstLivePm.sensorId()))
                        .mapToLong(m -> m.readings().get(0).seq())
                        .max()
                        .orElseThrow();
        assertThat(firstLivePm.readings().get(0).seq()).isEqualTo(lastBackfillSeq + 1);
    }

    @Test
    void theHistoryCatchesUpWithAClockThatMovesWhileItIsPublished() {
        TestRuns.MutableClock clock = new TestRuns.MutableClock(TUESDAY_1PM);
        MessageGenerator generator =
                new MessageGenerator(
                        SimulatorConfig.parse(
                                "--sensors", "18", "--backfill", "10m", "--total", "5"),
                        clock);
        List<SimulatedMessage> backfill = new ArrayList<>();
        while (generator.hasNext()) {
            SimulatedMessage m = generator.next();
            if (!generator.isBackfill(m)) {
                break;
            }
            backfill.add(m);
            // Publishing takes time: three minutes pass during the history.
            if (backfill.size() == 20) {
                clock.set(TUESDAY_1PM.plus(Duration.ofMinutes(3)).plusSeconds(20));
            }
        }
        // 18 sensors: 3 of PM2.5 and 2 of PM10; 13 whole minutes lie before the clock.
        assertThat(backfill).hasSize(5 * 13);
        assertThat(backfill.get(backfill.size() - 1).sendTime())
                .isBefore(TUESDAY_1PM.plus(Duration.ofMinutes(3)));
        assertThat(generator.start()).isEqualTo(TUESDAY_1PM.plus(Duration.ofSeconds(200)));
    }

    @Test
    void withoutABackfillNothingChanges() {
        assertThat(TestRuns.generate("--total", "50"))
                .isEqualTo(
                        TestRuns.generate(
                                SimulatorConfig.parse("--total", "50", "--backfill-interval", "5m"),
                                CLOCK));
    }

    @Test
    void aBackfillIntervalOutsideOneSecondToOneHourIsRefusedNamingTheFlag() {
        assertThatThrownBy(
                        () ->
                                SimulatorConfig.parse(
                                        "--backfill", "1d", "--backfill-interval", "2h"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--backfill-interval");
    }

    @Test
    void theBackfillGoesOverOneConnectionSoTheBrokerKeepsItsOrder() {
        assertThat(SimulatorConfig.parse("--mqtt-connections", "4").connections()).isEqualTo(4);
        assertThat(
                        SimulatorConfig.parse("--backfill", "1d", "--mqtt-connections", "4")
                                .connections())
                .isOne();
    }
}
