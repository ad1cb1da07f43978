package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.StoredAggregate;

/**
 * Aggregates as the API shows them: GeoJSON features whose properties are the store's attributes
 * plus {@code zone_name}, and CSV rows with the geometry as WKT. Used for both the history ({@value
 * AggregateSchema#HISTORY_TYPE}) and the live layer ({@value AggregateSchema#LIVE_TYPE}).
 */
final class AggregateFeatures {
    /** The CSV columns, in order; {@code geometry} is WKT, longitude before latitude. */
    static final List<String> CSV_HEADER =
            List.of(
                    "id",
                    AggregateSchema.METRIC,
                    AggregateSchema.ZONE_KIND,
                    AggregateSchema.ZONE_ID,
                    "zone_name",
                    AggregateSchema.WINDOW_START,
                    AggregateSchema.WINDOW_END,
                    AggregateSchema.WINDOW_LENGTH,
                    AggregateSchema.COUNT,
                    AggregateSchema.DISTINCT_SENSORS,
                    AggregateSchema.MEAN,
                    AggregateSchema.MIN,
                    AggregateSchema.MAX,
                    AggregateSchema.SUM,
                    AggregateSchema.P50,
                    AggregateSchema.P95,
                    AggregateSchema.REVISION,
                    AggregateSchema.UNIT,
                    AggregateSchema.UPDATED,
                    "geometry");

    private final Zoning zoning;

    AggregateFeatures(Zoning zoning) {
        this.zoning = zoning;
    }

    /** The district's name from the zoning; the H3 address or the city id otherwise. */
    String zoneName(ZoneAggregate a) {
        return zoning.zone(a.zoneKind(), a.zoneId()).map(Zone::name).orElse(a.zoneId());
    }

    ObjectNode feature(StoredAggregate s) {
        ObjectNode f = Json.object();
        f.put("type", "Feature");
        f.put("id", s.id());
        f.set("geometry", Json.geometry(s.geometry()));
        ObjectNode p = f.putObject("properties");
        ZoneAggregate a = s.aggregate();
        p.put(AggregateSchema.METRIC, a.metric().id());
        p.put(AggregateSchema.ZONE_KIND, a.zoneKind().id());
        p.put(AggregateSchema.ZONE_ID, a.zoneId());
        p.put("zone_name", zoneName(a));
        p.put(AggregateSchema.WINDOW_START, Json.time(a.windowStartMillis()));
        p.put(AggregateSchema.WINDOW_END, Json.time(a.windowEndMillis()));
        p.put(AggregateSchema.WINDOW_LENGTH, ZoneAggregate.windowLabel(a.windowLengthMillis()));
        p.put(AggregateSchema.COUNT, a.count());
        p.put(AggregateSchema.DISTINCT_SENSORS, a.distinctSensors());
        Json.putNumber(p, AggregateSchema.MEAN, a.mean());
        Json.putNumber(p, AggregateSchema.MIN, a.min());
        Json.putNumber(p, AggregateSchema.MAX, a.max());
        Json.putNumber(p, AggregateSchema.SUM, a.sum());
        Json.putNumber(p, AggregateSchema.P50, a.p50());
        Json.putNumber(p, AggregateSchema.P95, a.p95());
        p.put(AggregateSchema.REVISION, a.revision());
        p.put(AggregateSchema.UNIT, a.metric().unit());
        p.put(AggregateSchema.UPDATED, Json.time(s.updated()));
        return f;
    }

    List<Object> csvRow(StoredAggregate s) {
        ZoneAggregate a = s.aggregate();
        return List.of(
                s.id(),
                a.metric().id(),
                a.zoneKind().id(),
                a.zoneId(),
                zoneName(a),
                Json.time(a.windowStartMillis()),
                Json.time(a.windowEndMillis()),
                ZoneAggregate.windowLabel(a.windowLengthMillis()),
                a.count(),
                a.distinctSensors(),
                a.mean(),
                a.min(),
                a.max(),
                a.sum(),
                a.p50(),
                a.p95(),
                a.revision(),
                a.metric().unit(),
                Json.time(s.updated()),
                s.geometry() == null ? "" : s.geometry().toText());
    }
}
