package org.smartcity.simulator;

import java.util.Random;

/**
 * A smooth random field over the city that drifts slowly with time: a sum of plane waves with
 * random directions, wavelengths and phases (random Fourier features). Nearby sensors see nearly
 * the same value, distant ones independent values; the mean is 0 and the variance about 1.
 *
 * <p>{@link StrictMath} keeps the values identical on every JVM and processor, which the
 * simulator's byte-for-byte reproducibility depends on.
 */
final class SpatialField {
    private final double[] kx;
    private final double[] ky;
    private final double[] phase;
    private final double[] drift;
    private final double scale;

    /**
     * @param random source of the waves
     * @param waves number of waves; a dozen gives a convincingly irregular field
     * @param minWavelengthKm shortest wavelength, the size of the smallest features
     * @param maxWavelengthKm longest wavelength
     * @param maxDriftPerHour fastest change of a wave's phase, radians per hour
     */
    SpatialField(
            Random random,
            int waves,
            double minWavelengthKm,
            double maxWavelengthKm,
            double maxDriftPerHour) {
        kx = new double[waves];
        ky = new double[waves];
        phase = new double[waves];
        drift = new double[waves];
        for (int i = 0; i < waves; i++) {
            double wavelength =
                    minWavelengthKm + random.nextDouble() * (maxWavelengthKm - minWavelengthKm);
            double direction = random.nextDouble() * 2 * Math.PI;
            double k = 2 * Math.PI / wavelength;
            kx[i] = k * StrictMath.cos(direction);
            ky[i] = k * StrictMath.sin(direction);
            phase[i] = random.nextDouble() * 2 * Math.PI;
            drift[i] = (2 * random.nextDouble() - 1) * maxDriftPerHour;
        }
        scale = StrictMath.sqrt(2.0 / waves);
    }

    /** The field at a position (km from the urban centre) and time (hours since the epoch). */
    double at(double xKm, double yKm, double hours) {
        double sum = 0;
        for (int i = 0; i < kx.length; i++) {
            // Reduce the drift modulo 2π first: hours since the epoch make phases large.
            double drifted = (drift[i] * hours) % (2 * Math.PI);
            sum += StrictMath.cos(kx[i] * xKm + ky[i] * yKm + phase[i] + drifted);
        }
        return sum * scale;
    }
}
