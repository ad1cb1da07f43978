package org.smartcity.simulator;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.smartcity.core.Metric;

/**
 * Decides which readings and messages carry a fault, and alters readings accordingly. Every
 * decision draws from the one {@link Random} it is given, separate from the measurement noise, so
 * turning a fault on does not change the values of the clean readings.
 */
final class FaultInjector {
    /** The {@code -9999} "no data" sentinel that loggers write when a probe fails. */
    static final double SENTINEL = -9999;

    private static final long MIN_LATENESS_MILLIS = 2 * 60_000L;
    private static final long MAX_LATENESS_MILLIS = 12 * 3_600_000L;

    private static final List<Fault> READING_FAULTS = ofScope(Fault.Scope.READING);
    private static final List<Fault> MESSAGE_FAULTS = ofScope(Fault.Scope.MESSAGE);

    /** A unit some misconfigured device uses instead of the catalogue's, and how to convert. */
    private record WrongUnit(String unit, double factor, double offset) {
        double convert(double value) {
            return value * factor + offset;
        }
    }

    private final FaultShares shares;
    private final double sampleSeconds;

    FaultInjector(FaultShares shares, double sampleSeconds) {
        this.shares = shares;
        this.sampleSeconds = sampleSeconds;
    }

    /** The fault of the next reading, or {@code null}: one draw per reading. */
    Fault drawReadingFault(Random random) {
        return draw(READING_FAULTS, random);
    }

    /** The fault of the next message, or {@code null}: one draw per message. */
    Fault drawMessageFault(Random random) {
        return draw(MESSAGE_FAULTS, random);
    }

    /** The reading altered by a reading fault. */
    ReadingDraft apply(ReadingDraft r, Fault fault, Random random) {
        Metric metric = r.sensor().metric();
        return switch (fault) {
            case MALFORMED -> r.malformed(random.nextBoolean() ? Double.NaN : random.nextDouble());
            case OUT_OF_RANGE ->
                    r.withValue(
                            fault,
                            random.nextBoolean()
                                    ? SENTINEL
                                    // At least 1.5 times the maximum: rounding cannot bring it
                                    // back.
                                    : ValueModel.round(
                                            metric,
                                            metric.maxValue() * (1.5 + random.nextDouble())),
                            r.unit());
            case WRONG_UNIT -> {
                List<WrongUnit> options = wrongUnits(metric);
                WrongUnit wrong = options.get(random.nextInt(options.size()));
                yield r.withValue(
                        fault, ValueModel.round(metric, wrong.convert(r.value())), wrong.unit());
            }
            case LATE -> {
                // Log-uniform: as many readings minutes late as hours late.
                double logMin = StrictMath.log(MIN_LATENESS_MILLIS);
                double logMax = StrictMath.log(MAX_LATENESS_MILLIS);
                long lateness =
                        Math.round(
                                StrictMath.exp(logMin + random.nextDouble() * (logMax - logMin)));
                yield r.withTimestamp(fault, r.timestampMillis() - lateness);
            }
            default -> throw new IllegalArgumentException(fault + " is not a fault of a reading");
        };
    }

    /**
     * Units a device might wrongly report in, none of which the catalogue accepts for the metric
     * (so the bridge answers {@code UNIT_MISMATCH}), with the value converted as such a device
     * would.
     */
    private List<WrongUnit> wrongUnits(Metric metric) {
        return switch (metric) {
            case PM25, PM10 -> List.of(new WrongUnit("mg/m3", 0.001, 0));
            // ppb at 25 °C: 1 ppb NO2 = 1.88 ug/m3, 1 ppb O3 = 1.96 ug/m3.
            case NO2 ->
                    List.of(new WrongUnit("mg/m3", 0.001, 0), new WrongUnit("ppb", 1 / 1.88, 0));
            case O3 -> List.of(new WrongUnit("mg/m3", 0.001, 0), new WrongUnit("ppb", 1 / 1.96, 0));
            case NOISE -> List.of(new WrongUnit("dB(C)", 1, 2));
            case TEMPERATURE ->
                    List.of(new WrongUnit("degF", 1.8, 32), new WrongUnit("K", 1, 273.15));
            // Absolute humidity near 20 °C, where 100 % is about 17.3 g/m3.
            case HUMIDITY -> List.of(new WrongUnit("g/m3", 0.173, 0));
            case TRAFFIC -> List.of(new WrongUnit("vehicles/h", 3600 / sampleSeconds, 0));
            case WATER_LEVEL ->
                    List.of(new WrongUnit("cm", 100, 0), new WrongUnit("ft", 3.28084, 0));
        };
    }

    private Fault draw(List<Fault> candidates, Random random) {
        double u = random.nextDouble();
        for (Fault f : candidates) {
            u -= shares.share(f);
            if (u < 0) {
                return f;
            }
        }
        return null;
    }

    private static List<Fault> ofScope(Fault.Scope scope) {
        return Arrays.stream(Fault.values()).filter(f -> f.scope() == scope).toList();
    }
}
