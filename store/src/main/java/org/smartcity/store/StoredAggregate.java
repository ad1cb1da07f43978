package org.smartcity.store;

import static org.smartcity.store.AggregateSchema.COUNT;
import static org.smartcity.store.AggregateSchema.COVERAGE;
import static org.smartcity.store.AggregateSchema.DISTINCT_SENSORS;
import static org.smartcity.store.AggregateSchema.MAX;
import static org.smartcity.store.AggregateSchema.MEAN;
import static org.smartcity.store.AggregateSchema.METRIC;
import static org.smartcity.store.AggregateSchema.MIN;
import static org.smartcity.store.AggregateSchema.P50;
import static org.smartcity.store.AggregateSchema.P95;
import static org.smartcity.store.AggregateSchema.REVISION;
import static org.smartcity.store.AggregateSchema.SUM;
import static org.smartcity.store.AggregateSchema.UPDATED;
import static org.smartcity.store.AggregateSchema.WINDOW_END;
import static org.smartcity.store.AggregateSchema.WINDOW_START;
import static org.smartcity.store.AggregateSchema.ZONE_ID;
import static org.smartcity.store.AggregateSchema.ZONE_KIND;

import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.geotools.api.feature.simple.SimpleFeature;
import org.locationtech.jts.geom.Geometry;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;

/**
 * An aggregate as read back from a store: the feature id, the values, the zone geometry and when
 * the row was written.
 *
 * @param id the feature id ({@link AggregateSchema#historyId} or {@link AggregateSchema#liveId})
 * @param aggregate the statistics, including the revision
 * @param geometry the zone polygon, longitude/latitude
 * @param updated when the sink wrote this row
 */
public record StoredAggregate(
        String id, ZoneAggregate aggregate, Geometry geometry, Instant updated) {

    public StoredAggregate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(aggregate, "aggregate");
        Objects.requireNonNull(updated, "updated");
    }

    /**
     * Reads a feature of an aggregate type.
     *
     * @throws IllegalArgumentException if the feature does not hold a known metric or zone kind
     */
    public static StoredAggregate fromFeature(SimpleFeature f) {
        String metricId = (String) f.getAttribute(METRIC);
        String kindId = (String) f.getAttribute(ZONE_KIND);
        Metric metric =
                Metric.byId(metricId)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "Feature "
                                                        + f.getID()
                                                        + " has unknown metric '"
                                                        + metricId
                                                        + "'"));
        ZoneKind kind =
                ZoneKind.byId(kindId)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "Feature "
                                                        + f.getID()
                                                        + " has unknown zone kind '"
                                                        + kindId
                                                        + "'"));
        long start = millis(f, WINDOW_START);
        ZoneAggregate a =
                new ZoneAggregate(
                        metric,
                        kind,
                        (String) f.getAttribute(ZONE_ID),
                        start,
                        millis(f, WINDOW_END) - start,
                        number(f, COUNT).longValue(),
                        number(f, DISTINCT_SENSORS).longValue(),
                        number(f, MEAN).doubleValue(),
                        number(f, MIN).doubleValue(),
                        number(f, MAX).doubleValue(),
                        number(f, SUM).doubleValue(),
                        number(f, P50).doubleValue(),
                        number(f, P95).doubleValue(),
                        number(f, REVISION).intValue(),
                        // Absent from types made before coverage was counted: 0, unknown.
                        f.getAttribute(COVERAGE) instanceof Number n ? n.longValue() : 0);
        return new StoredAggregate(
                f.getID(),
                a,
                (Geometry) f.getDefaultGeometry(),
                Instant.ofEpochMilli(millis(f, UPDATED)));
    }

    private static long millis(SimpleFeature f, String attribute) {
        Object value = f.getAttribute(attribute);
        if (value instanceof Date d) {
            return d.getTime();
        }
        throw new IllegalArgumentException(
                "Feature " + f.getID() + " has no date in " + attribute + ": " + value);
    }

    private static Number number(SimpleFeature f, String attribute) {
        Object value = f.getAttribute(attribute);
        if (value instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException(
                "Feature " + f.getID() + " has no number in " + attribute + ": " + value);
    }
}
