package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartcity.simulator.TestRuns.CLOCK;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.config.ConfigException;

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
    void anUnknownScenarioIsAConfigurationError() {
        assertThat(SimulatorConfig.parse().scenario()).isEqualTo(Scenario.NONE);
        assertThat(SimulatorConfig.parse("--scenario", "pollution-episode").scenario())
                .isEqualTo(Scenario.POLLUTION_EPISODE);
        assertThatThrownBy(() -> SimulatorConfig.parse("--scenario", "earthquake"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--scenario")
                .hasMessageContaining("none, pollution-episode, flood");
    }

    /** Five minutes of a small city's accepted readings, faults off. */
    private static List<Reading> readings(String... scenario) {
        List<String> flags =
                new ArrayList<>(List.of("--sensors", "60", "--rate", "1", "--duration", "5m"));
        flags.addAll(List.of(scenario));
        MessageGenerator g =
                new MessageGenerator(SimulatorConfig.parse(flags.toArray(String[]::new)), CLOCK);
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
