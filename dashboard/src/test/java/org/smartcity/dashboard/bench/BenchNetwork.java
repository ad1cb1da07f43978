package org.smartcity.dashboard.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.smartcity.core.Aggregation;
import org.smartcity.core.CityArea;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.bench.BenchValues;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.Zoning;

/**
 * A sensor network over Kunming and the aggregates the city aggregation job makes of it, a pure
 * function of the seed: sensors of the nine metrics in turn, three in four around the centre (about
 * 10 km spread) and the rest anywhere in the city's box, each reporting every 5 minutes at its own
 * offset. Each reading counts for its H3 cell, its district (if any) and the city ({@link
 * Zoning#zonesOf}), in tumbling windows of 1 minute, 15 minutes and 1 hour; a window of a zone
 * exists when a reading fell in it, as the job emits it. The statistics are computed from the
 * readings as the job does (count, distinct sensors, mean or energetic mean for noise, min, max,
 * sum, p50, p95 by nearest rank).
 */
final class BenchNetwork {
    /** Vehicles a traffic counter reports per reading off peak (one reading every 5 minutes). */
    static final double VEHICLES_OFF_PEAK = 20;

    static final long MINUTE = 60_000L;
    static final long REPORT_INTERVAL = 5 * MINUTE;
    static final long DAY = 24 * 60 * MINUTE;
    static final long[] WINDOW_LENGTHS = {MINUTE, 15 * MINUTE, 60 * MINUTE};

    private static final double CENTRE_LAT = 25.04;
    private static final double CENTRE_LON = 102.71;
    private static final double URBAN_SIGMA = 0.09;
    private static final double URBAN_SHARE = 0.75;

    /** One sensor: its metric, where it is (its zones) and when in each 5 minutes it reports. */
    record Sensor(String id, Metric metric, List<Zone> zones, double level, long offsetMillis) {}

    private final List<Sensor> sensors = new ArrayList<>();
    private final long seed;

    BenchNetwork(Zoning zoning, int count, long seed) {
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        CityArea box = CityArea.KUNMING;
        Metric[] metrics = Metric.values();
        for (int i = 0; i < count; i++) {
            Metric m = metrics[i % metrics.length];
            double lat;
            double lon;
            if (random.nextDouble() < URBAN_SHARE) {
                do {
                    lat = CENTRE_LAT + BenchValues.gauss(random) * URBAN_SIGMA;
                    lon = CENTRE_LON + BenchValues.gauss(random) * URBAN_SIGMA;
                } while (!box.contains(lat, lon));
            } else {
                lat = box.minLat() + random.nextDouble() * (box.maxLat() - box.minLat());
                lon = box.minLon() + random.nextDouble() * (box.maxLon() - box.minLon());
            }
            sensors.add(
                    new Sensor(
                            String.format("km-%s-%04d", m.id(), i / metrics.length),
                            m,
                            zoning.zonesOf(lat, lon),
                            0.75 + 0.5 * random.nextDouble(),
                            random.nextLong(REPORT_INTERVAL / 1000) * 1000));
        }
    }

    List<Sensor> sensors() {
        return sensors;
    }

    /** Every zone some sensor reports for, per metric. */
    Map<Metric, Set<Zone>> zonesByMetric() {
        Map<Metric, Set<Zone>> out = new HashMap<>();
        for (Sensor s : sensors) {
            out.computeIfAbsent(s.metric(), m -> new HashSet<>()).addAll(s.zones());
        }
        return out;
    }

    /**
     * The aggregates of the 24 hours from {@code dayStart}, at revision 1, in the order the job
     * emits them: by window end, then window length, then feature id.
     */
    List<ZoneAggregate> day(long dayStart) {
        return day(dayStart, false);
    }

    /**
     * The aggregates of the 24 hours from {@code dayStart}; with {@code localDay}, also the {@code
     * 1d} window of each zone starting at {@code dayStart} (the job's local days: {@code dayStart}
     * is a local midnight).
     */
    List<ZoneAggregate> day(long dayStart, boolean localDay) {
        Map<Key, Window> windows = new HashMap<>();
        SplittableRandom noise = new SplittableRandom(seed ^ dayStart);
        for (Sensor s : sensors) {
            for (long t = dayStart + s.offsetMillis(); t < dayStart + DAY; t += REPORT_INTERVAL) {
                double v = BenchValues.value(s.metric(), s.level(), t, VEHICLES_OFF_PEAK, noise);
                for (Zone z : s.zones()) {
                    for (long length : WINDOW_LENGTHS) {
                        long start = Math.floorDiv(t, length) * length;
                        windows.computeIfAbsent(
                                        new Key(s.metric(), z, start, length), k -> new Window())
                                .add(s.id(), v);
                    }
                    if (localDay) {
                        windows.computeIfAbsent(
                                        new Key(s.metric(), z, dayStart, DAY), k -> new Window())
                                .add(s.id(), v);
                    }
                }
            }
        }
        List<ZoneAggregate> out = new ArrayList<>(windows.size());
        windows.forEach((k, w) -> out.add(w.aggregate(k, 1)));
        out.sort(EMISSION_ORDER);
        return out;
    }

    /** A correction of {@code a} by one late reading of {@code value}: the next revision. */
    static ZoneAggregate corrected(ZoneAggregate a, double value) {
        double mean =
                a.metric().aggregation() == Aggregation.ENERGETIC_MEAN
                        ? 10
                                * Math.log10(
                                        (Math.pow(10, a.mean() / 10) * a.count()
                                                        + Math.pow(10, value / 10))
                                                / (a.count() + 1))
                        : (a.mean() * a.count() + value) / (a.count() + 1);
        return new ZoneAggregate(
                a.metric(),
                a.zoneKind(),
                a.zoneId(),
                a.windowStartMillis(),
                a.windowLengthMillis(),
                a.count() + 1,
                a.distinctSensors(),
                mean,
                Math.min(a.min(), value),
                Math.max(a.max(), value),
                a.sum() + value,
                a.p50(),
                Math.max(a.p95(), Math.min(value, a.max())),
                a.revision() + 1,
                0);
    }

    static final Comparator<ZoneAggregate> EMISSION_ORDER =
            Comparator.comparingLong(ZoneAggregate::windowEndMillis)
                    .thenComparingLong(ZoneAggregate::windowLengthMillis)
                    .thenComparing(ZoneAggregate::featureId);

    private record Key(Metric metric, Zone zone, long start, long length) {}

    /** The readings of one zone and window. */
    private static final class Window {
        private final Set<String> sensors = new HashSet<>(4);
        private double[] values = new double[4];
        private int n;

        void add(String sensor, double v) {
            sensors.add(sensor);
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }

        ZoneAggregate aggregate(Key k, int revision) {
            double[] sorted = Arrays.copyOf(values, n);
            Arrays.sort(sorted);
            double sum = 0;
            double energy = 0;
            for (double v : sorted) {
                sum += v;
                energy += Math.pow(10, v / 10);
            }
            double mean =
                    k.metric().aggregation() == Aggregation.ENERGETIC_MEAN
                            ? 10 * Math.log10(energy / n)
                            : sum / n;
            return new ZoneAggregate(
                    k.metric(),
                    k.zone().kind(),
                    k.zone().id(),
                    k.start(),
                    k.length(),
                    n,
                    sensors.size(),
                    mean,
                    sorted[0],
                    sorted[n - 1],
                    sum,
                    rank(sorted, 0.50),
                    rank(sorted, 0.95),
                    revision,
                    0);
        }

        private static double rank(double[] sorted, double q) {
            return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }
}
