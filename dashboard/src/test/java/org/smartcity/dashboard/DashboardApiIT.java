package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.smartcity.dashboard.TestStores.aggregate;
import static org.smartcity.dashboard.TestStores.reading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.geotools.api.data.DataStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.RejectionReason;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;

/**
 * Every endpoint of a running {@link DashboardServer} against real stores: GeoMesa's FileSystem
 * store (Parquet in a temporary directory) for the history, GeoMesa's Kafka DataStore for the live
 * layer, and the readings and dead-letter topics, all on one embedded Kafka broker. The aggregates,
 * readings and rejections are written here, and every answer is compared with what was written.
 */
class DashboardApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Zoning ZONING = Zoning.kunming();
    static final String WUHUA = "530102";
    private static final String PANLONG = "530103";
    static final String CELL = ZONING.cell(25.04, 102.70).id();
    private static final String CATALOG = "it-live";
    private static final Instant NOW = Instant.now();

    private static final Instant UPDATED_1 = Instant.parse("2026-11-24T05:16:00Z");
    private static final Instant UPDATED_2 = Instant.parse("2026-11-24T05:40:00Z");

    // History: window 05:00 of Wuhua written at revision 1, then corrected to revision 2.
    private static final ZoneAggregate W1_R1 = pm25(ZoneKind.DISTRICT, WUHUA, "05:00", 15, 1);
    static final ZoneAggregate W1_R2 = pm25(ZoneKind.DISTRICT, WUHUA, "05:00", 15, 2);
    private static final ZoneAggregate W2 = pm25(ZoneKind.DISTRICT, WUHUA, "05:15", 15, 1);
    private static final ZoneAggregate C1 = pm25(ZoneKind.H3, CELL, "05:00", 15, 1);
    private static final ZoneAggregate K1 = pm25(ZoneKind.CITY, "kunming", "05:00", 60, 1);
    private static final ZoneAggregate P1 =
            aggregate(Metric.NO2, ZoneKind.DISTRICT, PANLONG, at("05:00"), 15, 1);
    private static final ZoneAggregate N1 =
            aggregate(Metric.NOISE, ZoneKind.DISTRICT, WUHUA, at("05:00"), 1, 1);
    private static final Instant MINUTE = NOW.truncatedTo(ChronoUnit.MINUTES);
    private static final List<ZoneAggregate> RECENT =
            List.of(
                    aggregate(
                            Metric.PM10,
                            ZoneKind.DISTRICT,
                            WUHUA,
                            MINUTE.minus(90, ChronoUnit.MINUTES),
                            1,
                            1),
                    aggregate(
                            Metric.PM10,
                            ZoneKind.DISTRICT,
                            WUHUA,
                            MINUTE.minus(30, ChronoUnit.MINUTES),
                            1,
                            1),
                    aggregate(
                            Metric.PM10,
                            ZoneKind.DISTRICT,
                            WUHUA,
                            MINUTE.minus(2, ChronoUnit.MINUTES),
                            1,
                            1));

    /** What a query of the whole history must return: the newest revisions, in window order. */
    private static final List<ZoneAggregate> HISTORY =
            sorted(W1_R2, W2, C1, K1, P1, N1, RECENT.get(0), RECENT.get(1), RECENT.get(2));

    // Live layer: Wuhua's 15-minute window at revision 1 before the dashboard starts, 2 after.
    private static final ZoneAggregate L1_R1 = pm25(ZoneKind.DISTRICT, WUHUA, "05:15", 15, 1);
    private static final ZoneAggregate L1_R2 = pm25(ZoneKind.DISTRICT, WUHUA, "05:15", 15, 2);
    static final ZoneAggregate L2 = pm25(ZoneKind.H3, CELL, "05:15", 15, 1);
    private static final ZoneAggregate L3 = pm25(ZoneKind.CITY, "kunming", "05:00", 60, 1);
    private static final Instant LIVE_UPDATED = Instant.parse("2026-11-24T05:31:00Z");

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir static Path dir;

    /** The broker of the running set-up: this class's, or {@link DashboardHttpFuzzIT}'s. */
    private static KafkaBrokerExtension kafka;

    private static DataStore liveWriter;
    static DashboardServer server;
    static String base;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        start(KAFKA, dir);
    }

    /** Also the set-up of {@link DashboardHttpFuzzIT}, with its own broker and directory. */
    static void start(KafkaBrokerExtension broker, Path directory) throws Exception {
        kafka = broker;
        dir = directory;
        TestStores.createReadingTopics(kafka.bootstrapServers());
        // Before the lookback: a restarted dashboard must not count these.
        Instant old = NOW.minus(2, ChronoUnit.HOURS);
        produceReading(reading("km-pm25-0009", Metric.PM25, old, 25.0, 102.7, 12), old);
        produceRejection(RejectionReason.OVERSIZED, old);

        StoreConfig history = StoreConfig.FileSystem.parquet(dir.resolve("history").toString());
        TestStores.writeHistory(history, UPDATED_1, List.of(W1_R1, W2, C1, K1, P1, N1));
        TestStores.writeHistory(history, UPDATED_1, RECENT);
        TestStores.writeHistory(history, UPDATED_2, List.of(W1_R2));

        StoreConfig live = StoreConfig.Kafka.local(kafka.bootstrapServers(), CATALOG);
        liveWriter =
                DataStores.openWithSchema(
                        live, StoreConfig.Access.WRITE, AggregateSchema.LIVE_TYPE);
        writeLive(L1_R1, L2, L3);

        server =
                DashboardServer.start(
                        DashboardConfig.fromFlags(
                                "--http-port",
                                "0",
                                "--kafka-bootstrap",
                                kafka.bootstrapServers(),
                                "--store-history",
                                dir.resolve("history").toString(),
                                "--store-live-catalog",
                                CATALOG));
        base = "http://localhost:" + server.port();
        writeLive(L1_R2);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (liveWriter != null) {
            liveWriter.dispose();
        }
    }

    // ---------------------------------------------------------------- OGC API - Features

    @Test
    void landingPageConformanceAndCollections() throws Exception {
        for (HttpResponse<String> landing :
                List.of(get("/?f=json"), get("/", "Accept", "application/json"))) {
            assertThat(landing.statusCode()).isEqualTo(200);
            assertThat(type(landing)).isEqualTo("application/json");
            JsonNode body = json(landing);
            Map<String, String> links = new LinkedHashMap<>();
            body.get("links")
                    .forEach(l -> links.put(l.get("rel").asText(), l.get("href").asText()));
            assertThat(links)
                    .containsExactly(
                            Map.entry("self", base + "/?f=json"),
                            Map.entry("alternate", base + "/"),
                            Map.entry("conformance", base + "/conformance"),
                            Map.entry("data", base + "/collections"),
                            Map.entry("service-desc", base + "/api"));
        }
        HttpResponse<String> page = get("/", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(type(page)).isEqualTo("text/html; charset=utf-8");
        assertThat(page.body()).containsIgnoringCase("<html");

        JsonNode conformance = json(get("/conformance"));
        assertThat(texts(conformance.get("conformsTo")))
                .containsExactly(
                        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");

        JsonNode collections = json(get("/collections"));
        List<String> ids = new ArrayList<>();
        collections.get("collections").forEach(c -> ids.add(c.get("id").asText()));
        assertThat(ids)
                .containsExactly("city_aggregates", "city_live", "sensors", "alerts", "indicators");

        JsonNode one = json(get("/collections/city_aggregates"));
        assertThat(one.get("id").asText()).isEqualTo("city_aggregates");
        assertThat(one.at("/extent/spatial/bbox/0").toString())
                .isEqualTo("[102.17,24.38,103.67,26.37]");
        assertThat(one.get("links").toString())
                .contains(
                        "{\"href\":\""
                                + base
                                + "/collections/city_aggregates/items\",\"rel\":\"items\",\"type\":\"application/geo+json\"");

        assertError(
                get("/collections/city_parking"), 404, "NotFound", "no collection 'city_parking'");
    }

    @Test
    void historyItemsShowEachWindowOnceAtItsNewestRevision() throws Exception {
        HttpResponse<String> response = get("/collections/city_aggregates/items");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(type(response)).isEqualTo("application/geo+json");
        JsonNode body = json(response);
        assertThat(body.get("type").asText()).isEqualTo("FeatureCollection");
        assertThat(body.get("numberMatched").asInt()).isEqualTo(HISTORY.size());
        assertThat(body.get("numberReturned").asInt()).isEqualTo(HISTORY.size());
        assertThat(Instant.parse(body.get("timeStamp").asText())).isAfter(NOW.minusSeconds(1));
        assertThat(ids(body)).containsExactlyElementsOf(historyIds(HISTORY));

        JsonNode corrected = feature(body, W1_R2.featureId());
        assertAggregateFeature(
                corrected, W1_R2.featureId(), W1_R2, UPDATED_2, "Wuhua District 五华区");
        assertAggregateFeature(feature(body, C1.featureId()), C1.featureId(), C1, UPDATED_1, CELL);
        assertAggregateFeature(
                feature(body, K1.featureId()), K1.featureId(), K1, UPDATED_1, "kunming");
        assertThat(corrected.get("geometry"))
                .isEqualTo(JSON.readTree(geoJson(ZONING.geometry(ZoneKind.DISTRICT, WUHUA))));
    }

    @Test
    void historyItemsArePagedWithNextAndPrevLinks() throws Exception {
        List<String> all = historyIds(HISTORY);
        JsonNode first = json(get("/collections/city_aggregates/items?metric=pm25&limit=2"));
        List<ZoneAggregate> pm25 = HISTORY.stream().filter(a -> a.metric() == Metric.PM25).toList();
        assertThat(first.get("numberMatched").asInt()).isEqualTo(pm25.size()).isEqualTo(4);
        assertThat(first.get("numberReturned").asInt()).isEqualTo(2);
        assertThat(ids(first)).containsExactlyElementsOf(historyIds(pm25.subList(0, 2)));
        String items = base + "/collections/city_aggregates/items";
        assertThat(link(first, "self")).isEqualTo(items + "?metric=pm25&limit=2&offset=0");
        assertThat(link(first, "alternate"))
                .isEqualTo(items + "?metric=pm25&f=csv&limit=2&offset=0");
        assertThat(link(first, "next")).isEqualTo(items + "?metric=pm25&limit=2&offset=2");
        assertThat(link(first, "prev")).isNull();

        JsonNode second = json(getAbsolute(link(first, "next")));
        assertThat(ids(second)).containsExactlyElementsOf(historyIds(pm25.subList(2, 4)));
        assertThat(link(second, "next")).isNull();
        assertThat(link(second, "prev")).isEqualTo(items + "?metric=pm25&limit=2&offset=0");

        JsonNode middle = json(get("/collections/city_aggregates/items?limit=3&offset=4"));
        assertThat(ids(middle)).containsExactlyElementsOf(all.subList(4, 7));
        assertThat(link(middle, "next")).isEqualTo(items + "?limit=3&offset=7");
        assertThat(link(middle, "prev")).isEqualTo(items + "?limit=3&offset=1");

        JsonNode beyond = json(get("/collections/city_aggregates/items?offset=50"));
        assertThat(beyond.get("numberMatched").asInt()).isEqualTo(all.size());
        assertThat(beyond.get("numberReturned").asInt()).isZero();
    }

    @Test
    void historyItemsAreFilteredByEveryParameter() throws Exception {
        Map<String, List<ZoneAggregate>> cases = new LinkedHashMap<>();
        cases.put("metric=no2", List.of(P1));
        cases.put("zone_kind=h3", List.of(C1));
        cases.put("zone_id=" + PANLONG, List.of(P1));
        cases.put("window_length=1h", List.of(K1));
        cases.put("metric=pm25&zone_kind=district", List.of(W1_R2, W2));
        cases.put("datetime=2026-11-24T05:15:00Z", List.of(W2));
        cases.put(
                "datetime=2026-11-24T05:00:00Z/2026-11-24T05:15:00Z",
                sorted(W1_R2, W2, C1, K1, P1, N1));
        cases.put("datetime=../2026-11-24T05:14:59Z", sorted(W1_R2, C1, K1, P1, N1));
        cases.put(
                "datetime=2026-11-24T05:00:01Z/..",
                sorted(W2, RECENT.get(0), RECENT.get(1), RECENT.get(2)));
        cases.put("datetime=2026-11-24T13:15:00%2B08:00", List.of(W2));
        // A small box around Wuhua's seat: every zone whose polygon reaches into it.
        Envelope box = new Envelope(102.699, 102.701, 25.039, 25.041);
        cases.put(
                "bbox=102.699,25.039,102.701,25.041",
                HISTORY.stream()
                        .filter(
                                a ->
                                        ZONING.geometry(a.zoneKind(), a.zoneId())
                                                .intersects(new GeometryFactory().toGeometry(box)))
                        .toList());
        for (Map.Entry<String, List<ZoneAggregate>> c : cases.entrySet()) {
            JsonNode body = json(get("/collections/city_aggregates/items?" + c.getKey()));
            assertThat(ids(body))
                    .as(c.getKey())
                    .containsExactlyElementsOf(historyIds(c.getValue()));
            assertThat(body.get("numberMatched").asInt())
                    .as(c.getKey())
                    .isEqualTo(c.getValue().size());
        }
        assertThat(cases.get("bbox=102.699,25.039,102.701,25.041"))
                .as("the box misses Panlong only")
                .hasSize(HISTORY.size() - 1)
                .doesNotContain(P1);
    }

    @Test
    void historyItemsAsCsv() throws Exception {
        HttpResponse<String> response = get("/collections/city_aggregates/items?metric=no2&f=csv");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(type(response)).isEqualTo("text/csv; charset=utf-8");
        String wkt = ZONING.geometry(ZoneKind.DISTRICT, PANLONG).toText();
        assertThat(response.body())
                .isEqualTo(
                        "id,metric,zone_kind,zone_id,zone_name,window_start,window_end,window_length,"
                                + "count,distinct_sensors,mean,min,max,sum,p50,p95,revision,unit,updated,geometry\r\n"
                                + String.join(
                                        ",",
                                        P1.featureId(),
                                        "no2",
                                        "district",
                                        PANLONG,
                                        "Panlong District 盘龙区",
                                        "2026-11-24T05:00:00Z",
                                        "2026-11-24T05:15:00Z",
                                        "15m",
                                        Long.toString(P1.count()),
                                        Long.toString(P1.distinctSensors()),
                                        Double.toString(P1.mean()),
                                        Double.toString(P1.min()),
                                        Double.toString(P1.max()),
                                        Double.toString(P1.sum()),
                                        Double.toString(P1.p50()),
                                        Double.toString(P1.p95()),
                                        "1",
                                        "ug/m3",
                                        "2026-11-24T05:16:00Z",
                                        '"' + wkt + '"')
                                + "\r\n");
        assertThat(wkt).startsWith("POLYGON ((");

        String page = get("/collections/city_aggregates/items?f=csv&limit=2&offset=1").body();
        String[] lines = page.split("\r\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[1]).startsWith(HISTORY.get(1).featureId() + ",");
        assertThat(lines[2]).startsWith(HISTORY.get(2).featureId() + ",");
    }

    @Test
    void oneFeatureById() throws Exception {
        HttpResponse<String> response =
                get("/collections/city_aggregates/items/" + encode(W1_R2.featureId()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(type(response)).isEqualTo("application/geo+json");
        assertAggregateFeature(
                json(response), W1_R2.featureId(), W1_R2, UPDATED_2, "Wuhua District 五华区");

        String missing = "pm25|district|530102|1795496400001|15m";
        assertError(
                get("/collections/city_aggregates/items/" + encode(missing)),
                404,
                "NotFound",
                "no feature '" + missing + "' in collection city_aggregates");
        assertError(
                get("/collections/city_aggregates/items/garbage"),
                404,
                "NotFound",
                "no feature 'garbage' in collection city_aggregates");

        String liveId = AggregateSchema.liveId(L2);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                get("/collections/city_live/items/"
                                                                + encode(liveId))
                                                        .statusCode())
                                        .isEqualTo(200));
        assertAggregateFeature(
                json(get("/collections/city_live/items/" + encode(liveId))),
                liveId,
                L2,
                LIVE_UPDATED,
                CELL);
    }

    @Test
    void badParametersAre400sNamingTheParameter() throws Exception {
        String items = "/collections/city_aggregates/items?";
        assertError(get(items + "bbox=1,2,3"), 400, "InvalidParameterValue", "bbox: ");
        assertError(
                get(items + "bbox=102.8,25,102.6,25.1"), 400, "InvalidParameterValue", "bbox: ");
        assertError(get(items + "datetime=today"), 400, "InvalidParameterValue", "datetime: ");
        assertError(get(items + "limit=0"), 400, "InvalidParameterValue", "limit: ");
        assertError(get(items + "limit=many"), 400, "InvalidParameterValue", "limit: ");
        assertError(get(items + "offset=-1"), 400, "InvalidParameterValue", "offset: ");
        assertError(get(items + "metric=pm1"), 400, "InvalidParameterValue", "metric: ");
        assertError(get(items + "zone_kind=county"), 400, "InvalidParameterValue", "zone_kind: ");
        assertError(
                get(items + "window_length=soon"), 400, "InvalidParameterValue", "window_length: ");
        assertError(get(items + "f=xml"), 400, "InvalidParameterValue", "f: ");
        assertError(
                get(items + "colour=red"),
                400,
                "InvalidParameterValue",
                "colour: unknown parameter");
        assertError(
                get("/collections/sensors/items?zone_kind=h3"),
                400,
                "InvalidParameterValue",
                "zone_kind: unknown parameter for collection sensors");
        assertError(get("/?f=xml"), 400, "InvalidParameterValue", "f: ");
        assertError(get("/api/live?metric=pm1"), 400, "InvalidParameterValue", "metric: ");
        assertError(
                get("/api/live/stream?zone_kind=x"), 400, "InvalidParameterValue", "zone_kind: ");
        assertError(get("/no/such/thing"), 404, "NotFound", "nothing at /no/such/thing");
        assertError(get("/webjars/leaflet/9.9.9/dist/leaflet.js"), 404, "NotFound", "no file at");

        HttpResponse<String> post =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/collections"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertError(post, 405, "MethodNotAllowed", "method POST is not allowed");
    }

    // ---------------------------------------------------------------- /api

    @Test
    void timeSeriesOfOneZone() throws Exception {
        JsonNode series =
                json(
                        get(
                                "/api/timeseries?metric=pm25&zone_kind=district&zone_id=530102&window_length=15m"
                                        + "&datetime=2026-11-24T05:00:00Z/2026-11-24T06:00:00Z"));
        assertThat(series.get("metric").asText()).isEqualTo("pm25");
        assertThat(series.get("zoneKind").asText()).isEqualTo("district");
        assertThat(series.get("zoneId").asText()).isEqualTo(WUHUA);
        assertThat(series.get("windowLength").asText()).isEqualTo("15m");
        assertThat(series.get("unit").asText()).isEqualTo("ug/m3");
        assertThat(series.get("points")).hasSize(2);
        assertPoint(series.get("points").get(0), W1_R2);
        assertPoint(series.get("points").get(1), W2);

        // Without datetime: the last hour, which holds two of the three recent windows; without
        // window_length: the shortest configured, 1m.
        for (String q :
                List.of(
                        "metric=pm10&zone_kind=district&zone_id=530102&window_length=1m",
                        "metric=pm10&zone_kind=district&zone_id=530102")) {
            JsonNode recent = json(get("/api/timeseries?" + q));
            assertThat(recent.get("windowLength").asText()).isEqualTo("1m");
            assertThat(recent.get("points")).hasSize(2);
            assertPoint(recent.get("points").get(0), RECENT.get(1));
            assertPoint(recent.get("points").get(1), RECENT.get(2));
        }

        assertError(
                get("/api/timeseries?metric=pm25&zone_kind=district"),
                400,
                "InvalidParameterValue",
                "zone_id: required");
        assertError(
                get("/api/timeseries?zone_kind=district&zone_id=1"),
                400,
                "InvalidParameterValue",
                "metric: required");
        assertError(
                get("/api/timeseries?metric=dust&zone_kind=district&zone_id=1"),
                400,
                "InvalidParameterValue",
                "metric: unknown metric 'dust'");
        assertError(
                get("/api/timeseries?metric=pm25&zone_kind=district&zone_id=1&datetime=x"),
                400,
                "InvalidParameterValue",
                "datetime: ");
    }

    @Test
    void theLiveLayerAsGeoJsonAndAsItems() throws Exception {
        List<String> expected =
                List.of(
                        AggregateSchema.liveId(L3),
                        AggregateSchema.liveId(L1_R2),
                        AggregateSchema.liveId(L2));
        // Revision 2 of Wuhua's window was written after the dashboard started.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            JsonNode live = json(get("/api/live?metric=pm25"));
                            assertThat(ids(live)).containsExactlyElementsOf(expected);
                            assertThat(
                                            feature(live, expected.get(1))
                                                    .at("/properties/revision")
                                                    .asInt())
                                    .isEqualTo(2);
                        });
        HttpResponse<String> response = get("/api/live?metric=pm25");
        assertThat(type(response)).isEqualTo("application/geo+json");
        JsonNode live = json(response);
        assertAggregateFeature(
                feature(live, expected.get(1)),
                expected.get(1),
                L1_R2,
                LIVE_UPDATED,
                "Wuhua District 五华区");
        assertThat(ids(json(get("/api/live?metric=pm25&zone_kind=h3"))))
                .containsExactly(AggregateSchema.liveId(L2));
        assertThat(ids(json(get("/api/live?metric=pm25&window_length=1h"))))
                .containsExactly(AggregateSchema.liveId(L3));

        JsonNode items = json(get("/collections/city_live/items?metric=pm25&limit=2"));
        assertThat(items.get("numberMatched").asInt()).isEqualTo(3);
        assertThat(ids(items)).containsExactlyElementsOf(expected.subList(0, 2));
        assertThat(link(items, "next"))
                .isEqualTo(base + "/collections/city_live/items?metric=pm25&limit=2&offset=2");
    }

    @Test
    void theLiveStreamSendsEveryChangeToTheClientsThatWantIt() throws Exception {
        try (SseClient all = new SseClient("/api/live/stream");
                SseClient humidity = new SseClient("/api/live/stream?metric=humidity");
                SseClient cells = new SseClient("/api/live/stream?metric=pm25&zone_kind=h3")) {
            ZoneAggregate h =
                    aggregate(Metric.HUMIDITY, ZoneKind.DISTRICT, PANLONG, at("05:15"), 15, 1);
            writeLive(h);
            String hid = AggregateSchema.liveId(h);
            for (SseClient c : List.of(all, humidity)) {
                JsonNode event = c.next("aggregate");
                assertAggregateFeature(event, hid, h, LIVE_UPDATED, "Panlong District 盘龙区");
            }
            // The cells client did not get the humidity change: its first event is this one.
            ZoneAggregate cell2 = pm25(ZoneKind.H3, CELL, "05:30", 15, 1);
            writeLive(cell2);
            assertThat(cells.next("aggregate").get("id").asText())
                    .isEqualTo(AggregateSchema.liveId(cell2));
            assertThat(all.next("aggregate").get("id").asText())
                    .isEqualTo(AggregateSchema.liveId(cell2));

            JsonNode status = all.next("status");
            assertThat(status.get("rejectedByReason")).hasSize(RejectionReason.values().length);
            assertThat(status.get("silentAfterSeconds").asInt()).isEqualTo(120);
            assertThat(server.scrape()).contains("dashboard_sse_clients 3.0");
        }
    }

    @Test
    void statusAndSensorsFromTheReadingsTopics() throws Exception {
        Instant t = Instant.now();
        Reading silent = reading("km-no2-0002", Metric.NO2, t.minusSeconds(300), 25.06, 102.72, 20);
        Reading pm25 = reading("km-pm25-0001", Metric.PM25, t.minusSeconds(4), 25.04, 102.70, 38.5);
        Reading noise =
                reading("km-noise-0003", Metric.NOISE, t.minusSeconds(2), 24.886, 102.822, 61.25);
        // A backlog reading of km-pm25-0001: older event time, received last.
        Reading backlog =
                reading("km-pm25-0001", Metric.PM25, t.minusSeconds(3600), 25.04, 102.70, 99);
        produceRejection(RejectionReason.MALFORMED, t.minusSeconds(600));
        produceRejection(RejectionReason.MALFORMED, t.minusSeconds(590));
        produceReading(silent, t.minusSeconds(300));
        produceRejection(RejectionReason.OUT_OF_RANGE, t.minusSeconds(30));
        produceReading(pm25, t.minusSeconds(3));
        produceReading(noise, t.minusSeconds(2));
        produceReading(backlog, t.minusSeconds(1));

        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(
                        () -> {
                            JsonNode s = json(get("/api/status"));
                            assertThat(s.get("readingsPerMinute").asInt()).isEqualTo(3);
                            assertThat(s.get("rejectedTotal").asInt()).isEqualTo(3);
                        });
        JsonNode s = json(get("/api/status"));
        Map<String, Integer> byReason = new LinkedHashMap<>();
        for (RejectionReason r : RejectionReason.values()) {
            byReason.put(
                    r.name(),
                    r == RejectionReason.MALFORMED ? 2 : r == RejectionReason.OUT_OF_RANGE ? 1 : 0);
        }
        assertThat(JSON.convertValue(s.get("rejectedByReason"), Map.class)).isEqualTo(byReason);
        assertThat(s.at("/sensors/total").asInt())
                .as("km-pm25-0009 is older than an hour")
                .isEqualTo(3);
        assertThat(s.at("/sensors/active").asInt()).isEqualTo(2);
        assertThat(s.at("/sensors/silent").toString())
                .isEqualTo(
                        "[{\"sensorId\":\"km-no2-0002\",\"metric\":\"no2\",\"lastSeen\":\""
                                + ms(t.minusSeconds(300))
                                + "\"}]");
        assertThat(s.get("silentAfterSeconds").asInt()).isEqualTo(120);

        JsonNode sensors = json(get("/collections/sensors/items"));
        assertThat(ids(sensors)).containsExactly("km-no2-0002", "km-noise-0003", "km-pm25-0001");
        JsonNode p = feature(sensors, "km-pm25-0001");
        assertThat(p.get("geometry").toString())
                .isEqualTo("{\"type\":\"Point\",\"coordinates\":[102.7,25.04]}");
        assertThat(p.get("properties").toString())
                .isEqualTo(
                        "{\"sensor_id\":\"km-pm25-0001\",\"metric\":\"pm25\",\"value\":38.5,\"unit\":\"ug/m3\","
                                + "\"ts\":\""
                                + ms(t.minusSeconds(4))
                                + "\",\"last_seen\":\""
                                + ms(t.minusSeconds(1))
                                + "\",\"status\":\"active\"}");
        assertThat(ids(json(get("/collections/sensors/items?status=silent"))))
                .containsExactly("km-no2-0002");
        assertThat(ids(json(get("/collections/sensors/items?metric=noise"))))
                .containsExactly("km-noise-0003");
        assertThat(ids(json(get("/collections/sensors/items?bbox=102.8,24.8,102.9,24.9"))))
                .containsExactly("km-noise-0003");
        assertThat(
                        ids(
                                json(
                                        get(
                                                "/collections/sensors/items?datetime=../"
                                                        + ms(t.minusSeconds(5))))))
                .containsExactly("km-no2-0002");
        assertThat(get("/collections/sensors/items?f=csv&metric=noise").body())
                .isEqualTo(
                        "id,sensor_id,metric,value,unit,ts,last_seen,status,geometry\r\n"
                                + "km-noise-0003,km-noise-0003,noise,61.25,dB(A),"
                                + ms(t.minusSeconds(2))
                                + ","
                                + ms(t.minusSeconds(2))
                                + ",active,POINT (102.822 24.886)\r\n");
        JsonNode one = json(get("/collections/sensors/items/km-no2-0002"));
        assertThat(one.at("/properties/status").asText()).isEqualTo("silent");
        assertError(get("/collections/sensors/items/km-x"), 404, "NotFound", "no feature 'km-x'");
    }

    @Test
    void indicatorsAreACollectionAndACsvFile() throws Exception {
        JsonNode items = json(get("/collections/indicators/items?period_kind=day&metric=pm25"));
        assertThat(items.get("type").asText()).isEqualTo("FeatureCollection");
        assertThat(get("/collections/indicators/items?period_kind=week").statusCode())
                .isEqualTo(400);

        HttpResponse<String> csv = get("/api/indicators/sdg-11.6.2.csv?zone_kind=city");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(type(csv)).isEqualTo("text/csv; charset=utf-8");
        assertThat(csv.body())
                .startsWith(
                        "id,indicator,metric,zone_kind,zone_id,zone_name,period,period_kind,"
                                + "period_start,period_end,value,unit,valid,complete,standard,"
                                + "observed,required,sensors,population,population_with_data,"
                                + "population_share_with_data,population_above_who,"
                                + "population_above_national,provisional,geometry\r\n");
        assertThat(get("/api/indicators/sdg-11.6.2.csv?window_length=1h").statusCode())
                .isEqualTo(400);
    }

    @Test
    void configDistrictsMetricsHealthAndWebJars() throws Exception {
        JsonNode config = json(get("/api/config"));
        assertThat(config.get("city").asText()).isEqualTo("kunming");
        Envelope e = ZONING.geometry(ZoneKind.CITY, "kunming").getEnvelopeInternal();
        assertThat(config.get("bbox").toString())
                .isEqualTo(
                        "["
                                + e.getMinX()
                                + ","
                                + e.getMinY()
                                + ","
                                + e.getMaxX()
                                + ","
                                + e.getMaxY()
                                + "]");
        assertThat(config.get("tileUrl").isNull()).isTrue();
        assertThat(config.get("zoneKinds").toString()).isEqualTo("[\"h3\",\"district\",\"city\"]");
        assertThat(config.get("windowLengths").toString())
                .isEqualTo("[\"1m\",\"15m\",\"1h\",\"1d\"]");
        assertThat(config.get("metrics")).hasSize(Metric.values().length);
        assertThat(config.get("metrics").get(0).toString())
                .isEqualTo(
                        "{\"id\":\"pm25\",\"unit\":\"ug/m3\",\"aggregation\":\"mean\",\"thresholds\":["
                                + "{\"value\":15.0,\"label\":\"WHO AQG 2021 24-h\"},"
                                + "{\"value\":75.0,\"label\":\"GB 3095-2012 Grade II 24-h\"}]}");
        assertThat(config.at("/metrics/4/aggregation").asText()).isEqualTo("energetic_mean");
        assertThat(config.at("/metrics/4/thresholds/0/value").asDouble()).isEqualTo(53);
        // How the page shows each metric: it keeps no copy of names, formats or AQI bands.
        assertThat(config.get("display")).hasSize(Metric.values().length);
        assertThat(config.at("/display/pm25").toString())
                .isEqualTo(
                        "{\"label\":\"PM2.5\",\"unitLabel\":\"µg/m³\",\"decimals\":1,"
                                + "\"value\":\"mean\",\"valueLabel\":\"mean\",\"zeroBaseline\":true,"
                                + "\"colourRange\":null,"
                                + "\"aqiBreakpoints\":[35.0,75.0,115.0,150.0,250.0]}");
        assertThat(config.at("/display/noise/valueLabel").asText())
                .isEqualTo("Leq (energetic mean)");
        assertThat(config.at("/display/noise/colourRange").toString()).isEqualTo("[35.0,85.0]");
        assertThat(config.at("/display/traffic/value").asText()).isEqualTo("sum");
        assertThat(config.at("/display/water_level/value").asText()).isEqualTo("max");
        assertThat(config.at("/display/pm10/aqiBreakpoints").toString())
                .isEqualTo("[50.0,150.0,250.0,350.0,420.0]");
        assertThat(config.at("/aqi/levels")).hasSize(6);
        assertThat(config.at("/aqi/levels/4").toString())
                .isEqualTo(
                        "{\"name\":\"Heavily polluted\",\"nameZh\":\"重度污染\",\"colour\":\"#99004c\"}");

        JsonNode districts = json(get("/api/zones/districts"));
        assertThat(districts.get("features")).hasSize(14);
        JsonNode wuhua = districts.get("features").get(0);
        assertThat(wuhua.get("id").asText()).isEqualTo(WUHUA);
        assertThat(wuhua.get("properties").toString())
                .isEqualTo(
                        "{\"zone_kind\":\"district\",\"zone_id\":\"530102\",\"zone_name\":\"Wuhua District 五华区\"}");
        assertThat(wuhua.get("geometry"))
                .isEqualTo(JSON.readTree(geoJson(ZONING.geometry(ZoneKind.DISTRICT, WUHUA))));

        HttpResponse<String> leaflet = get("/webjars/leaflet/1.9.4/dist/leaflet.js");
        assertThat(leaflet.statusCode()).isEqualTo(200);
        assertThat(type(leaflet)).isEqualTo("text/javascript; charset=utf-8");
        assertThat(leaflet.body()).contains("Leaflet");

        // The probes run in the background: the first answers come within a second or two.
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health").statusCode() == 200);
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body())
                .isEqualTo(
                        "{\"status\":\"UP\",\"dependencies\":{\"server\":{\"status\":\"UP\"},"
                                + "\"kafka\":{\"status\":\"UP\"},\"history\":{\"status\":\"UP\"},"
                                + "\"live-layer\":{\"status\":\"UP\"},"
                                + "\"readings-monitor\":{\"status\":\"UP\"},"
                                + "\"alerts-feed\":{\"status\":\"UP\"}}}");

        get("/collections/city_aggregates/items?limit=0");
        String metrics = get("/metrics").body();
        assertThat(metrics)
                .contains(
                        "dashboard_http_requests_seconds_count{method=\"GET\",path=\"/api/config\",status=\"200\"} ")
                .contains(
                        "dashboard_http_requests_seconds_count{method=\"GET\",path=\"/collections/{collectionId}/items\",status=\"400\"} ")
                .contains("dashboard_sse_clients ")
                .contains("dashboard_live_features ");
    }

    @Test
    void aSecondServerOnTheSamePortIsRefusedWithTheFlagToChange() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                DashboardServer.start(
                                        DashboardConfig.fromFlags(
                                                "--http-port",
                                                Integer.toString(server.port()),
                                                "--kafka-bootstrap",
                                                kafka.bootstrapServers(),
                                                "--store-history",
                                                "none",
                                                "--store-live-catalog",
                                                "none")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "HTTP port "
                                + server.port()
                                + " is already in use (set another with --http-port)");
    }

    // ---------------------------------------------------------------- helpers

    private static Instant at(String hhmm) {
        return Instant.parse("2026-11-24T" + hhmm + ":00Z");
    }

    private static ZoneAggregate pm25(
            ZoneKind kind, String zone, String start, int minutes, int revision) {
        return aggregate(Metric.PM25, kind, zone, at(start), minutes, revision);
    }

    private static List<ZoneAggregate> sorted(ZoneAggregate... aggregates) {
        List<ZoneAggregate> list = new ArrayList<>(List.of(aggregates));
        list.sort(
                Comparator.comparingLong(ZoneAggregate::windowStartMillis)
                        .thenComparing(ZoneAggregate::featureId));
        return list;
    }

    private static List<String> historyIds(List<ZoneAggregate> aggregates) {
        return aggregates.stream().map(ZoneAggregate::featureId).toList();
    }

    private static void writeLive(ZoneAggregate... aggregates) throws IOException {
        TestStores.write(
                liveWriter, AggregateSchema.LIVE_TYPE, LIVE_UPDATED, List.of(aggregates), true);
    }

    private static void produceReading(Reading r, Instant recordTime) throws Exception {
        TestStores.produceReadings(kafka.bootstrapServers(), recordTime, List.of(r));
    }

    private static void produceRejection(RejectionReason reason, Instant recordTime)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> p = TestStores.producer(kafka.bootstrapServers())) {
            ProducerRecord<byte[], byte[]> record =
                    new ProducerRecord<>(
                            KafkaTopics.REJECTED,
                            null,
                            recordTime.toEpochMilli(),
                            "km-x".getBytes(StandardCharsets.UTF_8),
                            "{not json".getBytes(StandardCharsets.UTF_8));
            record.headers()
                    .add(KafkaTopics.HEADER_REASON, reason.name().getBytes(StandardCharsets.UTF_8));
            p.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    /** An instant as the API writes it, to the millisecond (record times are milliseconds). */
    private static String ms(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        return getAbsolute(base + path, headers);
    }

    private static HttpResponse<String> getAbsolute(String url, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String type(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse(null);
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static void assertError(
            HttpResponse<String> r, int status, String code, String descriptionStart)
            throws IOException {
        assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(status);
        assertThat(type(r)).isEqualTo("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("description").asText()).startsWith(descriptionStart);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> ids(JsonNode collection) {
        List<String> out = new ArrayList<>();
        collection.get("features").forEach(f -> out.add(f.get("id").asText()));
        return out;
    }

    private static JsonNode feature(JsonNode collection, String id) {
        for (JsonNode f : collection.get("features")) {
            if (f.get("id").asText().equals(id)) {
                return f;
            }
        }
        throw new AssertionError("no feature " + id + " in " + collection);
    }

    private static String link(JsonNode doc, String rel) {
        for (JsonNode l : doc.get("links")) {
            if (l.get("rel").asText().equals(rel)) {
                return l.get("href").asText();
            }
        }
        return null;
    }

    private static void assertAggregateFeature(
            JsonNode f, String id, ZoneAggregate a, Instant updated, String zoneName) {
        assertThat(f.get("type").asText()).isEqualTo("Feature");
        assertThat(f.get("id").asText()).isEqualTo(id);
        JsonNode p = f.get("properties");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("metric", a.metric().id());
        expected.put("zone_kind", a.zoneKind().id());
        expected.put("zone_id", a.zoneId());
        expected.put("zone_name", zoneName);
        expected.put("window_start", Instant.ofEpochMilli(a.windowStartMillis()).toString());
        expected.put("window_end", Instant.ofEpochMilli(a.windowEndMillis()).toString());
        expected.put("window_length", ZoneAggregate.windowLabel(a.windowLengthMillis()));
        expected.put("distinct_sensors", (int) a.distinctSensors());
        putStatistics(expected, a);
        expected.put("unit", a.metric().unit());
        expected.put("updated", updated.toString());
        assertThat(JSON.convertValue(p, Map.class)).isEqualTo(expected);
        assertThat(f.at("/geometry/type").asText()).isIn("Polygon", "MultiPolygon");
    }

    private static void assertPoint(JsonNode point, ZoneAggregate a) {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("t", Instant.ofEpochMilli(a.windowStartMillis()).toString());
        putStatistics(expected, a);
        assertThat(JSON.convertValue(point, Map.class)).isEqualTo(expected);
    }

    /** The window's statistics as a feature and a time-series point both show them. */
    private static void putStatistics(Map<String, Object> expected, ZoneAggregate a) {
        expected.put("count", (int) a.count());
        expected.put("mean", a.mean());
        expected.put("min", a.min());
        expected.put("max", a.max());
        expected.put("sum", a.sum());
        expected.put("p50", a.p50());
        expected.put("p95", a.p95());
        expected.put("revision", a.revision());
    }

    /** GeoJSON of a polygon or multipolygon, written here independently of the server's code. */
    private static String geoJson(Geometry g) {
        StringBuilder b = new StringBuilder();
        if (g.getGeometryType().equals("Polygon")) {
            b.append("{\"type\":\"Polygon\",\"coordinates\":");
            polygon(b, (org.locationtech.jts.geom.Polygon) g);
        } else {
            b.append("{\"type\":\"MultiPolygon\",\"coordinates\":[");
            for (int i = 0; i < g.getNumGeometries(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                polygon(b, (org.locationtech.jts.geom.Polygon) g.getGeometryN(i));
            }
            b.append(']');
        }
        return b.append('}').toString();
    }

    private static void polygon(StringBuilder b, org.locationtech.jts.geom.Polygon p) {
        b.append('[');
        for (int r = 0; r <= p.getNumInteriorRing(); r++) {
            if (r > 0) {
                b.append(',');
            }
            b.append('[');
            org.locationtech.jts.geom.Coordinate[] cs =
                    (r == 0 ? p.getExteriorRing() : p.getInteriorRingN(r - 1)).getCoordinates();
            for (int i = 0; i < cs.length; i++) {
                b.append(i > 0 ? "," : "")
                        .append('[')
                        .append(cs[i].x)
                        .append(',')
                        .append(cs[i].y)
                        .append(']');
            }
            b.append(']');
        }
        b.append(']');
    }

    /** A server-sent events client that collects events by name. */
    private static final class SseClient implements AutoCloseable {
        private final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
        private final Stream<String> lines;
        private final Thread reader;

        SseClient(String path) throws Exception {
            HttpResponse<Stream<String>> response =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + path)).build(),
                            HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(type(response)).isEqualTo("text/event-stream; charset=utf-8");
            lines = response.body();
            BlockingQueue<Boolean> connected = new LinkedBlockingQueue<>();
            reader =
                    new Thread(
                            () -> {
                                String name = null;
                                try {
                                    for (String line : (Iterable<String>) lines::iterator) {
                                        if (line.equals(": connected")) {
                                            connected.add(true);
                                        } else if (line.startsWith("event: ")) {
                                            name = line.substring(7);
                                        } else if (line.startsWith("data: ")) {
                                            events.add(new String[] {name, line.substring(6)});
                                        }
                                    }
                                } catch (RuntimeException e) {
                                    // closed
                                }
                            },
                            "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
            assertThat(connected.poll(30, TimeUnit.SECONDS)).as("connected comment").isTrue();
        }

        /** The data of the next event named {@code name}, skipping others. */
        JsonNode next(String name) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String[] e = events.poll(1, TimeUnit.SECONDS);
                if (e != null && name.equals(e[0])) {
                    return JSON.readTree(e[1]);
                }
            }
            throw new AssertionError("no " + name + " event within 60 s");
        }

        @Override
        public void close() {
            lines.close();
        }
    }
}
