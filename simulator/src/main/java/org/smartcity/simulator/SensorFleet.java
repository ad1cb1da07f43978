package org.smartcity.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.smartcity.core.CityArea;
import org.smartcity.core.Metric;
import org.smartcity.core.SensorTopic;
import org.smartcity.simulator.CityLayout.Cluster;
import org.smartcity.simulator.CityLayout.Point;

/**
 * Places a city's sensors: how many of each metric, where each stands, and its traits. Everything
 * comes from one seeded {@link Random}, so the same seed places the same fleet.
 *
 * <p>Air, noise, weather and traffic sensors stand in the urban area, clustered around its centres
 * and never on a lake; a share stands around the towns of the outer districts. Water-level gauges
 * follow rivers and shores where the layout knows them.
 */
final class SensorFleet {
    /**
     * Relative number of sensors per metric: networks have more particulate and traffic sensors
     * than ozone monitors or river gauges.
     */
    private static final Map<Metric, Integer> WEIGHTS = weights();

    /** Share of urban sensors around a centre; the rest spread evenly over the urban area. */
    private static final double CLUSTERED = 0.6;

    private static final int MAX_ATTEMPTS = 1000;

    private SensorFleet() {}

    /** The fleet, ordered by metric then number ({@code km-pm25-0001}, {@code km-pm25-0002}...). */
    static List<Sensor> place(CityLayout layout, int count, double outerShare, Random random) {
        List<Sensor> sensors = new ArrayList<>(count);
        Map<Metric, Integer> perMetric = apportion(count);
        for (Metric metric : Metric.values()) {
            for (int n = 1; n <= perMetric.get(metric); n++) {
                String id =
                        String.format(Locale.ROOT, "%s-%s-%04d", layout.idPrefix(), metric.id(), n);
                sensors.add(sensor(layout, id, metric, outerShare, random));
            }
        }
        return Collections.unmodifiableList(sensors);
    }

    /** Splits {@code count} over the metrics by {@link #WEIGHTS}, largest remainder first. */
    static Map<Metric, Integer> apportion(int count) {
        int weightSum = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();
        Map<Metric, Integer> result = new EnumMap<>(Metric.class);
        List<Metric> byRemainder = new ArrayList<>(List.of(Metric.values()));
        int assigned = 0;
        for (Metric m : Metric.values()) {
            int share = (int) ((long) count * WEIGHTS.get(m) / weightSum);
            result.put(m, share);
            assigned += share;
        }
        // Stable sort: equal remainders keep catalogue order, so the split is reproducible.
        byRemainder.sort(
                (a, b) ->
                        Long.compare(
                                (long) count * WEIGHTS.get(b) % weightSum,
                                (long) count * WEIGHTS.get(a) % weightSum));
        for (int i = 0; assigned < count; i++, assigned++) {
            Metric m = byRemainder.get(i % byRemainder.size());
            result.put(m, result.get(m) + 1);
        }
        return result;
    }

    private static Sensor sensor(
            CityLayout layout, String id, Metric metric, double outerShare, Random random) {
        Point p;
        boolean outer = false;
        if (metric == Metric.WATER_LEVEL && !layout.waterways().isEmpty()) {
            p = alongWaterway(layout, random);
            outer = !layout.urban().contains(p.lat(), p.lon());
        } else if (random.nextDouble() < outerShare) {
            p = outer(layout, random);
            outer = true;
        } else {
            p = urban(layout, random);
        }
        double lat = round6(p.lat());
        double lon = round6(p.lon());
        double exposure =
                switch (metric) {
                    case TRAFFIC -> 0.5 + 0.5 * random.nextDouble();
                    case NOISE, NO2 -> 0.15 + 0.85 * random.nextDouble();
                    default -> random.nextDouble();
                };
        return new Sensor(
                id,
                metric,
                SensorTopic.of(layout.area().city(), metric, id),
                lat,
                lon,
                layout.xKm(lon),
                layout.yKm(lat),
                outer,
                layout.centrality(lat, lon),
                exposure,
                random.nextGaussian());
    }

    private static Point urban(CityLayout layout, Random random) {
        CityArea box = layout.urban();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Point p =
                    random.nextDouble() < CLUSTERED
                            ? around(pick(layout.centres(), random), layout, random)
                            : uniform(box, random);
            if (box.contains(p.lat(), p.lon()) && !layout.onLake(p.lat(), p.lon())) {
                return p;
            }
        }
        return new Point(layout.origin().lat(), layout.origin().lon());
    }

    private static Point outer(CityLayout layout, Random random) {
        CityArea area = layout.area();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Point p =
                    layout.towns().isEmpty()
                            ? uniform(area, random)
                            : around(pick(layout.towns(), random), layout, random);
            if (area.contains(p.lat(), p.lon())
                    && !layout.urban().contains(p.lat(), p.lon())
                    && !layout.onLake(p.lat(), p.lon())) {
                return p;
            }
        }
        // The urban area fills the whole city area: there are no outer districts.
        return urban(layout, random);
    }

    /** A point on a waterway, chosen evenly by length, a few hundred metres off its line. */
    private static Point alongWaterway(CityLayout layout, Random random) {
        CityArea area = layout.area();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<Point> line = layout.waterways().get(random.nextInt(layout.waterways().size()));
            int segment = random.nextInt(line.size() - 1);
            Point a = line.get(segment);
            Point b = line.get(segment + 1);
            double t = random.nextDouble();
            Point p =
                    new Point(
                            a.lat() + t * (b.lat() - a.lat()) + 0.002 * random.nextGaussian(),
                            a.lon() + t * (b.lon() - a.lon()) + 0.002 * random.nextGaussian());
            if (area.contains(p.lat(), p.lon())) {
                return p;
            }
        }
        return urban(layout, random);
    }

    private static Cluster pick(List<Cluster> clusters, Random random) {
        double total = clusters.stream().mapToDouble(Cluster::weight).sum();
        double u = random.nextDouble() * total;
        for (Cluster c : clusters) {
            u -= c.weight();
            if (u < 0) {
                return c;
            }
        }
        return clusters.get(clusters.size() - 1);
    }

    private static Point around(Cluster c, CityLayout layout, Random random) {
        return new Point(
                c.centre().lat() + random.nextGaussian() * c.spreadKm() / CityLayout.KM_PER_DEG_LAT,
                c.centre().lon() + random.nextGaussian() * c.spreadKm() / layout.kmPerDegLon());
    }

    private static Point uniform(CityArea box, Random random) {
        return new Point(
                box.minLat() + random.nextDouble() * (box.maxLat() - box.minLat()),
                box.minLon() + random.nextDouble() * (box.maxLon() - box.minLon()));
    }

    private static double round6(double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }

    private static Map<Metric, Integer> weights() {
        Map<Metric, Integer> w = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            w.put(
                    m,
                    switch (m) {
                        case PM25, TRAFFIC -> 3;
                        case PM10, NO2, NOISE, TEMPERATURE, HUMIDITY -> 2;
                        case O3, WATER_LEVEL -> 1;
                    });
        }
        return Collections.unmodifiableMap(w);
    }
}
