package org.smartcity.jobs.bench;

import java.util.SplittableRandom;
import org.smartcity.core.CityArea;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.bench.BenchValues;

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
public final class BenchSensors {
    /** Vehicles a traffic counter reports per reading off peak (one reading every 10 s). */
    static final double VEHICLES_OFF_PEAK = 4;

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

    public BenchSensors(int count, long seed) {
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
                    lat = CENTRE_LAT + BenchValues.gauss(random) * URBAN_SIGMA;
                    lon = CENTRE_LON + BenchValues.gauss(random) * URBAN_SIGMA;
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

    public int count() {
        return ids.length;
    }

    /** The next reading of sensor {@code i} at {@code timestampMillis}. */
    Reading reading(int i, long timestampMillis, SplittableRandom noise) {
        Metric m = metrics[i];
        double value = BenchValues.value(m, levels[i], timestampMillis, VEHICLES_OFF_PEAK, noise);
        return new Reading(ids[i], m, CITY, timestampMillis, lats[i], lons[i], value, ++seqs[i]);
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
