package org.smartcity.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.smartcity.core.CityArea;

/**
 * Where a city's sensors can plausibly stand: its urban centres, the towns of its outer districts,
 * lakes (no air sensor floats on one) and waterways (where water-level gauges are). Kunming has
 * these from public sources; any other city gets one centre in the middle of its urban area.
 *
 * <p>Positions are in degrees; {@link #xKm}/{@link #yKm} give local kilometres from the urban
 * centre, for the smooth spatial fields.
 *
 * @param idPrefix the start of every sensor id, e.g. {@code km} in {@code km-pm25-0042}
 * @param centres urban centres: sensors cluster around them and pollution peaks there
 * @param towns towns of the outer districts, where the outer share of the sensors stands
 * @param lakes areas where only water-level gauges may stand
 * @param waterways rivers and shores, as polylines, along which water-level gauges stand
 */
record CityLayout(
        CityArea area,
        CityArea urban,
        String idPrefix,
        List<Cluster> centres,
        List<Cluster> towns,
        List<Ellipse> lakes,
        List<List<Point>> waterways) {

    /** Kilometres per degree of latitude. */
    static final double KM_PER_DEG_LAT = 110.57;

    /** A WGS 84 position in degrees. */
    record Point(double lat, double lon) {}

    /**
     * A place sensors gather around.
     *
     * @param spreadKm standard deviation of the distance of its sensors from the centre
     * @param weight its share among the clusters of its kind
     * @param intensity how much urban activity (traffic, emissions, heat) peaks there, 0 to 1
     */
    record Cluster(Point centre, double spreadKm, double weight, double intensity) {}

    /** An axis-aligned ellipse, radii in degrees. */
    record Ellipse(Point centre, double latRadius, double lonRadius) {
        boolean contains(double lat, double lon) {
            double a = (lat - centre.lat) / latRadius;
            double b = (lon - centre.lon) / lonRadius;
            return a * a + b * b <= 1;
        }

        /** Points on the edge, every {@code 360 / n} degrees. */
        List<Point> outline(int n) {
            List<Point> points = new ArrayList<>(n + 1);
            for (int i = 0; i <= n; i++) {
                double angle = 2 * Math.PI * i / n;
                points.add(
                        new Point(
                                centre.lat + latRadius * StrictMath.sin(angle),
                                centre.lon + lonRadius * StrictMath.cos(angle)));
            }
            return points;
        }
    }

    /** The layout for a configuration: Kunming's when the city is {@code kunming}. */
    static CityLayout of(SimulatorConfig config) {
        return config.city().equals("kunming")
                ? kunming(config.area(), config.urbanArea())
                : generic(config.area(), config.urbanArea());
    }

    /**
     * Kunming. Centres: the old city around the provincial government (25.0464 N, 102.7094 E) and
     * Chenggong, the new municipal seat (24.886 N, 102.822 E). Towns: the seats of the outer
     * county-level units, weighted by their 2023 population (REFERENCE.md §4; seats marked there as
     * approximate are within about 0.05°). ⚠ Lake Dianchi as an ellipse and the course of the
     * Panlong River are rough estimates, good enough to keep air sensors off the water.
     */
    static CityLayout kunming(CityArea area, CityArea urban) {
        Ellipse dianchi = new Ellipse(new Point(24.84, 102.695), 0.18, 0.065);
        List<Point> panlong =
                List.of(
                        new Point(25.160, 102.745),
                        new Point(25.110, 102.735),
                        new Point(25.070, 102.722),
                        new Point(25.040, 102.717),
                        new Point(25.000, 102.708),
                        new Point(24.975, 102.700));
        List<Cluster> towns =
                List.of(
                        town(26.083, 103.188, 25.65), // Dongchuan
                        town(24.67, 102.60, 35.00), // Jinning (Kunyang)
                        town(25.22, 102.50, 15.26), // Fumin
                        town(24.92, 103.14, 38.12), // Yiliang
                        town(24.77, 103.29, 23.85), // Shilin
                        town(25.34, 103.04, 43.12), // Songming
                        town(25.55, 102.47, 37.43), // Luquan
                        town(25.56, 103.26, 46.36), // Xundian
                        town(24.92, 102.48, 50.73)); // Anning
        return new CityLayout(
                area,
                urban,
                "km",
                List.of(
                        new Cluster(new Point(25.040, 102.712), 5.0, 0.75, 1.0),
                        new Cluster(new Point(24.886, 102.822), 3.0, 0.25, 0.6)),
                towns.stream()
                        .filter(t -> area.contains(t.centre().lat(), t.centre().lon()))
                        .toList(),
                List.of(dianchi),
                List.of(panlong, dianchi.outline(36)));
    }

    /** Any other city: one centre in the middle of the urban area, no towns, lakes or rivers. */
    static CityLayout generic(CityArea area, CityArea urban) {
        double spreadKm = (urban.maxLat() - urban.minLat()) * KM_PER_DEG_LAT / 6;
        return new CityLayout(
                area,
                urban,
                idPrefix(area.city()),
                List.of(
                        new Cluster(
                                new Point(urban.centerLat(), urban.centerLon()),
                                spreadKm,
                                1.0,
                                1.0)),
                List.of(),
                List.of(),
                List.of());
    }

    private static Cluster town(double lat, double lon, double population) {
        return new Cluster(new Point(lat, lon), 2.0, population, 0.35);
    }

    /** A prefix usable in a sensor id: the city id reduced to {@code [a-z0-9]}, at most 16. */
    static String idPrefix(String city) {
        String p = city.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (p.isEmpty()) {
            return "s";
        }
        return p.length() > 16 ? p.substring(0, 16) : p;
    }

    /** The urban centre all local coordinates are relative to. */
    Point origin() {
        return centres.get(0).centre();
    }

    double kmPerDegLon() {
        return 111.32 * StrictMath.cos(Math.toRadians(origin().lat()));
    }

    double xKm(double lon) {
        return (lon - origin().lon()) * kmPerDegLon();
    }

    double yKm(double lat) {
        return (lat - origin().lat()) * KM_PER_DEG_LAT;
    }

    boolean onLake(double lat, double lon) {
        return lakes.stream().anyMatch(l -> l.contains(lat, lon));
    }

    /**
     * How central a position is, 0 to 1: the strongest pull of any centre or town, each fading with
     * distance over about one and a half times its spread.
     */
    double centrality(double lat, double lon) {
        double best = 0;
        for (List<Cluster> kind : List.of(centres, towns)) {
            for (Cluster c : kind) {
                double dx = (lon - c.centre().lon()) * kmPerDegLon();
                double dy = (lat - c.centre().lat()) * KM_PER_DEG_LAT;
                double reach = 1.6 * c.spreadKm();
                double pull =
                        c.intensity() * StrictMath.exp(-(dx * dx + dy * dy) / (2 * reach * reach));
                best = Math.max(best, pull);
            }
        }
        return best;
    }
}
