package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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
import org.smartcity.core.zoning.Zoning;
import org.smartcity.sinks.AggregateSchema;

/**
 * The aggregates the pipeline should store, computed the plain way from the readings that went in:
 * each reading put into each of its zones and windows, then each group's statistics from its list
 * of values. Only the zone assignment is shared with the job ({@link Zoning}, tested on its own);
 * nothing of the job's aggregation is.
 *
 * <p>The exact quantile is the lower one the job's sketch approximates: the value at index
 * floor(q·(n−1)) of the n values sorted ascending.
 */
final class ExpectedAggregates {
    private ExpectedAggregates() {}

    /** History feature id to the expected aggregate (revision 1), for every zone and window. */
    static Map<String, ZoneAggregate> of(
            Collection<Reading> readings, Zoning zoning, List<Duration> lengths) {
        Map<String, List<Reading>> groups = new TreeMap<>();
        for (Reading r : readings) {
            for (Zone zone : zoning.zonesOf(r.lat(), r.lon())) {
                for (Duration length : lengths) {
                    long len = length.toMillis();
                    long start = Math.floorDiv(r.timestampMillis(), len) * len;
                    String id =
                            String.join(
                                    "|",
                                    r.metric().id(),
                                    zone.kind().id(),
                                    zone.id(),
                                    Long.toString(start),
                                    ZoneAggregate.windowLabel(len));
                    groups.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
                }
            }
        }
        Map<String, ZoneAggregate> expected = new TreeMap<>();
        groups.forEach((id, group) -> expected.put(id, statistics(id, group)));
        return expected;
    }

    /**
     * What the live layer should hold: per metric, zone and window length, the newest window; keyed
     * by the live feature id.
     */
    static Map<String, ZoneAggregate> newestWindows(Map<String, ZoneAggregate> expected) {
        Map<String, ZoneAggregate> newest = new TreeMap<>();
        for (ZoneAggregate a : expected.values()) {
            newest.merge(
                    AggregateSchema.liveId(a),
                    a,
                    (x, y) -> x.windowStartMillis() >= y.windowStartMillis() ? x : y);
        }
        return newest;
    }

    private static ZoneAggregate statistics(String featureId, List<Reading> group) {
        String[] id = featureId.split("\\|");
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
        Arrays.sort(sorted);
        Reading first = group.get(0);
        long start = Long.parseLong(id[3]);
        long length = parseLength(id[4]);
        return new ZoneAggregate(
                first.metric(),
                org.smartcity.core.zoning.ZoneKind.byId(id[1]).orElseThrow(),
                id[2],
                start,
                length,
                n,
                sensors.size(),
                first.metric() == Metric.NOISE ? 10 * Math.log10(energy / n) : sum / n,
                sorted[0],
                sorted[n - 1],
                sum,
                sorted[(int) Math.floor(0.50 * (n - 1))],
                sorted[(int) Math.floor(0.95 * (n - 1))],
                1);
    }

    private static long parseLength(String label) {
        long amount = Long.parseLong(label.substring(0, label.length() - 1));
        return switch (label.charAt(label.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount).toMillis();
            case 'm' -> Duration.ofMinutes(amount).toMillis();
            case 'h' -> Duration.ofHours(amount).toMillis();
            case 'd' -> Duration.ofDays(amount).toMillis();
            default -> throw new IllegalArgumentException("window length " + label);
        };
    }

    /**
     * Asserts a stored aggregate against the expectation: identity, count, sensors, min, max and
     * revision exactly; mean and sum up to the order of floating-point additions (1e-9 relative);
     * p50 and p95 within the sketch's 1%.
     */
    static void assertMatches(String what, ZoneAggregate actual, ZoneAggregate e) {
        assertThat(actual.featureId()).as(what + " id").isEqualTo(e.featureId());
        assertThat(actual.windowLengthMillis())
                .as(what + " length")
                .isEqualTo(e.windowLengthMillis());
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
        assertThat(actual.revision()).as(what + " revision").isEqualTo(e.revision());
    }

    private static double tolerance(double expected) {
        return 1e-9 * Math.max(1, Math.abs(expected));
    }
}
