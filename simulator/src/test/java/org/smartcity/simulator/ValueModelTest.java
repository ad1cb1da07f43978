package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.validation.Verdict;

/** The daily and seasonal patterns, as mean values over all sensors of a metric. */
class ValueModelTest {

    /** Mean value per metric over 5,000 readings (100 s) from a local time in Kunming. */
    private static Map<Metric, Double> meansAt(String localDateTime) {
        SimulatorConfig config = SimulatorConfig.parse("--total", "5000", "--rate", "50");
        TestRuns.Bridge bridge = new TestRuns.Bridge(config);
        Map<Metric, double[]> sums = new EnumMap<>(Metric.class);
        for (SimulatedMessage m : TestRuns.generate(config, TestRuns.kunmingClock(localDateTime))) {
            for (Verdict v : bridge.receive(m)) {
                double value = ((Verdict.Accepted) v).reading().value();
                double[] sum = sums.computeIfAbsent(m.metric(), k -> new double[2]);
                sum[0] += value;
                sum[1]++;
            }
        }
        Map<Metric, Double> means = new EnumMap<>(Metric.class);
        sums.forEach((metric, sum) -> means.put(metric, sum[0] / sum[1]));
        return means;
    }

    @Test
    void trafficAndNoisePeakAtTheRushHours() {
        Map<Metric, Double> night = meansAt("2026-11-24T03:00");
        Map<Metric, Double> morningRush = meansAt("2026-11-24T08:00");
        Map<Metric, Double> afternoon = meansAt("2026-11-24T14:00");
        Map<Metric, Double> eveningRush = meansAt("2026-11-24T18:00");

        assertThat(morningRush.get(Metric.TRAFFIC)).isGreaterThan(5 * night.get(Metric.TRAFFIC));
        assertThat(eveningRush.get(Metric.TRAFFIC)).isGreaterThan(afternoon.get(Metric.TRAFFIC));
        assertThat(morningRush.get(Metric.NOISE)).isGreaterThan(night.get(Metric.NOISE) + 8);
        assertThat(eveningRush.get(Metric.NOISE)).isGreaterThan(afternoon.get(Metric.NOISE));
        assertThat(morningRush.get(Metric.NO2)).isGreaterThan(1.2 * afternoon.get(Metric.NO2));
    }

    @Test
    void temperaturePeaksMidAfternoonWhenHumidityIsLowest() {
        Map<Metric, Double> dawn = meansAt("2026-11-24T06:30");
        Map<Metric, Double> afternoon = meansAt("2026-11-24T15:00");

        assertThat(afternoon.get(Metric.TEMPERATURE))
                .isGreaterThan(dawn.get(Metric.TEMPERATURE) + 8);
        assertThat(afternoon.get(Metric.HUMIDITY)).isLessThan(dawn.get(Metric.HUMIDITY) - 15);
        // Kunming in November: around 5 °C at dawn, 19 °C in the afternoon.
        assertThat(dawn.get(Metric.TEMPERATURE)).isBetween(2.0, 11.0);
        assertThat(afternoon.get(Metric.TEMPERATURE)).isBetween(14.0, 24.0);
    }

    @Test
    void particulatesAreHigherAtNightAndInTheMorningOzoneAfterMidday() {
        Map<Metric, Double> night = meansAt("2026-11-24T02:00");
        Map<Metric, Double> morning = meansAt("2026-11-24T08:00");
        Map<Metric, Double> afternoon = meansAt("2026-11-24T15:00");

        assertThat(morning.get(Metric.PM25)).isGreaterThan(1.3 * afternoon.get(Metric.PM25));
        assertThat(night.get(Metric.PM25)).isGreaterThan(1.3 * afternoon.get(Metric.PM25));
        assertThat(morning.get(Metric.PM10)).isGreaterThan(1.5 * morning.get(Metric.PM25));
        assertThat(afternoon.get(Metric.O3)).isGreaterThan(2.5 * night.get(Metric.O3));
    }

    @Test
    void weekendsLoseTheMorningRushAndSeasonsFollowKunmingsClimate() {
        Map<Metric, Double> tuesday = meansAt("2026-11-24T08:00");
        Map<Metric, Double> saturday = meansAt("2026-11-28T08:00");
        Map<Metric, Double> january = meansAt("2026-01-15T13:00");
        Map<Metric, Double> july = meansAt("2026-07-15T13:00");

        assertThat(saturday.get(Metric.TRAFFIC)).isLessThan(0.8 * tuesday.get(Metric.TRAFFIC));
        assertThat(july.get(Metric.TEMPERATURE)).isGreaterThan(january.get(Metric.TEMPERATURE) + 7);
        assertThat(july.get(Metric.HUMIDITY)).isGreaterThan(january.get(Metric.HUMIDITY) + 15);
        assertThat(january.get(Metric.PM25)).isGreaterThan(1.5 * july.get(Metric.PM25));
        assertThat(july.get(Metric.WATER_LEVEL)).isGreaterThan(january.get(Metric.WATER_LEVEL));
    }

    @Test
    void valuesAreRoundedToTheDevicesResolution() {
        assertThat(ValueModel.round(Metric.PM25, 38.5499)).isEqualTo(38.5);
        assertThat(ValueModel.round(Metric.TEMPERATURE, 18.236)).isEqualTo(18.24);
        assertThat(ValueModel.round(Metric.TRAFFIC, 3.6)).isEqualTo(4);
        assertThat(ValueModel.round(Metric.WATER_LEVEL, 1.23456)).isEqualTo(1.235);
    }
}
