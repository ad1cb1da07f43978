package org.smartcity.simulator;

import static java.util.stream.Collectors.counting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartcity.simulator.TestRuns.CLOCK;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.Zoning;

/** The scripted scenarios: what they do to readings, and when. */
class ScenarioTest {
    private static final long S = 1_796_342_400_000L; // the simulator's start
    private static final long MINUTE = 60_000L;

    @Test
    void aFloodRisesFiveCentimetresAMinuteForHalfAnHourThenFalls() {
        Scenario f = Scenario.FLOOD;
        assertThat(f.apply(Metric.WATER_LEVEL, S, S + MINUTE, 1.523)).isEqualTo(1.523);
        assertThat(f.apply(Metric.WATER_LEVEL, S, S + 11 * MINUTE, 1.523)).isEqualTo(2.023);
        assertThat(f.apply(Metric.WATER_LEVEL, S, S + 31 * MINUTE, 1.5)).isEqualTo(3.0);
        assertThat(f.apply(Metric.WATER_LEVEL, S, S + 46 * MINUTE, 1.5)).isEqualTo(2.25);
        assertThat(f.apply(Metric.WATER_LEVEL, S, S + 61 * MINUTE, 1.5)).isEqualTo(1.5);
        assertThat(f.apply(Metric.PM25, S, S + 31 * MINUTE, 30.0)).isEqualTo(30.0);
        // One reading a minute: 0.30 m within 15 minutes after 6 minutes, above it after 7.
        assertThat(Scenario.floodRise(7 * MINUTE) - Scenario.floodRise(0)).isGreaterThan(0.30);
        assertThat(Scenario.floodRise(6 * MINUTE))
                .isEqualTo(0.30, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aPollutionEpisodeQuadruplesParticlesAndNitrogenDioxideForAnHour() {
        Scenario p = Scenario.POLLUTION_EPISODE;
        assertThat(p.apply(Metric.PM25, S, S + MINUTE - 1, 30.0)).isEqualTo(30.0);
        assertThat(p.apply(Metric.PM25, S, S + MINUTE, 30.0)).isEqualTo(120.0);
        assertThat(p.apply(Metric.PM10, S, S + 30 * MINUTE, 52.5)).isEqualTo(210.0);
        assertThat(p.apply(Metric.NO2, S, S + 60 * MINUTE, 20.1)).isEqualTo(80.4);
        assertThat(p.apply(Metric.PM25, S, S + 61 * MINUTE, 30.0)).isEqualTo(30.0);
        assertThat(p.apply(Metric.O3, S, S + 30 * MINUTE, 80.0)).isEqualTo(80.0);
    }

    @Test
    void theGeneratorReportsTheScenariosValues() {
        List<Reading> plain = readings("--scenario", "none");
        List<Reading> flood = readings("--scenario", "flood");
        assertThat(flood).hasSameSizeAs(plain);
        int waterLevels = 0;
        for (int i = 0; i < plain.size(); i++) {
            Reading a = plain.get(i);
            Reading b = flood.get(i);
            long start = CLOCK.millis();
            double expected =
                    a.metric() == Metric.WATER_LEVEL
                            ? ValueModel.round(
                                    Metric.WATER_LEVEL,
                                    a.value()
                                            + Scenario.floodRise(
                                                    a.timestampMillis() - start - MINUTE))
                            : a.value();
            assertThat(b.value()).as("%s", b).isEqualTo(expected);
            if (a.metric() == Metric.WATER_LEVEL && a.timestampMillis() - start > 2 * MINUTE) {
                waterLevels++;
            }
        }
        assertThat(waterLevels).isPositive();
    }

    @Test
    void anOutageSilencesOneDistrictForThirtyMinutesThenEverySensorForThirty() {
        Scenario o = Scenario.OUTAGE;
        // The district: minutes 1 to 31 (end excluded); everyone: minutes 41 to 71.
        assertThat(o.silences(true, S, S + MINUTE - 1)).isFalse();
        assertThat(o.silences(true, S, S + MINUTE)).isTrue();
        assertThat(o.silences(false, S, S + MINUTE)).isFalse();
        assertThat(o.silences(true, S, S + 31 * MINUTE - 1)).isTrue();
        assertThat(o.silences(true, S, S + 31 * MINUTE)).isFalse();
        assertThat(o.silences(true, S, S + 41 * MINUTE - 1)).isFalse();
        assertThat(o.silences(false, S, S + 41 * MINUTE)).isTrue();
        assertThat(o.silences(true, S, S + 41 * MINUTE)).isTrue();
        assertThat(o.silences(false, S, S + 71 * MINUTE - 1)).isTrue();
        assertThat(o.silences(false, S, S + 71 * MINUTE)).isFalse();
        assertThat(o.apply(Metric.PM25, S, S + 50 * MINUTE, 30.0)).isEqualTo(30.0);
        for (Scenario other : List.of(Scenario.NONE, Scenario.FLOOD, Scenario.POLLUTION_EPISODE)) {
            assertThat(other.silences(true, S, S + 50 * MINUTE)).isFalse();
        }
        // A script minute of 500 ms: 250 ms after the start is 30 s into the script.
        assertThat(Scenario.scriptTime(S, S + 250, 500)).isEqualTo(S + 30_000);
        assertThat(Scenario.scriptTime(S, S + 20_500, 500)).isEqualTo(S + 41 * MINUTE);
        assertThat(Scenario.scriptTime(S, S - 500, 500)).isEqualTo(S - MINUTE);
        assertThat(Scenario.scriptTime(S, S + 123_456, MINUTE)).isEqualTo(S + 123_456);
    }

    @Test
    void anOutageSendsTheSameReadingsExceptThoseDueInsideItsSteps() {
        // One script minute is one second: 30 sensors, each reading every second, for 80 s.
        String[] flags = {"--scenario-minute", "1s", "--duration", "80s", "--rate", "30"};
        MessageGenerator outage = generator("--scenario", "outage", flags);
        List<Reading> plain = readings(generator("--scenario", "none", flags));
        List<Reading> sent = readings(outage);

        // The district with the most sensors, counted here with the job's districts.
        Zoning zoning = Zoning.kunming();
        Map<String, Long> perDistrict =
                outage.sensors().stream()
                        .map(s -> zoning.district(s.lat(), s.lon()))
                        .flatMap(Optional::stream)
                        .collect(Collectors.groupingBy(Zone::id, TreeMap::new, counting()));
        long most = Collections.max(perDistrict.values());
        String district =
                perDistrict.entrySet().stream()
                        .filter(e -> e.getValue() == most)
                        .findFirst()
                        .orElseThrow()
                        .getKey();
        assertThat(outage.outageDistrict()).isEqualTo(district);
        Set<String> inDistrict =
                outage.sensors().stream()
                        .filter(
                                s ->
                                        zoning.district(s.lat(), s.lon())
                                                .map(d -> d.id().equals(district))
                                                .orElse(false))
                        .map(Sensor::id)
                        .collect(Collectors.toSet());
        assertThat(inDistrict).hasSizeGreaterThan(1);

        long start = CLOCK.millis();
        List<Reading> expected = new ArrayList<>();
        for (Reading r : plain) {
            long t = r.timestampMillis() - start;
            boolean cityOut = t >= 41_000 && t < 71_000;
            boolean districtOut = inDistrict.contains(r.sensorId()) && t >= 1_000 && t < 31_000;
            if (!cityOut && !districtOut) {
                expected.add(r);
            }
        }
        assertThat(sent).containsExactlyElementsOf(expected);
        assertThat(sent).hasSizeLessThan(plain.size());

        // Each district sensor's silence: from its last reading before second 1 to its first at
        // or after second 31, one sampling interval (1 s) at most beyond each step's edge.
        for (String sensor : inDistrict) {
            List<Long> times =
                    sent.stream()
                            .filter(r -> r.sensorId().equals(sensor))
                            .map(r -> r.timestampMillis() - start)
                            .toList();
            long before = times.stream().filter(t -> t < 1_000).max(Long::compare).orElseThrow();
            long after = times.stream().filter(t -> t >= 1_000).min(Long::compare).orElseThrow();
            assertThat(before).isBetween(0L, 999L);
            assertThat(after).isBetween(31_000L, 31_999L);
            assertThat(after - before).isGreaterThan(30_000L);
            assertThat(times).noneMatch(t -> t >= 41_000 && t < 71_000);
        }
    }

    @Test
    void anUnknownScenarioIsAConfigurationError() {
        assertThat(SimulatorConfig.parse().scenario()).isEqualTo(Scenario.NONE);
        assertThat(SimulatorConfig.parse("--scenario", "pollution-episode").scenario())
                .isEqualTo(Scenario.POLLUTION_EPISODE);
        assertThatThrownBy(() -> SimulatorConfig.parse("--scenario", "earthquake"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--scenario")
                .hasMessageContaining("none, pollution-episode, flood, outage");
        assertThat(SimulatorConfig.parse().scenarioMinute()).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> SimulatorConfig.parse("--scenario-minute", "2m"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--scenario-minute");
    }

    /** Five minutes of a small city's accepted readings, faults off. */
    private static List<Reading> readings(String... scenario) {
        return readings(generator(scenario[0], scenario[1]));
    }

    /** A generator of 30 sensors (60 unless flags say otherwise), 1 reading/s, for 5 minutes. */
    private static MessageGenerator generator(String flag, String value, String... more) {
        List<String> flags =
                new ArrayList<>(
                        List.of("--sensors", "60", "--rate", "1", "--duration", "5m", flag, value));
        if (more.length > 0) {
            flags.set(1, "30");
        }
        flags.addAll(List.of(more));
        return new MessageGenerator(SimulatorConfig.parse(flags.toArray(String[]::new)), CLOCK);
    }

    /** The readings the bridge accepts, in publishing order. */
    private static List<Reading> readings(MessageGenerator g) {
        List<Reading> out = new ArrayList<>();
        while (g.hasNext()) {
            for (PlannedReading p : g.next().readings()) {
                if (p.forwarded() != null) {
                    out.add(p.forwarded());
                }
            }
        }
        return out;
    }
}
