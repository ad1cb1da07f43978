package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.validation.Verdict;

/** Readings without a fault must pass the bridge's validation, in every season and hour. */
class GeneratedReadingsValidationTest {

    static Stream<Arguments> runs() {
        // 500 sensors at 1 reading/s read every 500 s: 20,000 readings span 5.5 hours.
        return Stream.of(
                Arguments.of("2026-01-15T00:00", "1"),
                Arguments.of("2026-04-20T06:00", "1"),
                Arguments.of("2026-07-25T12:00", "10"),
                Arguments.of("2026-11-24T18:00", "1"));
    }

    @ParameterizedTest(name = "from {0} local time, batch size {1}")
    @MethodSource("runs")
    void everyReadingWithoutAFaultIsAccepted(String localStart, String batchSize) {
        SimulatorConfig config =
                SimulatorConfig.parse("--total", "20000", "--rate", "1", "--batch-size", batchSize);
        Clock clock = TestRuns.kunmingClock(localStart);
        TestRuns.Bridge bridge = new TestRuns.Bridge(config);
        Map<Metric, Integer> accepted = new EnumMap<>(Metric.class);

        for (SimulatedMessage m : TestRuns.generate(config, clock)) {
            List<Verdict> verdicts = bridge.receive(m);

            assertThat(verdicts).hasSameSizeAs(m.readings());
            for (int i = 0; i < verdicts.size(); i++) {
                assertThat(verdicts.get(i))
                        .as("%s element %d", m, i)
                        .isInstanceOf(Verdict.Accepted.class);
                Reading r = ((Verdict.Accepted) verdicts.get(i)).reading();
                PlannedReading planned = m.readings().get(i);
                assertThat(r.sensorId()).isEqualTo(m.sensorId());
                assertThat(r.metric()).isEqualTo(m.metric());
                assertThat(r.city()).isEqualTo("kunming");
                assertThat(r.seq()).isEqualTo(planned.seq());
                assertThat(r.timestampMillis()).isEqualTo(planned.timestamp().toEpochMilli());
                assertThat(r.value()).isBetween(r.metric().minValue(), r.metric().maxValue());
                accepted.merge(r.metric(), 1, Integer::sum);
            }
        }

        assertThat(accepted.keySet()).containsExactly(Metric.values());
        assertThat(accepted.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20000);
    }

    @Test
    void anotherCitysReadingsAreAcceptedByItsBridge() {
        SimulatorConfig config =
                SimulatorConfig.parse(
                        "--city-id", "lyon",
                        "--city-bbox", "45.55,4.65,45.95,5.15",
                        "--city-urban-bbox", "45.70,4.78,45.82,4.92",
                        "--city-timezone", "Europe/Paris",
                        "--total", "5000");
        TestRuns.Bridge bridge = new TestRuns.Bridge(config);

        for (SimulatedMessage m : TestRuns.generate(config, TestRuns.CLOCK)) {
            assertThat(m.topic()).startsWith("city/lyon/" + m.metric().id() + "/lyon-");
            assertThat(bridge.receive(m))
                    .allSatisfy(v -> assertThat(v).isInstanceOf(Verdict.Accepted.class));
        }
    }
}
