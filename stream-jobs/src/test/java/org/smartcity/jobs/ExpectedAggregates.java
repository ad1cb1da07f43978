package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import org.smartcity.store.AggregateSchema;

/**
 * The test oracle for the aggregation: the aggregates the job (and the stores behind it) should
 * hold, computed the plain way from the readings that went in. Every reading is put into every zone
 * and window it belongs to, then each group's statistics come from its list of values. Only the
 * zone assignment may be shared with the job (core's {@link Zoning}, tested on its own, or a test's
 * hand-made zones); nothing of the job's aggregation is.
 *
 * <p>The exact quantile is the lower one the job's sketch approximates: the value at index
 * floor(q·(n−1)) of the n values sorted ascending.
 *
 * <p>Shared through the stream-jobs test jar: deploy/local's end-to-end tests use it too.
 */
public final class ExpectedAggregates {

    /** One group of the plain computation: a metric in a zone over one window. */
    private record Window(Metric metric, Zone zone, long start, long length) {}

    private ExpectedAggregates() {}

    /**
     * History feature id to the expected aggregate, for every zone and window the readings touch.
     * The revision is 1: whether a window was corrected later depends on when its readings arrived,
     * which only the caller knows.
     */
    public static Map<String, ZoneAggregate> of(
            Collection<Reading> readings, ZoneAssigner zones, List<Duration> lengths) {
        return of(readings, zones, lengths, AggregationSpec.DEFAULT_TIME_ZONE);
    }

    /**
     * {@link #of(Collection, ZoneAssigner, List)} with windows of whole days starting at local
     * midnight in {@code timeZone}.
     */
    public static Map<String, ZoneAggregate> of(
            Collection<Reading> readings,
            ZoneAssigner zones,
            List<Duration> lengths,
            ZoneId timeZone) {
        Map<Window, List<Reading>> groups = new LinkedHashMap<>();
        for (Reading r : readings) {
            for (Zone zone : zones.zonesOf(r)) {
                for (Duration length : lengths) {
                    long len = length.toMillis();
                    long start = windowStart(r.timestampMillis(), length, timeZone);
                    groups.computeIfAbsent(
                                    new Window(r.metric(), zone, start, len),
                                    k -> new ArrayList<>())
                            .add(r);
                }
            }
        }
        Map<String, ZoneAggregate> expected = new TreeMap<>();
        long shortest = lengths.stream().mapToLong(Duration::toMillis).min().orElseThrow();
        long hour = Duration.ofHours(1).toMillis();
        boolean hasHours = lengths.contains(Duration.ofHours(1));
        groups.forEach(
                (w, group) -> {
                    // Coverage: distinct windows of the unit holding a reading. The unit is the
                    // hour for whole days when hours are configured, else the shortest length.
                    long unit =
                            hasHours && w.length() % Duration.ofDays(1).toMillis() == 0
                                    ? hour
                                    : shortest;
                    long coverage =
                            group.stream()
                                    .map(r -> Math.floorDiv(r.timestampMillis(), unit))
                                    .distinct()
                                    .count();
                    expected.put(featureId(w), statistics(w, group, coverage));
                });
        return expected;
    }

    /**
     * The start of the window of {@code length} holding {@code millis}: epoch-aligned, or, for
     * whole days, the local midnight of the local date (days counted from 1970-01-01, in groups of
     * the length's days).
     */
    public static long windowStart(long millis, Duration length, ZoneId timeZone) {
        long len = length.toMillis();
        long day = Duration.ofDays(1).toMillis();
        if (len % day != 0) {
            return Math.floorDiv(millis, len) * len;
        }
        long days = len / day;
        long epochDay = Instant.ofEpochMilli(millis).atZone(timeZone).toLocalDate().toEpochDay();
        return LocalDate.ofEpochDay(epochDay - Math.floorMod(epochDay, days))
                .atStartOfDay(timeZone)
                .toInstant()
                .toEpochMilli();
    }

    /** {@link #of(Collection, ZoneAssigner, List)} with the zones of core's {@link Zoning}. */
    public static Map<String, ZoneAggregate> of(
            Collection<Reading> readings, Zoning zoning, List<Duration> lengths) {
        return of(readings, r -> zoning.zonesOf(r.lat(), r.lon()), lengths);
    }

    /**
     * What the live layer should hold: per metric, zone and window length, the newest window; keyed
     * by the live feature id.
     */
    public static Map<String, ZoneAggregate> newestWindows(Map<String, ZoneAggregate> expected) {
        Map<String, ZoneAggregate> newest = new TreeMap<>();
        for (ZoneAggregate a : expected.values()) {
            newest.merge(
                    AggregateSchema.liveId(a),
                    a,
                    (x, y) -> x.windowStartMillis() >= y.windowStartMillis() ? x : y);
        }
        return newest;
    }

    /** The exact lower q-quantile of values sorted ascending: index floor(q·(n−1)). */
    public static double lowerQuantile(double[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    /**
     * Spelled out here, not through {@link ZoneAggregate#featureId()}, so the format is checked.
     */
    private static String featureId(Window w) {
        return w.metric().id()
                + '|'
                + w.zone().kind().id()
                + '|'
                + w.zone().id()
                + '|'
                + w.start()
                + '|'
                + ZoneAggregate.windowLabel(w.length());
    }

    private static ZoneAggregate statistics(Window w, List<Reading> group, long coverage) {
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
        return new ZoneAggregate(
                w.metric(),
                w.zone().kind(),
                w.zone().id(),
                w.start(),
                w.length(),
                n,
                sensors.size(),
                w.metric() == Metric.NOISE ? 10 * Math.log10(energy / n) : sum / n,
                sorted[0],
                sorted[n - 1],
                sum,
                lowerQuantile(sorted, 0.50),
                lowerQuantile(sorted, 0.95),
                1,
                coverage);
    }

    /**
     * {@link #assertMatches(String, ZoneAggregate, ZoneAggregate)} described by id and revision.
     */
    public static void assertMatches(ZoneAggregate actual, ZoneAggregate expected) {
        assertMatches(actual.featureId() + " r" + actual.revision(), actual, expected);
    }

    /**
     * Asserts an emitted or stored aggregate against the expectation: identity, count, sensors,
     * coverage, min and max exactly; mean and sum up to the order of floating-point additions (1e-9
     * relative); p50 and p95 within the sketch's 1%. Not the revision: the caller knows which one
     * it expects.
     */
    public static void assertMatches(String what, ZoneAggregate actual, ZoneAggregate e) {
        assertThat(actual).as(what + " present").isNotNull();
        assertThat(actual.featureId()).as(what + " id").isEqualTo(e.featureId());
        assertThat(actual.windowLengthMillis())
                .as(what + " length")
                .isEqualTo(e.windowLengthMillis());
        assertThat(actual.count()).as(what + " count").isEqualTo(e.count());
        assertThat(actual.distinctSensors()).as(what + " sensors").isEqualTo(e.distinctSensors());
        assertThat(actual.coverage()).as(what + " coverage").isEqualTo(e.coverage());
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
