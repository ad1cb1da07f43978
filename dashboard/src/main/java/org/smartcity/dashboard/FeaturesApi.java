package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.geotools.api.data.DataStore;
import org.smartcity.core.AggregateId;
import org.smartcity.core.CityArea;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.dashboard.ReadingsMonitor.SensorState;
import org.smartcity.dashboard.Router.Request;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoredAggregate;

/**
 * OGC API - Features Part 1 (Core, GeoJSON) over three collections:
 *
 * <ul>
 *   <li>{@value AggregateSchema#HISTORY_TYPE}: every window in the history store, each once, at its
 *       newest revision (read through {@link HistoryQueries});
 *   <li>{@value AggregateSchema#LIVE_TYPE}: the live layer, the newest window per metric, zone and
 *       window length;
 *   <li>{@value #SENSORS}: each sensor's newest reading and whether it is active or silent.
 * </ul>
 *
 * <p>Items are sorted (aggregates by window start, then id; sensors by id) and paged with {@code
 * limit}/{@code offset} after filtering, with {@code next}/{@code prev} links. {@code datetime}
 * applies to the window start of aggregates and to the reading time of sensors; {@code bbox} to the
 * zone polygon (intersects) and to the sensor's position.
 */
final class FeaturesApi {
    static final String SENSORS = "sensors";
    static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    static final String GEOJSON = "application/geo+json";

    private static final List<String> CONFORMANCE =
            List.of(
                    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson");

    private static final Set<String> AGGREGATE_PARAMS =
            Set.of(
                    "bbox",
                    "datetime",
                    "limit",
                    "offset",
                    "f",
                    "metric",
                    "zone_kind",
                    "zone_id",
                    "window_length");
    private static final Set<String> SENSOR_PARAMS =
            Set.of("bbox", "datetime", "limit", "offset", "f", "metric", "status");

    /** The sensors' CSV columns; {@code geometry} is the position as WKT. */
    static final List<String> SENSOR_CSV_HEADER =
            List.of(
                    "id",
                    "sensor_id",
                    "metric",
                    "value",
                    "unit",
                    "ts",
                    "last_seen",
                    "status",
                    "geometry");

    private final String city;
    private final CityArea area;
    private final DataStore history;
    private final LiveLayer live;
    private final ReadingsMonitor monitor;
    private final AggregateFeatures features;

    FeaturesApi(
            String city,
            CityArea area,
            DataStore history,
            LiveLayer live,
            ReadingsMonitor monitor,
            AggregateFeatures features) {
        this.city = city;
        this.area = area;
        this.history = history;
        this.live = live;
        this.monitor = monitor;
        this.features = features;
    }

    /** The landing page as JSON. */
    void landing(Request r) throws IOException {
        ObjectNode body = Json.object();
        body.put("title", "Smart-city sensor platform: " + city);
        body.put(
                "description",
                "Aggregated sensor readings per zone and time window (history and live layer) and"
                        + " the sensors' newest readings, as OGC API - Features.");
        ArrayNode links = body.putArray("links");
        String base = r.baseUrl();
        links.add(Json.link(base + "/?f=json", "self", "application/json", "this document"));
        links.add(Json.link(base + "/", "alternate", "text/html", "the live dashboard"));
        links.add(
                Json.link(
                        base + "/conformance",
                        "conformance",
                        "application/json",
                        "conformance classes implemented"));
        links.add(Json.link(base + "/collections", "data", "application/json", "the collections"));
        r.json(body);
    }

    void conformance(Request r) throws IOException {
        r.params().format("json", "json");
        ObjectNode body = Json.object();
        ArrayNode classes = body.putArray("conformsTo");
        CONFORMANCE.forEach(classes::add);
        r.json(body);
    }

    void collections(Request r) throws IOException {
        r.params().format("json", "json");
        ObjectNode body = Json.object();
        body.putArray("links")
                .add(
                        Json.link(
                                r.baseUrl() + "/collections",
                                "self",
                                "application/json",
                                "this document"));
        ArrayNode list = body.putArray("collections");
        for (String id : collectionIds()) {
            list.add(collection(r, id));
        }
        r.json(body);
    }

    void collection(Request r) throws IOException {
        r.params().format("json", "json");
        r.json(collection(r, checkCollection(r.var("collectionId"))));
    }

    void items(Request r) throws IOException {
        String id = checkCollection(r.var("collectionId"));
        Params p = r.params();
        if (id.equals(SENSORS)) {
            p.requireOnly(SENSOR_PARAMS, "collection " + SENSORS);
            String format = p.format("json", "json", "csv");
            page(
                    r,
                    id,
                    format,
                    sensors(p),
                    this::sensorFeature,
                    this::sensorRow,
                    SENSOR_CSV_HEADER);
        } else {
            p.requireOnly(AGGREGATE_PARAMS, "collection " + id);
            String format = p.format("json", "json", "csv");
            p.limit(); // a bad page is a 400 before the store is asked anything
            p.offset();
            List<StoredAggregate> matched = aggregates(id, query(p));
            page(
                    r,
                    id,
                    format,
                    matched,
                    features::feature,
                    features::csvRow,
                    AggregateFeatures.CSV_HEADER);
        }
    }

    void item(Request r) throws IOException {
        String id = checkCollection(r.var("collectionId"));
        String featureId = r.var("featureId");
        r.params().requireOnly(Set.of("f"), "a feature");
        r.params().format("json", "json");
        ObjectNode feature;
        if (id.equals(SENSORS)) {
            SensorState s = monitor.sensor(featureId);
            feature = s == null ? null : sensorFeature(s);
        } else {
            StoredAggregate a = aggregate(id, featureId);
            feature = a == null ? null : features.feature(a);
        }
        if (feature == null) {
            throw ApiException.notFound(
                    "no feature '" + Params.echo(featureId) + "' in collection " + id);
        }
        String base = r.baseUrl() + "/collections/" + id;
        ArrayNode links = feature.putArray("links");
        links.add(
                Json.link(
                        r.link(r.exchange().getRequestURI().getRawPath(), Map.of()),
                        "self",
                        GEOJSON,
                        null));
        links.add(Json.link(base, "collection", "application/json", null));
        r.geoJson(feature);
    }

    /** The collections this dashboard has: a store that is not configured has none. */
    List<String> collectionIds() {
        List<String> ids = new ArrayList<>();
        if (history != null) {
            ids.add(AggregateSchema.HISTORY_TYPE);
        }
        if (live != null) {
            ids.add(AggregateSchema.LIVE_TYPE);
        }
        ids.add(SENSORS);
        return ids;
    }

    private String checkCollection(String id) {
        if (!collectionIds().contains(id)) {
            throw ApiException.notFound(
                    "no collection '"
                            + Params.echo(id)
                            + "'; there are: "
                            + String.join(", ", collectionIds()));
        }
        return id;
    }

    private ObjectNode collection(Request r, String id) {
        ObjectNode c = Json.object();
        c.put("id", id);
        switch (id) {
            case AggregateSchema.HISTORY_TYPE -> {
                c.put("title", "Aggregates: every window");
                c.put(
                        "description",
                        "Statistics of each metric per zone (H3 cell, district, city) and"
                                + " event-time window; each window once, at its newest revision."
                                + " datetime filters on window_start.");
            }
            case AggregateSchema.LIVE_TYPE -> {
                c.put("title", "Aggregates: live layer");
                c.put(
                        "description",
                        "The newest window of each metric, zone and window length, updated"
                                + " within seconds.");
            }
            default -> {
                c.put("title", "Sensors");
                c.put(
                        "description",
                        "Each sensor's newest reading and status (active, or silent when not"
                                + " heard from recently). datetime filters on the reading time.");
            }
        }
        c.put("itemType", "feature");
        c.putArray("crs").add(CRS84);
        ObjectNode extent = c.putObject("extent");
        ObjectNode spatial = extent.putObject("spatial");
        spatial.putArray("bbox")
                .add(
                        Json.array()
                                .add(area.minLon())
                                .add(area.minLat())
                                .add(area.maxLon())
                                .add(area.maxLat()));
        spatial.put("crs", CRS84);
        ObjectNode temporal = extent.putObject("temporal");
        temporal.putArray("interval").add(Json.array().addNull().addNull());
        temporal.put("trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian");
        String base = r.baseUrl() + "/collections/" + id;
        ArrayNode links = c.putArray("links");
        links.add(Json.link(base, "self", "application/json", "this collection"));
        links.add(Json.link(base + "/items", "items", GEOJSON, "the items as GeoJSON"));
        links.add(Json.link(base + "/items?f=csv", "items", "text/csv", "the items as CSV"));
        return c;
    }

    /**
     * The store query of the items parameters, or null when the datetime matches nothing. Every
     * parameter is parsed before anything is decided, so a bad one is a 400 whatever the others.
     */
    static HistoryQuery query(Params p) {
        Params.BBox box = p.bbox();
        Params.Interval t = p.datetime();
        Metric metric = p.metric();
        ZoneKind kind = p.zoneKind();
        String zoneId = p.zoneId();
        String length = p.windowLength();
        HistoryQuery q = HistoryQuery.all();
        if (box != null) {
            q = q.bbox(box.minLon(), box.minLat(), box.maxLon(), box.maxLat());
        }
        if (t != null) {
            Instant from = t.startMillis();
            Instant to = t.endMillisExclusive();
            if (from != null && to != null && !from.isBefore(to)) {
                return null;
            }
            q = q.windowsStarting(from, to);
        }
        if (metric != null) {
            q = q.metric(metric);
        }
        if (kind != null) {
            q = q.zoneKind(kind);
        }
        if (zoneId != null) {
            q = q.zoneId(zoneId);
        }
        if (length != null) {
            q = q.windowLength(length);
        }
        return q;
    }

    /** The aggregates of a collection matching {@code q} (null: none). */
    List<StoredAggregate> aggregates(String collection, HistoryQuery q) throws IOException {
        if (q == null) {
            return List.of();
        }
        return collection.equals(AggregateSchema.LIVE_TYPE)
                ? live.query(q)
                : HistoryQueries.latest(history, AggregateSchema.HISTORY_TYPE, q);
    }

    /** One aggregate by feature id, or null; an id that cannot be one is simply not found. */
    private StoredAggregate aggregate(String collection, String featureId) throws IOException {
        boolean isLive = collection.equals(AggregateSchema.LIVE_TYPE);
        AggregateId id;
        try {
            id = isLive ? AggregateId.parseLive(featureId) : AggregateId.parseHistory(featureId);
        } catch (AggregateId.MalformedException e) {
            return null;
        }
        HistoryQuery q =
                HistoryQuery.all()
                        .metric(id.metric())
                        .zoneKind(id.zoneKind())
                        .zoneId(id.zoneId())
                        .windowLength(ZoneAggregate.windowLabel(id.windowLengthMillis()));
        if (id instanceof AggregateId.History window) {
            // Only a window start within the range datetime accepts names a window.
            Instant start = Instant.ofEpochMilli(window.windowStartMillis());
            if (start.isBefore(Params.EARLIEST) || start.isAfter(Params.LATEST)) {
                return null;
            }
            q = q.windowsStarting(start, start.plusMillis(1));
        }
        for (StoredAggregate a : aggregates(collection, q)) {
            if (a.id().equals(featureId)) {
                return a;
            }
        }
        return null;
    }

    private List<SensorState> sensors(Params p) {
        Params.BBox box = p.bbox();
        Params.Interval t = p.datetime();
        Metric metric = p.metric();
        String status = p.get("status");
        if (status != null && !status.equals("active") && !status.equals("silent")) {
            throw ApiException.invalidParameter(
                    "status", "expected active or silent, got '" + Params.echo(status) + "'");
        }
        long now = monitor.nowMillis();
        List<SensorState> out = new ArrayList<>();
        for (SensorState s : monitor.sensors()) {
            if ((box == null || box.contains(s.lon(), s.lat()))
                    && (t == null || t.contains(Instant.ofEpochMilli(s.tsMillis())))
                    && (metric == null || metric == s.metric())
                    && (status == null || status.equals(statusOf(s, now)))) {
                out.add(s);
            }
        }
        return out;
    }

    String statusOf(SensorState s, long now) {
        return monitor.isActive(s, now) ? "active" : "silent";
    }

    ObjectNode sensorFeature(SensorState s) {
        ObjectNode f = Json.object();
        f.put("type", "Feature");
        f.put("id", s.sensorId());
        ObjectNode g = f.putObject("geometry");
        g.put("type", "Point");
        g.putArray("coordinates").add(s.lon()).add(s.lat());
        ObjectNode p = f.putObject("properties");
        p.put("sensor_id", s.sensorId());
        p.put("metric", s.metric().id());
        Json.putNumber(p, "value", s.value());
        p.put("unit", s.metric().unit());
        p.put("ts", Json.time(s.tsMillis()));
        p.put("last_seen", Json.time(s.lastSeenMillis()));
        p.put("status", statusOf(s, monitor.nowMillis()));
        return f;
    }

    private List<Object> sensorRow(SensorState s) {
        return List.of(
                s.sensorId(),
                s.sensorId(),
                s.metric().id(),
                s.value(),
                s.metric().unit(),
                Json.time(s.tsMillis()),
                Json.time(s.lastSeenMillis()),
                statusOf(s, monitor.nowMillis()),
                "POINT (" + s.lon() + " " + s.lat() + ")");
    }

    /** Writes one page of {@code matched} as a GeoJSON FeatureCollection or CSV. */
    private <T> void page(
            Request r,
            String collection,
            String format,
            List<T> matched,
            Function<T, ObjectNode> toFeature,
            Function<T, List<Object>> toRow,
            List<String> header)
            throws IOException {
        Params p = r.params();
        int limit = p.limit();
        int offset = p.offset();
        int from = Math.min(offset, matched.size());
        int to = (int) Math.min((long) from + limit, matched.size());
        List<T> page = matched.subList(from, to);
        if (format.equals("csv")) {
            Csv csv = new Csv(header);
            page.forEach(item -> csv.row(toRow.apply(item)));
            r.csv(csv.toString());
            return;
        }
        ObjectNode body = Json.object();
        body.put("type", "FeatureCollection");
        ArrayNode list = body.putArray("features");
        page.forEach(item -> list.add(toFeature.apply(item)));
        body.put("numberMatched", matched.size());
        body.put("numberReturned", page.size());
        body.put("timeStamp", Json.time(Instant.ofEpochMilli(monitor.nowMillis())));
        String path = "/collections/" + collection + "/items";
        ArrayNode links = body.putArray("links");
        links.add(
                Json.link(r.link(path, paging(limit, offset, null)), "self", GEOJSON, "this page"));
        links.add(
                Json.link(
                        r.link(path, paging(limit, offset, "csv")),
                        "alternate",
                        "text/csv",
                        "this page as CSV"));
        if (to < matched.size()) {
            links.add(
                    Json.link(r.link(path, paging(limit, to, null)), "next", GEOJSON, "next page"));
        }
        if (offset > 0) {
            links.add(
                    Json.link(
                            r.link(path, paging(limit, Math.max(0, offset - limit), null)),
                            "prev",
                            GEOJSON,
                            "previous page"));
        }
        links.add(
                Json.link(
                        r.baseUrl() + "/collections/" + collection,
                        "collection",
                        "application/json",
                        "the collection"));
        r.geoJson(body);
    }

    /** Link parameter changes: GeoJSON unless {@code f} says otherwise, then limit and offset. */
    private static Map<String, String> paging(int limit, int offset, String f) {
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("f", f);
        changes.put("limit", Integer.toString(limit));
        changes.put("offset", Integer.toString(offset));
        return changes;
    }
}
