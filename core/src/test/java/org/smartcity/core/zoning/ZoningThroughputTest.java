package org.smartcity.core.zoning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.smartcity.core.CityArea;

/**
 * A sanity check, not a benchmark: {@link Zoning#zonesOf} over a million random points in the
 * Kunming box must not be pathologically slow. Prints the rate; asserts nothing about time (the
 * build machine is shared).
 */
class ZoningThroughputTest {

    @Test
    void aMillionRandomPoints() {
        Zoning zoning = Zoning.kunming();
        CityArea box = CityArea.KUNMING;
        int n = 1_000_000;
        double[] lat = new double[n];
        double[] lon = new double[n];
        Random random = new Random(20261124);
        for (int i = 0; i < n; i++) {
            lat[i] = box.minLat() + random.nextDouble() * (box.maxLat() - box.minLat());
            lon[i] = box.minLon() + random.nextDouble() * (box.maxLon() - box.minLon());
        }
        for (int i = 0; i < 50_000; i++) { // warm up
            zoning.zonesOf(lat[i], lon[i]);
        }

        long districts = 0;
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            districts += zoning.zonesOf(lat[i], lon[i]).size() - 2;
        }
        long nanos = System.nanoTime() - started;

        System.out.printf(
                Locale.ROOT,
                "Zoning.zonesOf: %,d points in %.2f s, %,.0f points/s (%.2f µs each)%n",
                n,
                nanos / 1e9,
                n / (nanos / 1e9),
                nanos / 1e3 / n);
        assertThat(districts).isEqualTo(n); // every point of the box is in a district
    }
}
