package org.smartcity.jobs.bench;

import java.util.SplittableRandom;
import org.smartcity.core.CityArea;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;

/**
 * The benchmark's sensors and their readings, a pure function of the seed: sensors of all nine
 * metrics in turn, three in four clustered around central Kunming and the rest anywhere in {@link
 * CityArea#KUNMING}'s box, each with its own level, reporting values of the metric's usual range
 * with a daily cycle.
 *
 * <p>Not the simulator's model ({@code simulator} module): that one produces MQTT payloads with
 * faults for the bridge, at a few thousand per second. The job consumes canonical readings, and the
 * benchmark needs millions of them in seconds, ordered by event time with a bounded disorder it
 * controls (so that no reading is late and every one must be counted).
 */
final class BenchSensors {
    static final String CITY = CityArea.KUNMING.city();

    /** The centre of Kunming's urban area, where most sensors are. */
    private static final double CENTRE_LAT = 25.04;

    private static final double CENTRE_LON = 102.71;

    /** Spread of the urban cluster in degrees: about 10 km. */
    private static final double URBAN_SIGMA = 0.09;

    private static final double URBAN_SHARE = 0.75;
    private static final Metric[] METRICS = Metric.values();

    private final String[] ids;
    private final Metric[] metrics;
    private final double[] lats;
    private final double[] lons;
    private final double[] levels;
    private final long[] seqs;

    BenchSensors(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CityArea box = CityArea.KUNMING;
        ids = new String[count];
        metrics = new Metric[count];
        lats = new double[count];
        lons = new double[count];
        levels = new double[count];
        seqs = new long[count];
        for (int i = 0; i < count; i++) {
            Metric m = METRICS[i % METRICS.length];
            metrics[i] = m;
            ids[i] = String.format("km-%s-%05d", m.id(), i / METRICS.length);
            double lat;
            double lon;
            if (random.nextDouble() < URBAN_SHARE) {
                do {
                    lat = CENTRE_LAT + gauss(random) * URBAN_SIGMA;
                    lon = CENTRE_LON + gauss(random) * URBAN_SIGMA;
                } while (!box.contains(lat, lon));
            } else {
                lat = box.minLat() + random.nextDouble() * (box.maxLat() - box.minLat());
                lon = box.minLon() + random.nextDouble() * (box.maxLon() - box.minLon());
            }
            lats[i] = round(lat, 6);
            lons[i] = round(lon, 6);
            // A sensor's own level: a busy crossroads is louder than a park.
            levels[i] = 0.75 + 0.5 * random.nextDouble();
        }
    }

    int count() {
        return ids.length;
    }

    /** The next reading of sensor {@code i} at {@code timestampMillis}. */
    Reading reading(int i, long timestampMillis, SplittableRandom noise) {
        Metric m = metrics[i];
        double value = value(m, levels[i], timestampMillis, noise);
        return new Reading(ids[i], m, CITY, timestampMillis, lats[i], lons[i], value, ++seqs[i]);
    }

    /** A plausible value of the metric, within the catalogue's range, rounded as devices do. */
    static double value(Metric m, double level, long timestampMillis, SplittableRandom noise) {
        // Local time in Kunming is UTC+8; the day peaks in the afternoon.
        double hour = ((timestampMillis / 3_600_000.0) + 8) % 24;
        double day = Math.sin((hour - 9) / 24 * 2 * Math.PI); // -1 at 3 h, +1 at 15 h
        double rush = Math.exp(-sq(hour - 8.5) / 2) + Math.exp(-sq(hour - 18) / 2);
        double v =
                switch (m) {
                    case PM25 -> level * 30 * (1 + 0.4 * rush) * Math.exp(0.3 * gauss(noise));
                    case PM10 -> level * 52 * (1 + 0.4 * rush) * Math.exp(0.3 * gauss(noise));
                    case NO2 -> level * 35 * (1 + 0.8 * rush) + 6 * gauss(noise);
                    case O3 -> level * (60 + 35 * day) + 8 * gauss(noise);
                    case NOISE -> 40 + 20 * level + 6 * rush + 4 * gauss(noise);
                    case TEMPERATURE -> 15 + 6 * day + 2 * (level - 1) + 0.5 * gauss(noise);
                    case HUMIDITY -> 70 - 18 * day + 10 * (level - 1) + 4 * gauss(noise);
                    case TRAFFIC -> Math.round(level * (4 + 30 * rush) + 3 * gauss(noise));
                    case WATER_LEVEL -> level * 1.6 + 0.05 * gauss(noise);
                };
        v = Math.max(m.minValue(), Math.min(m.maxValue(), v));
        return round(v, m == Metric.TRAFFIC ? 0 : m == Metric.WATER_LEVEL ? 3 : 1);
    }

    private static double gauss(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double sq(double x) {
        return x * x;
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
