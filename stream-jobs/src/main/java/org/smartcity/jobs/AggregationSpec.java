package org.smartcity.jobs;

import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.smartcity.core.config.CityOptions;

/**
 * What {@link CityAggregationJob#aggregate} computes: the window lengths, the allowed lateness, how
 * often late data re-emits a window at most, and the zones readings count in.
 *
 * <p>Readings are aggregated once, into the shortest windows; every longer window is rolled up from
 * the longest shorter window whose length divides its own (15m from 1m, 1h from 15m by default). So
 * the shortest length must divide every other one, which the constructor checks.
 *
 * <p>Windows of whole days ({@code 1d}) start at local midnight in {@code timeZone} ({@link
 * LocalDayWindows}); shorter ones are aligned to the epoch, as Flink's tumbling windows are.
 *
 * @param windowLengths tumbling window lengths, whole milliseconds; stored shortest first
 * @param allowedLateness how long after a window's end a late reading still corrects it
 * @param correctionInterval a window corrected by late readings is re-emitted at most once per
 *     interval, with every late reading of that interval (see {@link CoalescedCorrectionsTrigger})
 * @param zones which zones a reading counts in
 * @param timeZone the city's time zone: where windows of whole days start and end
 */
public record AggregationSpec(
        List<Duration> windowLengths,
        Duration allowedLateness,
        Duration correctionInterval,
        ZoneAssigner zones,
        ZoneId timeZone)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The default lengths: 1 minute, 15 minutes, 1 hour, 1 local day. */
    public static final List<Duration> DEFAULT_WINDOW_LENGTHS =
            List.of(
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(15),
                    Duration.ofHours(1),
                    Duration.ofDays(1));

    /** The default time zone, the default city's ({@link CityOptions#TIMEZONE}). */
    public static final ZoneId DEFAULT_TIME_ZONE = CityOptions.defaults().timeZone();

    /** The default allowed lateness, 10 minutes. */
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMinutes(10);

    /** The default correction interval, 1 second. */
    public static final Duration DEFAULT_CORRECTION_INTERVAL = Duration.ofSeconds(1);

    /**
     * @throws IllegalArgumentException if there is no length, a length is not a positive whole
     *     number of milliseconds, appears twice, or is not a multiple of the shortest, if the
     *     lateness is negative, or if the correction interval is under 1 millisecond
     */
    public AggregationSpec {
        windowLengths = checkWindowLengths(windowLengths);
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException(
                    "the allowed lateness must not be negative, got " + allowedLateness);
        }
        Objects.requireNonNull(correctionInterval, "correctionInterval");
        if (correctionInterval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "the correction interval must be at least 1ms, got " + correctionInterval);
        }
        Objects.requireNonNull(zones, "zones");
        Objects.requireNonNull(timeZone, "timeZone");
    }

    /** The given lengths, lateness and correction interval, in the default time zone. */
    public AggregationSpec(
            List<Duration> windowLengths,
            Duration allowedLateness,
            Duration correctionInterval,
            ZoneAssigner zones) {
        this(windowLengths, allowedLateness, correctionInterval, zones, DEFAULT_TIME_ZONE);
    }

    /** The given lengths and lateness, the default correction interval. */
    public AggregationSpec(
            List<Duration> windowLengths, Duration allowedLateness, ZoneAssigner zones) {
        this(windowLengths, allowedLateness, DEFAULT_CORRECTION_INTERVAL, zones);
    }

    /** The default lengths, lateness and correction interval with the given zones. */
    public static AggregationSpec withDefaults(ZoneAssigner zones) {
        return new AggregationSpec(DEFAULT_WINDOW_LENGTHS, DEFAULT_ALLOWED_LATENESS, zones);
    }

    /**
     * The lengths sorted shortest first, validated.
     *
     * @throws IllegalArgumentException naming the offending length
     */
    public static List<Duration> checkWindowLengths(List<Duration> lengths) {
        Objects.requireNonNull(lengths, "windowLengths");
        if (lengths.isEmpty()) {
            throw new IllegalArgumentException("at least one window length is needed");
        }
        List<Duration> sorted = new ArrayList<>(lengths);
        sorted.sort(null);
        Duration shortest = sorted.get(0);
        for (int i = 0; i < sorted.size(); i++) {
            Duration d = sorted.get(i);
            if (d.isNegative() || d.isZero() || d.toNanos() % 1_000_000 != 0) {
                throw new IllegalArgumentException(
                        "a window length must be a positive whole number of milliseconds, got "
                                + d);
            }
            if (i > 0 && d.equals(sorted.get(i - 1))) {
                throw new IllegalArgumentException("window length " + d + " is given twice");
            }
            if (d.toMillis() % shortest.toMillis() != 0) {
                throw new IllegalArgumentException(
                        "every window length must be a multiple of the shortest ("
                                + shortest
                                + "), because longer windows are rolled up from it; got "
                                + d);
            }
        }
        return List.copyOf(sorted);
    }

    /**
     * Whether the coverage of a window of {@code length} counts its parts (the shorter windows it
     * is rolled up from) or adds up theirs. Coverage counts windows of the shortest length (minutes
     * by default), except from {@code 1h} on: a window rolled up from {@code 1h} counts hours with
     * data, and so do the longer windows rolled up from it. This matches the validity rules of the
     * air-quality standards (an hour by its minutes, a day by its hours; REFERENCE.md §1).
     *
     * @throws IllegalArgumentException for the shortest length, or one not configured
     */
    public boolean coverageCountsParts(Duration length) {
        return rollupSource(length).equals(Duration.ofHours(1));
    }

    /**
     * The windows that the coverage of a window of {@code length} counts: the shortest length, or
     * {@code 1h} for windows rolled up (directly or not) from {@code 1h}.
     *
     * @throws IllegalArgumentException for a length not configured
     */
    public Duration coverageUnit(Duration length) {
        if (!windowLengths.contains(length)) {
            throw new IllegalArgumentException(length + " is not one of " + windowLengths);
        }
        if (length.equals(shortest())) {
            return length;
        }
        Duration source = rollupSource(length);
        return source.equals(Duration.ofHours(1)) ? source : coverageUnit(source);
    }

    /** The length readings are aggregated into. */
    public Duration shortest() {
        return windowLengths.get(0);
    }

    /**
     * The length a longer window is rolled up from: the longest shorter length that divides it.
     *
     * @throws IllegalArgumentException for the shortest length, or one not configured
     */
    public Duration rollupSource(Duration length) {
        int index = windowLengths.indexOf(length);
        if (index <= 0) {
            throw new IllegalArgumentException(
                    length + " is not a rolled-up window length of " + windowLengths);
        }
        for (int i = index - 1; i >= 0; i--) {
            if (length.toMillis() % windowLengths.get(i).toMillis() == 0) {
                return windowLengths.get(i);
            }
        }
        throw new AssertionError("the shortest length divides every length");
    }
}
