package org.smartcity.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.smartcity.core.zoning.ZoneKind;

/**
 * The deterministic feature id of an aggregate, in its two forms, written and read back only here:
 *
 * <ul>
 *   <li>{@link History}, one window: {@code {metric}|{zoneKind}|{zoneId}|{windowStartMillis}|
 *       {windowLength}}, e.g. {@code pm25|district|530102|1795496400000|15m}. The history store
 *       keys every window and revision by it, so a replay overwrites (or, in a store that appends,
 *       is read back once) instead of double-counting.
 *   <li>{@link Live}, the newest window of one metric, zone and window length: {@code
 *       {metric}|{zoneKind}|{zoneId}|{windowLength}}, e.g. {@code pm25|district|530102|15m}. The
 *       live layer keeps one feature per live id, and the stream is partitioned by it.
 * </ul>
 *
 * <p>{@link #toString()} is the id. Parsing is strict: it accepts exactly what {@code toString}
 * writes ({@code parse(id).toString().equals(id)}), so an id that parses names at most one feature,
 * and anything else throws {@link MalformedException}. A zone id may hold any character except
 * {@value #SEPARATOR} (district ids with one are refused when the districts are loaded).
 */
public sealed interface AggregateId permits AggregateId.History, AggregateId.Live {

    /** Separates the parts of an id. */
    char SEPARATOR = '|';

    Metric metric();

    ZoneKind zoneKind();

    String zoneId();

    long windowLengthMillis();

    /** The live id of the same metric, zone and window length. */
    Live toLive();

    /** The history id of {@code a}'s window. */
    static History historyOf(ZoneAggregate a) {
        return new History(
                a.metric(),
                a.zoneKind(),
                a.zoneId(),
                a.windowStartMillis(),
                a.windowLengthMillis());
    }

    /** The live id of {@code a}'s metric, zone and window length. */
    static Live liveOf(ZoneAggregate a) {
        return new Live(a.metric(), a.zoneKind(), a.zoneId(), a.windowLengthMillis());
    }

    /**
     * A history or a live id, told apart by their number of parts.
     *
     * @throws MalformedException if {@code id} is neither
     */
    static AggregateId parse(String id) {
        List<String> parts = split(id);
        return switch (parts.size()) {
            case 5 -> History.of(id, parts);
            case 4 -> Live.of(id, parts);
            default ->
                    throw new MalformedException(
                            id,
                            "expected "
                                    + History.FORMAT
                                    + " or "
                                    + Live.FORMAT
                                    + ", got "
                                    + parts.size()
                                    + " parts");
        };
    }

    /**
     * A history id.
     *
     * @throws MalformedException if {@code id} is not one
     */
    static History parseHistory(String id) {
        List<String> parts = split(id);
        if (parts.size() != 5) {
            throw new MalformedException(
                    id, "expected " + History.FORMAT + ", got " + parts.size() + " parts");
        }
        return History.of(id, parts);
    }

    /**
     * A live id.
     *
     * @throws MalformedException if {@code id} is not one
     */
    static Live parseLive(String id) {
        List<String> parts = split(id);
        if (parts.size() != 4) {
            throw new MalformedException(
                    id, "expected " + Live.FORMAT + ", got " + parts.size() + " parts");
        }
        return Live.of(id, parts);
    }

    /**
     * The milliseconds of a window length label as {@link ZoneAggregate#windowLabel} writes it
     * ({@code 1m}, {@code 1h}, {@code 1d}).
     *
     * @throws MalformedException for anything else
     */
    static long windowLengthMillis(String label) {
        return parseWindowLength(label, label);
    }

    /**
     * The id of one window of one metric and zone: what the history store keys rows by.
     *
     * @param windowStartMillis window start, epoch milliseconds
     * @param windowLengthMillis window length in milliseconds, positive
     */
    record History(
            Metric metric,
            ZoneKind zoneKind,
            String zoneId,
            long windowStartMillis,
            long windowLengthMillis)
            implements AggregateId {

        private static final String FORMAT =
                "{metric}|{zoneKind}|{zoneId}|{windowStartMillis}|{windowLength}";

        public History {
            AggregateId.checkParts(metric, zoneKind, zoneId, windowLengthMillis);
        }

        @Override
        public Live toLive() {
            return new Live(metric, zoneKind, zoneId, windowLengthMillis);
        }

        /** The id, e.g. {@code pm25|district|530102|1795496400000|15m}. */
        @Override
        public String toString() {
            return AggregateId.join(
                    metric.id(),
                    zoneKind.id(),
                    zoneId,
                    Long.toString(windowStartMillis),
                    ZoneAggregate.windowLabel(windowLengthMillis));
        }

        private static History of(String id, List<String> parts) {
            return new History(
                    AggregateId.parseMetric(id, parts.get(0)),
                    AggregateId.parseZoneKind(id, parts.get(1)),
                    AggregateId.parseZoneId(id, parts.get(2)),
                    AggregateId.parseWindowStart(id, parts.get(3)),
                    AggregateId.parseWindowLength(id, parts.get(4)));
        }
    }

    /**
     * The id of the newest window of one metric, zone and window length: what the live layer keeps
     * one feature of, and what the live stream is partitioned by.
     *
     * @param windowLengthMillis window length in milliseconds, positive
     */
    record Live(Metric metric, ZoneKind zoneKind, String zoneId, long windowLengthMillis)
            implements AggregateId {

        private static final String FORMAT = "{metric}|{zoneKind}|{zoneId}|{windowLength}";

        public Live {
            AggregateId.checkParts(metric, zoneKind, zoneId, windowLengthMillis);
        }

        @Override
        public Live toLive() {
            return this;
        }

        /** The history id of this live id's window starting at {@code windowStartMillis}. */
        public History window(long windowStartMillis) {
            return new History(metric, zoneKind, zoneId, windowStartMillis, windowLengthMillis);
        }

        /** The id, e.g. {@code pm25|district|530102|15m}. */
        @Override
        public String toString() {
            return AggregateId.join(
                    metric.id(),
                    zoneKind.id(),
                    zoneId,
                    ZoneAggregate.windowLabel(windowLengthMillis));
        }

        private static Live of(String id, List<String> parts) {
            return new Live(
                    AggregateId.parseMetric(id, parts.get(0)),
                    AggregateId.parseZoneKind(id, parts.get(1)),
                    AggregateId.parseZoneId(id, parts.get(2)),
                    AggregateId.parseWindowLength(id, parts.get(3)));
        }
    }

    /**
     * An id that is not an aggregate id of the expected form. The message names the id and the part
     * that is wrong.
     */
    final class MalformedException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedException(String id, String problem) {
            super("Not an aggregate id: '" + id + "': " + problem);
        }
    }

    // ---- writing, reading and checking the parts, shared by both forms

    private static void checkParts(
            Metric metric, ZoneKind zoneKind, String zoneId, long windowLength) {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(zoneKind, "zoneKind");
        Objects.requireNonNull(zoneId, "zoneId");
        if (zoneId.isEmpty() || zoneId.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException(
                    "zoneId must be non-empty and without '"
                            + SEPARATOR
                            + "', was '"
                            + zoneId
                            + "'");
        }
        if (windowLength <= 0) {
            throw new IllegalArgumentException(
                    "windowLengthMillis must be positive, was " + windowLength);
        }
    }

    private static String join(String... parts) {
        return String.join(String.valueOf(SEPARATOR), parts);
    }

    /** Splits on every separator, keeping empty parts (a trailing separator is an empty part). */
    private static List<String> split(String id) {
        Objects.requireNonNull(id, "id");
        List<String> parts = new ArrayList<>(5);
        int from = 0;
        for (int at = id.indexOf(SEPARATOR); at >= 0; at = id.indexOf(SEPARATOR, from)) {
            parts.add(id.substring(from, at));
            from = at + 1;
        }
        parts.add(id.substring(from));
        return parts;
    }

    private static Metric parseMetric(String id, String part) {
        return Metric.byId(part)
                .orElseThrow(
                        () ->
                                new MalformedException(
                                        id,
                                        "unknown metric '"
                                                + part
                                                + "', expected one of "
                                                + Metric.ids()));
    }

    private static ZoneKind parseZoneKind(String id, String part) {
        return ZoneKind.byId(part)
                .orElseThrow(() -> new MalformedException(id, "unknown zone kind '" + part + "'"));
    }

    private static String parseZoneId(String id, String part) {
        if (part.isEmpty()) {
            throw new MalformedException(id, "the zone id is empty");
        }
        return part;
    }

    /** Epoch milliseconds exactly as {@link Long#toString(long)} writes them. */
    private static long parseWindowStart(String id, String part) {
        try {
            long millis = Long.parseLong(part);
            // Long.parseLong also takes "+5", "007" and "-0": not how an id is written.
            if (Long.toString(millis).equals(part)) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // not a number, or beyond a long: reported below like any other wrong start
        }
        throw new MalformedException(
                id, "the window start '" + part + "' is not epoch milliseconds");
    }

    /** A window length exactly as {@link ZoneAggregate#windowLabel} writes it. */
    private static long parseWindowLength(String id, String part) {
        int digits = 0;
        while (digits < part.length() && part.charAt(digits) >= '0' && part.charAt(digits) <= '9') {
            digits++;
        }
        long unit =
                switch (part.substring(digits)) {
                    case "ms" -> 1L;
                    case "s" -> 1_000L;
                    case "m" -> 60_000L;
                    case "h" -> 3_600_000L;
                    case "d" -> 86_400_000L;
                    default -> 0L;
                };
        if (digits > 0 && unit > 0) {
            try {
                long millis = Math.multiplyExact(Long.parseLong(part.substring(0, digits)), unit);
                if (millis > 0) {
                    String canonical = ZoneAggregate.windowLabel(millis);
                    if (canonical.equals(part)) {
                        return millis;
                    }
                    throw new MalformedException(
                            id, "the window length '" + part + "' is written '" + canonical + "'");
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // too long for milliseconds in a long: reported below
            }
        }
        throw new MalformedException(
                id,
                "the window length '" + part + "' is not a length such as 30s, 1m, 15m, 1h or 1d");
    }
}
