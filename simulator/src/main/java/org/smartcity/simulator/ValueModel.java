package org.smartcity.simulator;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Random;
import org.smartcity.core.Metric;

/**
 * What each sensor measures at a given moment: a daily and seasonal cycle, a smooth field over the
 * city shared by neighbouring sensors, the sensor's own traits, and measurement noise.
 *
 * <p>The cycles follow Kunming's subtropical highland climate (mild, dry sunny winters with wide
 * daily ranges, a humid rainy season from June to October) and the usual urban rhythms: traffic,
 * noise and NO2 peak at the rush hours, temperature in mid-afternoon with humidity at its lowest,
 * ozone after midday, particulates at night and in the morning when the boundary layer is shallow.
 * The figures are plausible magnitudes, not a calibrated model.
 *
 * <p>Every value is clamped to a physically plausible band inside the catalogue's valid range and
 * rounded to the resolution a real device reports, so a reading without a fault always passes
 * validation. All arithmetic uses {@link StrictMath} so values are identical on every JVM.
 */
final class ValueModel {
    private static final double DAYS_PER_YEAR = 365.25;

    private final SpatialField pollution;
    private final SpatialField weather;
    private final SpatialField wetness;
    private final ZoneRules zone;
    private final double sampleSeconds;
    private final double stormPhaseA;
    private final double stormPhaseB;

    /**
     * @param random source of the city's fields (not of the per-reading noise)
     * @param zone the city's time zone
     * @param sampleSeconds how often a sensor reads: the interval traffic counts cover
     */
    ValueModel(Random random, ZoneId zone, double sampleSeconds) {
        this.pollution = new SpatialField(random, 12, 6, 30, 0.15);
        this.weather = new SpatialField(random, 12, 15, 60, 0.10);
        this.wetness = new SpatialField(random, 12, 10, 40, 0.20);
        this.zone = zone.getRules();
        this.sampleSeconds = sampleSeconds;
        this.stormPhaseA = random.nextDouble() * 2 * Math.PI;
        this.stormPhaseB = random.nextDouble() * 2 * Math.PI;
    }

    /** Local time of day and season of an instant. */
    private record Moment(double hour, int dayOfYear, boolean weekend, double epochHours) {}

    /**
     * The value a sensor reports at a time, in the catalogue unit, rounded to the device's
     * resolution. Draws its noise from {@code noise}.
     */
    double value(Sensor s, long timestampMillis, Random noise) {
        Moment t = moment(timestampMillis);
        double raw =
                switch (s.metric()) {
                    case PM25 -> particulates(s, t, noise);
                    case PM10 -> particulates(s, t, noise) * 1.75 * gauss(noise, 0.08);
                    case NO2 -> nitrogenDioxide(s, t, noise);
                    case O3 -> ozone(s, t, noise);
                    case NOISE -> noiseLevel(s, t, noise);
                    case TEMPERATURE -> temperature(s, t, noise);
                    case HUMIDITY -> humidity(s, t, noise);
                    case TRAFFIC -> vehicles(s, t, noise);
                    case WATER_LEVEL -> waterLevel(s, t, noise);
                };
        return round(s.metric(), Math.min(Math.max(raw, floor(s.metric())), ceiling(s.metric())));
    }

    /** Decimal places a device of this metric reports. */
    static int decimals(Metric metric) {
        return switch (metric) {
            case PM25, PM10, NO2, O3, NOISE, HUMIDITY -> 1;
            case TEMPERATURE -> 2;
            case TRAFFIC -> 0;
            case WATER_LEVEL -> 3;
        };
    }

    static double round(Metric metric, double value) {
        double scale = StrictMath.pow(10, decimals(metric));
        return Math.round(value * scale) / scale;
    }

    // ---- the metrics ----

    private double particulates(Sensor s, Moment t, Random noise) {
        double base = 26 + 9 * season(t, 30);
        double daily = 1 + 0.25 * cosHours(t.hour, 2) + 0.35 * bell(t.hour, 8.5, 1.5);
        double local =
                0.30 * field(pollution, s, t)
                        + 0.35 * s.centrality()
                        + 0.15 * s.exposure()
                        + 0.12 * s.bias();
        return base * daily * StrictMath.exp(local) * gauss(noise, 0.10);
    }

    private double nitrogenDioxide(Sensor s, Moment t, Random noise) {
        double daily = 0.45 + 0.75 * traffic(t) - 0.15 * bell(t.hour, 13, 3.5);
        double local =
                0.25 * field(pollution, s, t)
                        + 0.5 * s.centrality()
                        + 0.5 * s.exposure()
                        - 0.4
                        + 0.12 * s.bias();
        return 28 * daily * StrictMath.exp(local) * gauss(noise, 0.12);
    }

    private double ozone(Sensor s, Moment t, Random noise) {
        double daily = 18 + 95 * bell(t.hour, 14.5, 3.2);
        // NO from traffic destroys ozone: lower in the centre and along roads.
        double local =
                -0.35 * s.centrality()
                        - 0.25 * s.exposure()
                        + 0.10 * field(weather, s, t)
                        + 0.10 * s.bias();
        return daily * (1 + 0.25 * season(t, 120)) * StrictMath.exp(local) * gauss(noise, 0.08);
    }

    private double noiseLevel(Sensor s, Moment t, Random noise) {
        // Doubling the traffic adds 3 dB: levels follow 10·log10 of the flow.
        return 50
                + 20 * s.exposure()
                + 3 * s.centrality()
                + 10 * StrictMath.log10(Math.max(traffic(t), 0.03))
                + 1.0 * s.bias()
                + 1.5 * noise.nextGaussian();
    }

    private double temperature(Sensor s, Moment t, Random noise) {
        double mean = 15 + 5.5 * season(t, 197);
        double range = 5.5 - 1.5 * season(t, 197);
        return mean
                + range * diurnal(t.hour)
                + 1.8 * s.centrality()
                + 0.8 * field(weather, s, t)
                + 0.3 * s.bias()
                + 0.15 * noise.nextGaussian();
    }

    private double humidity(Sensor s, Moment t, Random noise) {
        double mean = 72 + 12 * season(t, 220);
        return mean
                - 14 * diurnal(t.hour)
                - 4 * s.centrality()
                + 6 * field(wetness, s, t)
                - 3 * field(weather, s, t)
                + 2 * s.bias()
                + 1.5 * noise.nextGaussian();
    }

    /** Vehicles counted over one sampling interval: a Poisson draw around the hourly flow. */
    private double vehicles(Sensor s, Moment t, Random noise) {
        double peakPerHour =
                (250 + 2750 * s.exposure())
                        * (0.5 + 0.5 * s.centrality())
                        * Math.max(0.2, 1 + 0.1 * s.bias());
        double mean = peakPerHour * traffic(t) * sampleSeconds / 3600;
        return poisson(mean, noise);
    }

    private double waterLevel(Sensor s, Moment t, Random noise) {
        double wet = 0.5 + 0.5 * season(t, 220);
        double storm =
                Math.max(
                        0,
                        StrictMath.sin(2 * Math.PI * t.epochHours / 31 + stormPhaseA)
                                * StrictMath.sin(2 * Math.PI * t.epochHours / 9.7 + stormPhaseB));
        double gauge = Math.min(Math.max(1.5 + 0.5 * s.bias(), 0.3), 3.5);
        return gauge
                + 0.5 * wet
                + 1.2 * storm * storm * (0.3 + 0.7 * wet) * (1 + 0.3 * field(wetness, s, t))
                + 0.004 * noise.nextGaussian();
    }

    // ---- shapes ----

    /**
     * Traffic over the day, 0 to 1: a daytime plateau with a morning and an evening peak; at
     * weekends the morning peak mostly disappears.
     */
    private static double traffic(Moment t) {
        double plateau = logistic(2 * (t.hour - 6.5)) * logistic(1.5 * (22 - t.hour));
        double morning = bell(t.hour, 8.0, 1.1) * (t.weekend ? 0.35 : 1);
        double evening = bell(t.hour, 18.0, 1.4) * (t.weekend ? 0.7 : 1);
        return Math.min(
                1, 0.06 + (t.weekend ? 0.5 : 0.55) * plateau + 0.45 * morning + 0.42 * evening);
    }

    /** The daily temperature shape: -1 at 07:00 (after the night), +1 at 15:00. */
    private static double diurnal(double hour) {
        if (hour >= 7 && hour < 15) {
            return -StrictMath.cos(Math.PI * (hour - 7) / 8);
        }
        double sincePeak = (hour - 15 + 24) % 24;
        return StrictMath.cos(Math.PI * sincePeak / 16);
    }

    /** 1 on {@code peakDay} of the year, -1 half a year away. */
    private static double season(Moment t, int peakDay) {
        return StrictMath.cos(2 * Math.PI * (t.dayOfYear - peakDay) / DAYS_PER_YEAR);
    }

    /** 1 at {@code peakHour}, -1 twelve hours away. */
    private static double cosHours(double hour, double peakHour) {
        return StrictMath.cos(2 * Math.PI * (hour - peakHour) / 24);
    }

    /** A bump around {@code centre} o'clock, measured around the clock (23:00 is near 01:00). */
    private static double bell(double hour, double centre, double width) {
        double d = ((hour - centre + 36) % 24) - 12;
        return StrictMath.exp(-0.5 * (d / width) * (d / width));
    }

    private static double logistic(double x) {
        return 1 / (1 + StrictMath.exp(-x));
    }

    /** A multiplicative log-normal noise factor with median 1. */
    private static double gauss(Random noise, double sigma) {
        return StrictMath.exp(sigma * noise.nextGaussian());
    }

    private static double field(SpatialField f, Sensor s, Moment t) {
        return f.at(s.xKm(), s.yKm(), t.epochHours);
    }

    private static double poisson(double mean, Random random) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            return Math.max(0, Math.round(mean + StrictMath.sqrt(mean) * random.nextGaussian()));
        }
        double limit = StrictMath.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    private Moment moment(long timestampMillis) {
        Instant instant = Instant.ofEpochMilli(timestampMillis);
        long local =
                Math.floorDiv(timestampMillis, 1000) + zone.getOffset(instant).getTotalSeconds();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(local, 86_400));
        double hour =
                (Math.floorMod(local, 86_400) + Math.floorMod(timestampMillis, 1000) / 1000.0)
                        / 3600;
        DayOfWeek day = date.getDayOfWeek();
        return new Moment(
                hour,
                date.getDayOfYear(),
                day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY,
                timestampMillis / 3_600_000.0);
    }

    /** The lowest value a working device of this metric plausibly reports here. */
    private static double floor(Metric metric) {
        return switch (metric) {
            case PM25, PM10 -> 0.5;
            case NO2, O3 -> 1;
            case NOISE -> 30;
            case TEMPERATURE -> -20;
            case HUMIDITY -> 8;
            case TRAFFIC, WATER_LEVEL -> 0;
        };
    }

    /** The highest value a working device of this metric plausibly reports here. */
    private static double ceiling(Metric metric) {
        return switch (metric) {
            case PM25 -> 1000;
            case PM10 -> 2000;
            case NO2, O3 -> 1000;
            case NOISE -> 120;
            case TEMPERATURE -> 42;
            case HUMIDITY -> 100;
            case TRAFFIC -> 10_000;
            case WATER_LEVEL -> 10;
        };
    }
}
