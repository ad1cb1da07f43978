package org.smartcity.core.bench;

import java.util.SplittableRandom;
import org.smartcity.core.Metric;

/**
 * Plausible sensor values for the benchmarks' synthetic data: a daily cycle (Kunming time, UTC+8),
 * rush hours, a per-sensor level and noise, clamped to the catalogue's range and rounded as devices
 * report. Only the amount of work matters to a benchmark, but realistic values keep the sketches
 * and statistics as busy as real data would.
 */
public final class BenchValues {
    private BenchValues() {}

    /**
     * A value of {@code m} at {@code timestampMillis}.
     *
     * @param level the sensor's own level, around 1 (a busier or cleaner spot)
     * @param vehiclesOffPeak vehicles a traffic counter reports per reading off peak: it grows with
     *     the reading interval (4 for 10 s readings, 20 for 5 minutes in the benchmarks)
     */
    public static double value(
            Metric m,
            double level,
            long timestampMillis,
            double vehiclesOffPeak,
            SplittableRandom noise) {
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
                    case TRAFFIC ->
                            Math.round(
                                    vehiclesOffPeak
                                            * (level * (1 + 7.5 * rush) + 0.75 * gauss(noise)));
                    case WATER_LEVEL -> level * 1.6 + 0.05 * gauss(noise);
                };
        v = Math.max(m.minValue(), Math.min(m.maxValue(), v));
        double scale = m == Metric.TRAFFIC ? 1 : m == Metric.WATER_LEVEL ? 1000 : 10;
        return Math.round(v * scale) / scale;
    }

    /** A standard normal draw (Box-Muller; SplittableRandom has no nextGaussian on Java 17). */
    public static double gauss(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double sq(double x) {
        return x * x;
    }
}
