package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.locationtech.jts.geom.Envelope;
import org.smartcity.core.Metric;
import org.smartcity.core.RejectionReason;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.http.HttpErrors;
import org.smartcity.core.http.HttpService;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.dashboard.ReadingsMonitor.SensorState;
import org.smartcity.store.HistoryLayout;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoredAggregate;

/**
 * The page's own endpoints under {@code /api}: the time series of one zone, the live layer as
 * GeoJSON and as server-sent events, the pipeline's status, the page's configuration and the
 * district outlines. It reads the history and the live layer through their collections, and the
 * sensors through the {@link ReadingsMonitor}.
 */
final class DashboardApi {
    /** How far back {@code /api/timeseries} reaches without a {@code datetime}. */
    static final Duration DEFAULT_SERIES = Duration.ofHours(1);

    /**
     * Most points of a series whose window length is not given ({@link #defaultLength}): a chart a
     * few thousand pixels wide at most; a day of {@code 1m} windows (1,440) still fits.
     */
    static final int MAX_DEFAULT_POINTS = 1_500;

    private static final Set<String> LIVE_PARAMS =
            Set.of("metric", "zone_kind", "zone_id", "window_length");
    private static final Set<String> STREAM_PARAMS = Set.of("metric", "zone_kind", "window_length");
    private static final Set<String> SERIES_PARAMS =
            Set.of("metric", "zone_kind", "zone_id", "window_length", "datetime");

    private final DashboardConfig config;
    private final Zoning zoning;
    private final HistoryCollection history;
    private final LiveCollection live;
    private final LiveStream stream;
    private final ReadingsMonitor monitor;
    private final byte[] configJson;
    private final byte[] districtsJson;

    /**
     * @param history the history, or null when no store is configured
     * @param live the live layer, or null when none is configured
     */
    DashboardApi(
            DashboardConfig config,
            Zoning zoning,
            HistoryCollection history,
            LiveCollection live,
            LiveStream stream,
            ReadingsMonitor monitor) {
        this.config = config;
        this.zoning = zoning;
        this.history = history;
        this.live = live;
        this.stream = stream;
        this.monitor = monitor;
        this.configJson = Json.bytes(configDocument());
        this.districtsJson = Json.bytes(districtsDocument());
    }

    void addRoutes(JavalinConfig routes) {
        HttpService.get(routes, "/api/timeseries", this::timeseries);
        HttpService.get(routes, "/api/live", this::live);
        HttpService.get(routes, "/api/live/stream", this::liveStream);
        HttpService.get(routes, "/api/status", this::status);
        HttpService.get(routes, "/api/config", this::config);
        HttpService.get(routes, "/api/zones/districts", this::districts);
    }

    /** {@code /api/timeseries}: one zone's windows of one metric, oldest first. */
    private void timeseries(Context ctx) throws IOException {
        Params p = Params.of(ctx);
        p.requireOnly(SERIES_PARAMS, "/api/timeseries");
        if (history == null) {
            throw HttpErrors.unavailable("no history store is configured (--store-history)");
        }
        Metric metric = require(p, "metric", "one of " + Metric.ids()).metric();
        ZoneKind kind = require(p, "zone_kind", "h3, district or city").zoneKind();
        String zoneId = require(p, "zone_id", "a cell address, district code or city id").zoneId();
        String length = p.windowLength();
        Params.Interval t = p.datetime();
        if (t == null) {
            Instant now = Instant.ofEpochMilli(monitor.nowMillis());
            t = new Params.Interval(now.minus(DEFAULT_SERIES), now);
        }
        Instant from = t.startMillis();
        Instant to = t.endMillisExclusive();
        if (length == null) {
            length = defaultLength(config.windowLengths(), from, to);
        }
        HistoryQuery q = HistoryQuery.all().metric(metric).zoneKind(kind).zoneId(zoneId);
        q = q.windowLength(length);
        List<StoredAggregate> rows;
        if (from != null && to != null && !from.isBefore(to)) {
            rows = List.of();
        } else {
            rows = history.matching(q.windowsStarting(from, to));
        }
        ObjectNode body = Json.object();
        body.put("metric", metric.id());
        body.put("zoneKind", kind.id());
        body.put("zoneId", zoneId);
        body.put("windowLength", length);
        body.put("unit", metric.unit());
        ArrayNode points = body.putArray("points");
        for (StoredAggregate s : rows) {
            ZoneAggregate a = s.aggregate();
            ObjectNode point = points.addObject();
            point.put("t", Json.time(a.windowStartMillis()));
            point.put("count", a.count());
            Json.putNumber(point, "mean", a.mean());
            Json.putNumber(point, "min", a.min());
            Json.putNumber(point, "max", a.max());
            Json.putNumber(point, "sum", a.sum());
            Json.putNumber(point, "p50", a.p50());
            Json.putNumber(point, "p95", a.p95());
            point.put("revision", a.revision());
        }
        FeaturesApi.json(ctx, body);
    }

    /**
     * The window length of a series asked for without {@code window_length}: the shortest
     * configured length that gives at most {@value #MAX_DEFAULT_POINTS} windows over {@code [from,
     * to)}, else the longest. A year of {@code 1m} windows is 525,600 points, read from every file
     * of the year; of {@code 1h}, 8,760; a chart shows a few hundred. The response names the length
     * chosen ({@code windowLength}), and a {@code window_length} given is always the one used. An
     * interval open at either end gets the shortest.
     *
     * @param lengths the configured lengths, shortest first
     */
    static String defaultLength(List<String> lengths, Instant from, Instant to) {
        if (from == null || to == null) {
            return lengths.get(0);
        }
        long span = Duration.between(from, to).toMillis();
        for (String length : lengths) {
            if (span / HistoryLayout.lengthMillis(length) <= MAX_DEFAULT_POINTS) {
                return length;
            }
        }
        return lengths.get(lengths.size() - 1);
    }

    private static Params require(Params p, String name, String expected) {
        if (p.get(name) == null) {
            throw HttpErrors.missingParameter(name, expected);
        }
        return p;
    }

    /** {@code /api/live}: the live layer as a GeoJSON FeatureCollection. */
    private void live(Context ctx) throws IOException {
        Params p = Params.of(ctx);
        p.requireOnly(LIVE_PARAMS, "/api/live");
        requireLive();
        HistoryQuery q = AggregateCollection.storeQuery(p);
        List<StoredAggregate> all = q == null ? List.of() : live.matching(q);
        ObjectNode body = Json.object();
        body.put("type", "FeatureCollection");
        ArrayNode list = body.putArray("features");
        all.forEach(a -> list.add(live.feature(a)));
        body.put("numberReturned", all.size());
        body.put("timeStamp", Json.time(Instant.ofEpochMilli(monitor.nowMillis())));
        HttpService.send(ctx, 200, FeaturesApi.GEOJSON, Json.bytes(body));
    }

    /**
     * {@code /api/live/stream}: server-sent events; holds the request's thread. A HEAD gets the
     * headers only.
     */
    private void liveStream(Context ctx) throws IOException {
        Params p = Params.of(ctx);
        p.requireOnly(STREAM_PARAMS, "/api/live/stream");
        requireLive();
        Metric metric = p.metric();
        ZoneKind kind = p.zoneKind();
        LiveStream.Filter filter =
                new LiveStream.Filter(
                        metric == null ? null : metric.id(),
                        kind == null ? null : kind.id(),
                        p.windowLength());
        stream.checkAdmission();
        ctx.header("Cache-Control", "no-cache");
        // nginx buffers responses unless told not to; events would arrive in bursts.
        ctx.header("X-Accel-Buffering", "no");
        if (ctx.method() == io.javalin.http.HandlerType.HEAD) {
            HttpService.send(ctx, 200, LiveStream.CONTENT_TYPE, new byte[0]);
            return;
        }
        HttpService.startStream(ctx, LiveStream.CONTENT_TYPE);
        stream.serve(ctx.res().getOutputStream(), filter);
    }

    private void requireLive() {
        if (live == null) {
            throw HttpErrors.unavailable(
                    "no live layer is configured (--store-live-catalog is none)");
        }
    }

    private void status(Context ctx) throws IOException {
        Params.of(ctx).requireOnly(Set.of(), "/api/status");
        FeaturesApi.json(ctx, statusDocument(monitor));
    }

    /** The pipeline's status: {@code /api/status} and the stream's {@code status} events. */
    static ObjectNode statusDocument(ReadingsMonitor monitor) {
        ReadingsMonitor.Status s = monitor.status();
        ObjectNode body = Json.object();
        ObjectNode byReason = body.putObject("rejectedByReason");
        for (Map.Entry<RejectionReason, Long> e : s.rejectedByReason().entrySet()) {
            byReason.put(e.getKey().name(), e.getValue());
        }
        body.put("rejectedTotal", s.rejectedTotal());
        body.put("readingsPerMinute", s.readingsPerMinute());
        ObjectNode sensors = body.putObject("sensors");
        sensors.put("total", s.sensorsTotal());
        sensors.put("active", s.sensorsActive());
        ArrayNode silent = sensors.putArray("silent");
        for (SensorState sensor : s.silent()) {
            ObjectNode entry = silent.addObject();
            entry.put("sensorId", sensor.sensorId());
            entry.put("metric", sensor.metric().id());
            entry.put("lastSeen", Json.time(sensor.lastSeenMillis()));
        }
        body.put("silentAfterSeconds", monitor.silentAfter().toSeconds());
        return body;
    }

    private void config(Context ctx) throws IOException {
        Params.of(ctx).requireOnly(Set.of(), "/api/config");
        HttpService.send(ctx, 200, "application/json", configJson);
    }

    private ObjectNode configDocument() {
        ObjectNode body = Json.object();
        body.put("city", zoning.city().id());
        // The map's view: the city's outline (the districts, or else the configured box).
        Envelope e = zoning.geometry(ZoneKind.CITY, zoning.city().id()).getEnvelopeInternal();
        body.putArray("bbox").add(e.getMinX()).add(e.getMinY()).add(e.getMaxX()).add(e.getMaxY());
        body.putArray("center")
                .add((e.getMinX() + e.getMaxX()) / 2)
                .add((e.getMinY() + e.getMaxY()) / 2);
        if (config.tileUrl() == null) {
            body.putNull("tileUrl");
        } else {
            body.put("tileUrl", config.tileUrl());
        }
        ArrayNode metrics = body.putArray("metrics");
        for (Metric m : Metric.values()) {
            ObjectNode entry = metrics.addObject();
            entry.put("id", m.id());
            entry.put("unit", m.unit());
            entry.put("aggregation", m.aggregation().name().toLowerCase(Locale.ROOT));
            ArrayNode thresholds = entry.putArray("thresholds");
            for (Guidelines.Threshold t : Guidelines.of(m)) {
                thresholds.addObject().put("value", t.value()).put("label", t.label());
            }
        }
        ArrayNode kinds = body.putArray("zoneKinds");
        for (ZoneKind k : ZoneKind.values()) {
            kinds.add(k.id());
        }
        ArrayNode lengths = body.putArray("windowLengths");
        config.windowLengths().forEach(lengths::add);
        // How the page names, formats and colours each metric: its only source of these.
        ObjectNode display = body.putObject("display");
        for (Metric m : Metric.values()) {
            Guidelines.Display d = Guidelines.display(m);
            ObjectNode entry = display.putObject(m.id());
            entry.put("label", d.label());
            entry.put("unitLabel", d.unitLabel());
            entry.put("decimals", d.decimals());
            entry.put("value", Guidelines.valueProperty(m.aggregation()));
            entry.put("valueLabel", Guidelines.valueLabel(m.aggregation()));
            entry.put("zeroBaseline", d.zeroBaseline());
            if (d.colourRange() == null) {
                entry.putNull("colourRange");
            } else {
                entry.putArray("colourRange").add(d.colourRange().min()).add(d.colourRange().max());
            }
            ArrayNode breakpoints = entry.putArray("aqiBreakpoints");
            Guidelines.aqiBreakpoints(m).forEach(breakpoints::add);
        }
        ObjectNode aqi = body.putObject("aqi");
        aqi.put("source", Guidelines.AQI_SOURCE);
        ArrayNode levels = aqi.putArray("levels");
        for (Guidelines.AqiLevel level : Guidelines.AQI_LEVELS) {
            levels.addObject()
                    .put("name", level.name())
                    .put("nameZh", level.nameZh())
                    .put("colour", level.colour());
        }
        return body;
    }

    private void districts(Context ctx) throws IOException {
        Params.of(ctx).requireOnly(Set.of(), "/api/zones/districts");
        HttpService.send(ctx, 200, FeaturesApi.GEOJSON, districtsJson);
    }

    private ObjectNode districtsDocument() {
        ObjectNode body = Json.object();
        body.put("type", "FeatureCollection");
        zoning.districtsNote().ifPresent(note -> body.put("note", note));
        ArrayNode list = body.putArray("features");
        for (Zone d : zoning.districts()) {
            ObjectNode f = list.addObject();
            f.put("type", "Feature");
            f.put("id", d.id());
            f.set("geometry", Json.geometry(zoning.geometry(d)));
            ObjectNode p = f.putObject("properties");
            p.put("zone_kind", d.kind().id());
            p.put("zone_id", d.id());
            p.put("zone_name", d.name());
        }
        return body;
    }
}
