package org.smartcity.dashboard;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.smartcity.core.Metric;
import org.smartcity.core.http.HttpErrors;
import org.smartcity.core.http.HttpService;
import org.smartcity.core.http.QueryParameters;
import org.smartcity.core.zoning.ZoneKind;

/**
 * The values the dashboard's APIs accept, parsed from a request's query parameters ({@link
 * QueryParameters}, decoded strictly before any handler runs). Every parser throws a 400 ({@link
 * HttpErrors#invalidParameter}) whose description starts with the parameter's name, so bad input
 * never becomes a 500.
 *
 * <p>Numbers are plain decimal numbers in ASCII digits, and instants lie in years 0000 to 9999
 * ({@link #EARLIEST}, {@link #LATEST}), the range every store can index. Values echoed in an error
 * are cut to {@value HttpErrors#ECHO_MAX} characters.
 */
final class Params {
    /** Features per page unless {@code limit} says otherwise. */
    static final int DEFAULT_LIMIT = 100;

    /** Most features per page; a larger {@code limit} is lowered to this (OGC API Part 1). */
    static final int MAX_LIMIT = 10_000;

    /** The earliest instant {@code datetime} accepts. */
    static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");

    /** The latest instant {@code datetime} accepts. */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static final Pattern WINDOW_LENGTH = Pattern.compile("[1-9][0-9]{0,8}(ms|s|m|h|d)");

    /** A plain decimal number: ASCII digits, an optional sign and fraction, no exponent. */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)");

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final QueryParameters query;

    Params(QueryParameters query) {
        this.query = query;
    }

    /** The parameters of {@code ctx}'s request. */
    static Params of(Context ctx) {
        return new Params(HttpService.query(ctx));
    }

    /** Parses a raw query string, as {@link QueryParameters#parse} does. */
    static Params parse(String rawQuery) {
        return new Params(QueryParameters.parse(rawQuery));
    }

    /** {@code v} for an error description, cut to {@value HttpErrors#ECHO_MAX} characters. */
    static String echo(String v) {
        return HttpErrors.echo(v);
    }

    /** The value of a parameter, or null when it is absent. */
    String get(String name) {
        return query.get(name);
    }

    /** The parameters in their order, for building links to other pages. */
    Map<String, String> asMap() {
        return query.asMap();
    }

    /** Rejects parameters not in {@code allowed}: see {@link QueryParameters#requireOnly}. */
    void requireOnly(Set<String> allowed, String where) {
        query.requireOnly(allowed, where);
    }

    /** {@code bbox}: the parsed box, or null when absent. */
    BBox bbox() {
        return parsed("bbox", Params::parseBbox);
    }

    /** {@code datetime}: the parsed interval, or null when absent. */
    Interval datetime() {
        return parsed("datetime", Params::parseDatetime);
    }

    /** {@code limit}: 1 to {@value #MAX_LIMIT} (larger values are lowered), default 100. */
    int limit() {
        Integer limit = parsed("limit", Params::parseLimit);
        return limit == null ? DEFAULT_LIMIT : limit;
    }

    /** {@code offset}: 0 or more, default 0. */
    int offset() {
        String v = get("offset");
        if (v == null) {
            return 0;
        }
        String t = v.trim();
        if (DIGITS.matcher(t).matches() && t.length() <= 9) {
            return Integer.parseInt(t);
        }
        throw HttpErrors.invalidParameter(
                "offset",
                "expected a whole number from 0 to 999999999 in ASCII digits, got '"
                        + echo(v)
                        + "'");
    }

    /** {@code metric}: a catalogue metric, or null when absent. */
    Metric metric() {
        return parsed("metric", Params::parseMetric);
    }

    /** {@code zone_kind}: h3, district or city, or null when absent. */
    ZoneKind zoneKind() {
        return parsed("zone_kind", Params::parseZoneKind);
    }

    /** {@code zone_id}, or null when absent. */
    String zoneId() {
        String v = get("zone_id");
        if (v != null && v.isBlank()) {
            throw HttpErrors.invalidParameter("zone_id", "must not be empty");
        }
        return v;
    }

    /** {@code window_length} ({@code 1m}, {@code 15m}, {@code 1h}...), or null when absent. */
    String windowLength() {
        String v = get("window_length");
        if (v == null) {
            return null;
        }
        if (!WINDOW_LENGTH.matcher(v).matches()) {
            throw HttpErrors.invalidParameter(
                    "window_length",
                    "expected a window length such as 1m, 15m or 1h, got '" + echo(v) + "'");
        }
        return v;
    }

    /** {@code f}: the output format among {@code allowed}, or {@code fallback} when absent. */
    String format(String fallback, String... allowed) {
        String f =
                choice(
                        "f",
                        v -> {
                            String lower = v.toLowerCase(Locale.ROOT);
                            return Arrays.stream(allowed).filter(lower::equals).findFirst();
                        },
                        String.join(" or ", allowed));
        return f == null ? fallback : f;
    }

    /**
     * A parameter with a closed set of values: what {@code byId} finds for it, or null when absent.
     *
     * @param expected the values, for the 400 of any other: {@code expected <expected>, got '...'}
     */
    <T> T choice(String name, Function<String, Optional<T>> byId, String expected) {
        return parsed(
                name,
                v ->
                        byId.apply(v)
                                .orElseThrow(
                                        () ->
                                                HttpErrors.invalidParameter(
                                                        name,
                                                        "expected "
                                                                + expected
                                                                + ", got '"
                                                                + echo(v)
                                                                + "'")));
    }

    /** A parameter of free text, or null when absent; present but empty is a 400. */
    String nonEmpty(String name) {
        String v = get(name);
        if (v != null && v.isEmpty()) {
            throw HttpErrors.invalidParameter(name, "must not be empty");
        }
        return v;
    }

    /** {@code parse} of a parameter's value, or null when it is absent. */
    private <T> T parsed(String name, Function<String, T> parse) {
        String v = get(name);
        return v == null ? null : parse.apply(v);
    }

    /**
     * A bounding box in CRS84: {@code minLon,minLat,maxLon,maxLat}, or six numbers with heights
     * ({@code minLon,minLat,minH,maxLon,maxLat,maxH}, heights ignored).
     */
    static BBox parseBbox(String v) {
        String[] parts = v.split(",", -1);
        if (parts.length != 4 && parts.length != 6) {
            throw HttpErrors.invalidParameter(
                    "bbox",
                    "expected four numbers minLon,minLat,maxLon,maxLat (CRS84), got '"
                            + echo(v)
                            + "'");
        }
        double[] n = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (!DECIMAL.matcher(part).matches()) {
                throw HttpErrors.invalidParameter(
                        "bbox",
                        "'"
                                + echo(part)
                                + "' is not a plain decimal number (ASCII digits, optional sign"
                                + " and fraction)");
            }
            n[i] = Double.parseDouble(part);
        }
        int half = parts.length / 2;
        BBox box = new BBox(n[0], n[1], n[half], n[half + 1]);
        if (box.minLon() < -180 || box.maxLon() > 180 || box.minLat() < -90 || box.maxLat() > 90) {
            throw HttpErrors.invalidParameter(
                    "bbox",
                    "longitudes must lie in [-180, 180] and latitudes in [-90, 90] (order"
                            + " minLon,minLat,maxLon,maxLat), got '"
                            + echo(v)
                            + "'");
        }
        if (box.minLat() > box.maxLat()) {
            throw HttpErrors.invalidParameter(
                    "bbox", "minLat is greater than maxLat in '" + echo(v) + "'");
        }
        if (box.minLon() > box.maxLon()) {
            throw HttpErrors.invalidParameter(
                    "bbox",
                    "minLon is greater than maxLon in '"
                            + echo(v)
                            + "' (boxes across the antimeridian are not supported)");
        }
        return box;
    }

    /**
     * An RFC 3339 instant ({@code 2026-11-24T05:00:00Z}) or interval: closed {@code a/b}, or
     * half-bounded {@code ../b}, {@code a/..} (an empty end counts as {@code ..}).
     */
    static Interval parseDatetime(String v) {
        String s = v.trim();
        int slash = s.indexOf('/');
        if (slash < 0) {
            if (s.equals("..")) {
                throw HttpErrors.invalidParameter(
                        "datetime", "'..' is only allowed as one end of an interval");
            }
            Instant t = parseInstant(s);
            return new Interval(t, t);
        }
        if (s.indexOf('/', slash + 1) >= 0) {
            throw HttpErrors.invalidParameter(
                    "datetime",
                    "expected an instant or one interval start/end, got '" + echo(v) + "'");
        }
        String a = s.substring(0, slash).trim();
        String b = s.substring(slash + 1).trim();
        Instant start = a.isEmpty() || a.equals("..") ? null : parseInstant(a);
        Instant end = b.isEmpty() || b.equals("..") ? null : parseInstant(b);
        if (start == null && end == null) {
            throw HttpErrors.invalidParameter(
                    "datetime",
                    "an interval needs at least one bounded end, got '" + echo(v) + "'");
        }
        if (start != null && end != null && start.isAfter(end)) {
            throw HttpErrors.invalidParameter(
                    "datetime", "the start is after the end in '" + echo(v) + "'");
        }
        return new Interval(start, end);
    }

    private static Instant parseInstant(String s) {
        Instant t;
        try {
            t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            throw HttpErrors.invalidParameter(
                    "datetime",
                    "expected an RFC 3339 date-time with a time zone such as"
                            + " 2026-11-24T05:00:00Z, or an interval start/end with .. for an"
                            + " open end, got '"
                            + echo(s)
                            + "'");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw HttpErrors.invalidParameter(
                    "datetime",
                    "'"
                            + echo(s)
                            + "' is outside the supported range 0000-01-01T00:00:00Z to"
                            + " 9999-12-31T23:59:59Z");
        }
        return t;
    }

    static int parseLimit(String v) {
        String t = v.trim();
        if (!DIGITS.matcher(t).matches()) {
            throw invalidLimit(v);
        }
        // A number too large for an int is still a valid request for "as many as allowed".
        String significant = t.replaceFirst("^0+(?=.)", "");
        int limit = significant.length() > 9 ? MAX_LIMIT : Integer.parseInt(significant);
        if (limit < 1) {
            throw invalidLimit(v);
        }
        return Math.min(limit, MAX_LIMIT);
    }

    private static HttpResponseException invalidLimit(String v) {
        return HttpErrors.invalidParameter(
                "limit",
                "expected a whole number from 1 to "
                        + MAX_LIMIT
                        + " in ASCII digits, got '"
                        + echo(v)
                        + "'");
    }

    static Metric parseMetric(String v) {
        return Metric.byId(v)
                .orElseThrow(
                        () ->
                                HttpErrors.invalidParameter(
                                        "metric",
                                        "unknown metric '"
                                                + echo(v)
                                                + "'; known: "
                                                + Metric.ids()));
    }

    static ZoneKind parseZoneKind(String v) {
        return ZoneKind.byId(v)
                .orElseThrow(
                        () -> {
                            List<String> kinds = new ArrayList<>();
                            for (ZoneKind k : ZoneKind.values()) {
                                kinds.add(k.id());
                            }
                            return HttpErrors.invalidParameter(
                                    "zone_kind",
                                    "unknown zone kind '"
                                            + echo(v)
                                            + "'; known: "
                                            + String.join(", ", kinds));
                        });
    }

    /**
     * A bounding box in CRS84 degrees.
     *
     * @param minLon western edge
     * @param minLat southern edge
     * @param maxLon eastern edge
     * @param maxLat northern edge
     */
    record BBox(double minLon, double minLat, double maxLon, double maxLat) {
        boolean contains(double lon, double lat) {
            return lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
        }
    }

    /**
     * A closed time interval; a null end is open. An instant is an interval with equal ends.
     *
     * @param start earliest matching time, inclusive, or null
     * @param end latest matching time, inclusive, or null
     */
    record Interval(Instant start, Instant end) {
        boolean contains(Instant t) {
            return (start == null || !t.isBefore(start)) && (end == null || !t.isAfter(end));
        }

        /**
         * The first millisecond in the interval (stores keep dates to the millisecond), or null.
         */
        Instant startMillis() {
            if (start == null) {
                return null;
            }
            Instant floor = start.truncatedTo(ChronoUnit.MILLIS);
            return floor.equals(start) ? floor : floor.plusMillis(1);
        }

        /** The first millisecond after the interval, or null: an exclusive bound for queries. */
        Instant endMillisExclusive() {
            return end == null ? null : end.truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        }
    }
}
