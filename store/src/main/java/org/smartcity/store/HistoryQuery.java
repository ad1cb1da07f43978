package org.smartcity.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.geotools.api.filter.Filter;
import org.geotools.api.filter.FilterFactory;
import org.geotools.factory.CommonFactoryFinder;
import org.smartcity.core.Metric;
import org.smartcity.core.zoning.ZoneKind;

/**
 * What an analyst asks of the history: an area, a time range and the identity of the aggregates
 * (metric, zone kind, zone id, window length), each optional. Every criterion is on an attribute
 * that all revisions of a window share, so filtering in the store and then keeping the newest
 * revision ({@link HistoryQueries}) never hides a newer revision behind an older one. A filter on a
 * value (mean, count, ...) must be applied after that step.
 *
 * @param minLon western edge of the area, or NaN for no area
 * @param minLat southern edge
 * @param maxLon eastern edge
 * @param maxLat northern edge
 * @param from earliest window start, inclusive, or null
 * @param to latest window start, exclusive, or null
 * @param metric the metric, or null for all
 * @param zoneKind the zone kind, or null for all
 * @param zoneId the zone id, or null for all
 * @param windowLength the window length label ({@code 1m}, {@code 15m}, {@code 1h}), or null
 */
public record HistoryQuery(
        double minLon,
        double minLat,
        double maxLon,
        double maxLat,
        Instant from,
        Instant to,
        Metric metric,
        ZoneKind zoneKind,
        String zoneId,
        String windowLength) {

    private static final FilterFactory FF = CommonFactoryFinder.getFilterFactory();

    public HistoryQuery {
        boolean noArea = Double.isNaN(minLon);
        if (!noArea && (minLon > maxLon || minLat > maxLat)) {
            throw new IllegalArgumentException(
                    "bbox must be minLon,minLat,maxLon,maxLat with min <= max, was "
                            + minLon
                            + ","
                            + minLat
                            + ","
                            + maxLon
                            + ","
                            + maxLat);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException(
                    "from must be before to, was " + from + " and " + to);
        }
    }

    /** Everything. */
    public static HistoryQuery all() {
        return new HistoryQuery(
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, null, null, null, null, null);
    }

    /** Only zones whose geometry intersects the box (longitude/latitude degrees). */
    public HistoryQuery bbox(double minLon, double minLat, double maxLon, double maxLat) {
        return new HistoryQuery(
                minLon, minLat, maxLon, maxLat, from, to, metric, zoneKind, zoneId, windowLength);
    }

    /** Only windows that start in {@code [from, to)}; either may be null for no bound. */
    public HistoryQuery windowsStarting(Instant from, Instant to) {
        return new HistoryQuery(
                minLon, minLat, maxLon, maxLat, from, to, metric, zoneKind, zoneId, windowLength);
    }

    public HistoryQuery metric(Metric metric) {
        return new HistoryQuery(
                minLon, minLat, maxLon, maxLat, from, to, metric, zoneKind, zoneId, windowLength);
    }

    public HistoryQuery zoneKind(ZoneKind zoneKind) {
        return new HistoryQuery(
                minLon, minLat, maxLon, maxLat, from, to, metric, zoneKind, zoneId, windowLength);
    }

    public HistoryQuery zoneId(String zoneId) {
        return new HistoryQuery(
                minLon, minLat, maxLon, maxLat, from, to, metric, zoneKind, zoneId, windowLength);
    }

    public HistoryQuery windowLength(String windowLength) {
        return new HistoryQuery(
                minLon, minLat, maxLon, maxLat, from, to, metric, zoneKind, zoneId, windowLength);
    }

    /** The GeoTools filter for the store: bbox on the geometry, range on window_start, equals. */
    public Filter toFilter() {
        List<Filter> parts = new ArrayList<>();
        if (!Double.isNaN(minLon)) {
            parts.add(
                    FF.bbox(
                            FF.property(AggregateSchema.GEOM),
                            minLon,
                            minLat,
                            maxLon,
                            maxLat,
                            "EPSG:4326"));
        }
        if (from != null) {
            parts.add(
                    FF.greaterOrEqual(
                            FF.property(AggregateSchema.WINDOW_START),
                            FF.literal(Date.from(from))));
        }
        if (to != null) {
            parts.add(
                    FF.less(FF.property(AggregateSchema.WINDOW_START), FF.literal(Date.from(to))));
        }
        addEquals(parts, AggregateSchema.METRIC, metric == null ? null : metric.id());
        addEquals(parts, AggregateSchema.ZONE_KIND, zoneKind == null ? null : zoneKind.id());
        addEquals(parts, AggregateSchema.ZONE_ID, zoneId);
        addEquals(parts, AggregateSchema.WINDOW_LENGTH, windowLength);
        return switch (parts.size()) {
            case 0 -> Filter.INCLUDE;
            case 1 -> parts.get(0);
            default -> FF.and(parts);
        };
    }

    private static void addEquals(List<Filter> parts, String attribute, String value) {
        if (value != null) {
            parts.add(FF.equals(FF.property(attribute), FF.literal(value)));
        }
    }
}
