package org.smartcity.simulator;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How often each {@link Fault} is injected: a share from 0 to 1 of the readings (reading faults),
 * of the messages (message faults) or of the sensors ({@link Fault#SILENT_SENSOR}).
 *
 * <p>A reading carries at most one reading fault and a message at most one message fault, so the
 * shares of each scope may add up to at most 1. Each reading (message) draws once against the
 * cumulative shares, which makes the shares exact in expectation and the draws reproducible.
 */
public final class FaultShares {
    /** No faults at all. */
    public static final FaultShares NONE = new FaultShares(new EnumMap<>(Fault.class));

    private final Map<Fault, Double> shares;

    private FaultShares(Map<Fault, Double> shares) {
        EnumMap<Fault, Double> copy = new EnumMap<>(Fault.class);
        for (Fault f : Fault.values()) {
            double share = shares.getOrDefault(f, 0.0);
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException(
                        "share of " + f.id() + " must be from 0 to 1, got " + share);
            }
            copy.put(f, share);
        }
        for (Fault.Scope scope : Fault.Scope.values()) {
            double sum = sum(copy, scope);
            if (sum > 1 + 1e-9) {
                throw new IllegalArgumentException(
                        "the shares of "
                                + idsOf(scope)
                                + " add up to "
                                + sum
                                + "; a "
                                + scope.name().toLowerCase(Locale.ROOT)
                                + " carries at most one of them, so they may add up to at most 1");
            }
        }
        this.shares = copy;
    }

    /**
     * The given shares; faults not named get 0.
     *
     * @throws IllegalArgumentException when a share is outside [0, 1] or a scope's shares add up to
     *     more than 1
     */
    public static FaultShares of(Map<Fault, Double> shares) {
        return new FaultShares(shares);
    }

    public double share(Fault fault) {
        return shares.get(fault);
    }

    private static double sum(Map<Fault, Double> shares, Fault.Scope scope) {
        return Arrays.stream(Fault.values())
                .filter(f -> f.scope() == scope)
                .mapToDouble(shares::get)
                .sum();
    }

    static String idsOf(Fault.Scope scope) {
        return Arrays.stream(Fault.values())
                .filter(f -> f.scope() == scope)
                .map(Fault::id)
                .collect(Collectors.joining(", "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultShares other && shares.equals(other.shares);
    }

    @Override
    public int hashCode() {
        return shares.hashCode();
    }

    @Override
    public String toString() {
        return shares.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().id() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
