package org.smartcity.jobs.alerts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.smartcity.core.ZoneAggregate;

/** The statistic of a zone aggregate that a threshold rule compares with its levels. */
public enum Statistic {
    /** The metric's mean (the energetic mean, Leq, for noise). */
    MEAN,
    MIN,
    MAX,
    P50,
    P95,
    SUM,
    /** Readings in the window. */
    COUNT;

    /** The rules-file id: {@code mean}, {@code max}, {@code p95}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This statistic of {@code a}. */
    public double of(ZoneAggregate a) {
        return switch (this) {
            case MEAN -> a.mean();
            case MIN -> a.min();
            case MAX -> a.max();
            case P50 -> a.p50();
            case P95 -> a.p95();
            case SUM -> a.sum();
            case COUNT -> a.count();
        };
    }

    static Optional<Statistic> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }

    static String ids() {
        return Arrays.stream(values()).map(Statistic::id).collect(Collectors.joining(", "));
    }
}
