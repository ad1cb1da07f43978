package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Aggregation;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;

class ZoneStatsTest {

    @Test
    void mergingPartsEqualsAddingEveryValueToOne() {
        Random random = new Random(1);
        ZoneStats whole = new ZoneStats();
        ZoneStats[] parts = {new ZoneStats(), new ZoneStats(), new ZoneStats()};
        double[] values = new double[3_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = -20 + random.nextDouble() * 200;
            String sensor = "s" + random.nextInt(40);
            whole.add(sensor, values[i], false);
            parts[i % 3].add(sensor, values[i], false);
        }
        ZoneStats merged = new ZoneStats();
        for (ZoneStats part : parts) {
            merged.merge(part);
        }

        assertThat(merged.count()).isEqualTo(whole.count()).isEqualTo(3_000);
        assertThat(merged.sensors()).isEqualTo(whole.sensors());
        assertThat(merged.min()).isEqualTo(whole.min());
        assertThat(merged.max()).isEqualTo(whole.max());
        assertThat(merged.sum()).isCloseTo(whole.sum(), within(1e-6));
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double q : new double[] {0, 0.05, 0.5, 0.95, 1}) {
            double exact = ExpectedAggregates.lowerQuantile(sorted, q);
            assertThat(merged.quantile(q))
                    .as("q" + q)
                    .isCloseTo(exact, Percentage.withPercentage(1));
            assertThat(merged.quantile(q)).isEqualTo(whole.quantile(q));
        }
    }

    @Test
    void readingsOfOneWindowCoverItOnceHoweverTheyAreMerged() {
        ZoneStats a = new ZoneStats();
        ZoneStats b = new ZoneStats();
        assertThat(a.coverage()).isZero();
        a.add("s1", 1, false);
        a.add("s2", 2, false);
        b.add("s3", 3, false);

        a.merge(b);

        assertThat(a.coverage()).isOne();
        a.setCoverage(44);
        assertThat(a.copy().coverage()).isEqualTo(44);
        assertThat(
                        a.toAggregate(
                                        new ZoneKey(Metric.PM25, ZoneKind.CITY, "kunming"),
                                        0,
                                        3_600_000,
                                        1)
                                .coverage())
                .isEqualTo(44);
    }

    @Test
    void theNoiseMeanIsEnergetic() {
        ZoneStats stats = new ZoneStats();
        stats.add("a", 50, true);
        stats.add("b", 80, true);

        assertThat(stats.mean(Aggregation.ENERGETIC_MEAN))
                .isCloseTo(10 * Math.log10((1e5 + 1e8) / 2), within(1e-9))
                .isCloseTo(76.99, within(0.01));
        assertThat(stats.mean(Aggregation.MEAN)).isEqualTo(65);
    }

    @Test
    void aCopyIsIndependent() {
        ZoneStats stats = new ZoneStats();
        stats.add("a", 1, false);
        ZoneStats copy = stats.copy();
        copy.add("b", 100, false);

        assertThat(stats.count()).isEqualTo(1);
        assertThat(stats.sensors()).containsExactly(SensorIds.hash("a"));
        assertThat(stats.quantile(1)).isCloseTo(1, Percentage.withPercentage(1));
        assertThat(copy.count()).isEqualTo(2);
    }

    @Test
    void becomesAnAggregateWithTheMetricsHeadlineMean() {
        ZoneStats stats = new ZoneStats();
        stats.add("a", 3, false);
        stats.add("a", 5, false);

        ZoneAggregate a =
                stats.toAggregate(
                        new ZoneKey(Metric.TRAFFIC, ZoneKind.H3, "88283082a3fffff"),
                        60_000,
                        60_000,
                        2);

        assertThat(a.featureId()).isEqualTo("traffic|h3|88283082a3fffff|60000|1m");
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.distinctSensors()).isEqualTo(1);
        assertThat(a.sum()).isEqualTo(8);
        assertThat(a.mean()).isEqualTo(4);
        assertThat(a.min()).isEqualTo(3);
        assertThat(a.max()).isEqualTo(5);
        assertThat(a.p50()).isCloseTo(3, Percentage.withPercentage(1));
        assertThat(a.p95()).isCloseTo(3, Percentage.withPercentage(1));
        assertThat(a.revision()).isEqualTo(2);
    }
}
