package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.assertj.core.data.Percentage;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.Zone;

/**
 * The aggregates the job should emit, computed the plain way: every reading put into every zone and
 * window it belongs to, then the statistics of each group from its list of values. Shares no code
 * with the job's aggregation.
 *
 * <p>The exact quantile is the lower one that DDSketch approximates: the value at index
 * floor(q·(n−1)) of the n values sorted ascending.
 */
final class ExpectedAggregates {

    /** What one window of one zone should report. */
    record Expected(
            String featureId,
            long count,
            long distinctSensors,
            double mean,
            double min,
            double max,
            double sum,
            double p50,
            double p95) {}

    private ExpectedAggregates() {}

    /** Feature id to expected statistics, for every zone and window the readings touch. */
    static Map<String, Expected> of(
            List<Reading> readings, ZoneAssigner zones, List<Duration> lengths) {
        Map<String, List<Reading>> groups = new TreeMap<>();
        for (Reading r : readings) {
            for (Zone zone : zones.zonesOf(r)) {
                for (Duration length : lengths) {
                    long len = length.toMillis();
                    long start = Math.floorDiv(r.timestampMillis(), len) * len;
                    String featureId =
                            r.metric().id()
                                    + '|'
                                    + zone.kind().id()
                                    + '|'
                                    + zone.id()
                                    + '|'
                                    + start
                                    + '|'
                                    + ZoneAggregate.windowLabel(len);
                    groups.computeIfAbsent(featureId, k -> new ArrayList<>()).add(r);
                }
            }
        }
        Map<String, Expected> expected = new TreeMap<>();
        groups.forEach((id, group) -> expected.put(id, statistics(id, group)));
        return expected;
    }

    private static Expected statistics(String featureId, List<Reading> group) {
        int n = group.size();
        double[] values = new double[n];
        Set<String> sensors = new HashSet<>();
        double sum = 0;
        double energy = 0;
        for (int i = 0; i < n; i++) {
            values[i] = group.get(i).value();
            sensors.add(group.get(i).sensorId());
            sum += values[i];
            energy += Math.pow(10, values[i] / 10);
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        boolean noise = group.get(0).metric() == Metric.NOISE;
        return new Expected(
                featureId,
                n,
                sensors.size(),
                noise ? 10 * Math.log10(energy / n) : sum / n,
                sorted[0],
                sorted[n - 1],
                sum,
                lowerQuantile(sorted, 0.50),
                lowerQuantile(sorted, 0.95));
    }

    static double lowerQuantile(double[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    /**
     * Asserts an emitted aggregate against the expectation: counts, min and max exactly, mean and
     * sum up to floating-point summation order, p50 and p95 within the sketch's 1%.
     */
    static void assertMatches(ZoneAggregate actual, Expected e) {
        String what = actual.featureId() + " r" + actual.revision();
        assertThat(actual.count()).as(what + " count").isEqualTo(e.count());
        assertThat(actual.distinctSensors()).as(what + " sensors").isEqualTo(e.distinctSensors());
        assertThat(actual.min()).as(what + " min").isEqualTo(e.min());
        assertThat(actual.max()).as(what + " max").isEqualTo(e.max());
        assertThat(actual.mean())
                .as(what + " mean")
                .isCloseTo(e.mean(), within(tolerance(e.mean())));
        assertThat(actual.sum()).as(what + " sum").isCloseTo(e.sum(), within(tolerance(e.sum())));
        assertThat(actual.p50()).as(what + " p50").isCloseTo(e.p50(), Percentage.withPercentage(1));
        assertThat(actual.p95()).as(what + " p95").isCloseTo(e.p95(), Percentage.withPercentage(1));
    }

    private static double tolerance(double expected) {
        return 1e-9 * Math.max(1, Math.abs(expected));
    }
}
