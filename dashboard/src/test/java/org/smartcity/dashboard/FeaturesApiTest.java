package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.smartcity.core.CityArea;
import org.smartcity.core.http.HttpService;

/**
 * The generic OGC API code over a collection it has never seen: a test-only fourth provider (car
 * parks) is one class, and every generic path serves it (landing page, conformance, collections,
 * the collection, items as GeoJSON and CSV with paging links, one item, the OpenAPI document).
 * Links follow the public base URL: the proxy's forwarded headers, or {@code --public-url}.
 */
class FeaturesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final CityArea AREA = new CityArea("kunming", 24.38, 102.17, 26.37, 103.67);

    /** A car park: id, name, free places, position. */
    record CarPark(String id, String name, int free, double lon, double lat) {}

    /** The fourth collection: all it takes is this class. */
    static final class CarParkCollection implements CollectionProvider<CarPark> {
        static final Queryable MIN_FREE =
                new Queryable(
                        "min_free",
                        "Only car parks with at least this many free places.",
                        Json.object().put("type", "integer").put("minimum", 0));

        final List<CarPark> parks =
                List.of(
                        new CarPark("p1", "Cuihu", 12, 102.70, 25.05),
                        new CarPark("p2", "Dianchi, \"south\"", 0, 102.68, 24.95),
                        new CarPark("p3", "Airport", 250, 102.93, 25.10));

        @Override
        public String id() {
            return "parking";
        }

        @Override
        public String title() {
            return "Car parks";
        }

        @Override
        public String description() {
            return "Free places per car park.";
        }

        @Override
        public CityArea extent() {
            return AREA;
        }

        @Override
        public List<Queryable> queryables() {
            return List.of(MIN_FREE);
        }

        @Override
        public Page<CarPark> query(ItemQuery query) {
            String minFree = query.params().get(MIN_FREE.name());
            int min = minFree == null ? 0 : Integer.parseInt(minFree);
            List<CarPark> matched = new ArrayList<>();
            for (CarPark p : parks) {
                if (p.free() >= min
                        && (query.bbox() == null || query.bbox().contains(p.lon(), p.lat()))) {
                    matched.add(p);
                }
            }
            return Page.of(matched, query);
        }

        @Override
        public Optional<CarPark> get(String featureId) {
            return parks.stream().filter(p -> p.id().equals(featureId)).findFirst();
        }

        @Override
        public ObjectNode feature(CarPark p) {
            ObjectNode f = Json.object().put("type", "Feature").put("id", p.id());
            f.putObject("geometry")
                    .put("type", "Point")
                    .putArray("coordinates")
                    .add(p.lon())
                    .add(p.lat());
            f.putObject("properties").put("name", p.name()).put("free", p.free());
            return f;
        }

        @Override
        public List<String> csvHeader() {
            return List.of("id", "name", "free", "geometry");
        }

        @Override
        public List<Object> csvRow(CarPark p) {
            return List.of(p.id(), p.name(), p.free(), "POINT (" + p.lon() + " " + p.lat() + ")");
        }
    }

    private static HttpService serve(String publicUrl) {
        FeaturesApi api =
                new FeaturesApi(
                        "kunming",
                        List.of(new CarParkCollection()),
                        new Links(publicUrl),
                        () -> 1_796_342_400_000L);
        return HttpService.start(
                HttpService.Options.of(HttpService.LOOPBACK, 0),
                config -> {
                    HttpService.get(config, "/", api::landing);
                    api.addRoutes(config);
                });
    }

    @Test
    void aFourthCollectionIsServedByEveryGenericPath() throws Exception {
        try (HttpService http = serve(null)) {
            String base = "http://127.0.0.1:" + http.port();

            JsonNode landing = json(get(base + "/"));
            assertThat(rels(landing))
                    .containsEntry("data", base + "/collections")
                    .containsEntry("service-desc", base + "/api");
            assertThat(json(get(base + "/conformance")).get("conformsTo").toString())
                    .contains("conf/oas30");

            JsonNode collections = json(get(base + "/collections"));
            assertThat(collections.at("/collections/0/id").asText()).isEqualTo("parking");
            JsonNode parking = json(get(base + "/collections/parking"));
            assertThat(parking.get("title").asText()).isEqualTo("Car parks");
            assertThat(parking.at("/extent/spatial/bbox/0").toString())
                    .isEqualTo("[102.17,24.38,103.67,26.37]");

            HttpResponse<String> first = get(base + "/collections/parking/items?limit=2");
            assertThat(first.headers().firstValue("Content-Type")).hasValue("application/geo+json");
            JsonNode page1 = json(first);
            assertThat(ids(page1)).containsExactly("p1", "p2");
            assertThat(page1.get("numberMatched").asInt()).isEqualTo(3);
            assertThat(page1.get("numberReturned").asInt()).isEqualTo(2);
            assertThat(page1.get("timeStamp").asText()).isEqualTo("2026-12-04T00:00:00Z");
            String next = rels(page1).get("next");
            assertThat(next).isEqualTo(base + "/collections/parking/items?limit=2&offset=2");
            JsonNode page2 = json(get(next));
            assertThat(ids(page2)).containsExactly("p3");
            assertThat(rels(page2))
                    .doesNotContainKey("next")
                    .containsEntry("prev", base + "/collections/parking/items?limit=2&offset=0");

            assertThat(ids(json(get(base + "/collections/parking/items?min_free=1"))))
                    .containsExactly("p1", "p3");
            assertThat(
                            ids(
                                    json(
                                            get(
                                                    base
                                                            + "/collections/parking/items?bbox=102.6,24.9,102.8,25.1"))))
                    .containsExactly("p1", "p2");
            HttpResponse<String> unknown = get(base + "/collections/parking/items?metric=pm25");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(json(unknown).get("description").asText())
                    .isEqualTo(
                            "metric: unknown parameter for collection parking; known: bbox,"
                                    + " datetime, f, limit, min_free, offset");

            HttpResponse<String> csv = get(base + "/collections/parking/items?f=csv&offset=1");
            assertThat(csv.headers().firstValue("Content-Type"))
                    .hasValue("text/csv; charset=utf-8");
            assertThat(csv.body())
                    .isEqualTo(
                            "id,name,free,geometry\r\n"
                                    + "p2,\"Dianchi, \"\"south\"\"\",0,POINT (102.68 24.95)\r\n"
                                    + "p3,Airport,250,POINT (102.93 25.1)\r\n");

            JsonNode item = json(get(base + "/collections/parking/items/p3"));
            assertThat(item.at("/properties/free").asInt()).isEqualTo(250);
            assertThat(rels(item))
                    .containsEntry("self", base + "/collections/parking/items/p3")
                    .containsEntry("collection", base + "/collections/parking");
            HttpResponse<String> missing = get(base + "/collections/parking/items/p9");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(json(missing).get("description").asText())
                    .isEqualTo("no feature 'p9' in collection parking");

            HttpResponse<String> api = get(base + "/api");
            assertThat(api.headers().firstValue("Content-Type"))
                    .hasValue("application/vnd.oai.openapi+json;version=3.0");
            JsonNode doc = json(api);
            assertThat(doc.get("openapi").asText()).isEqualTo("3.0.3");
            assertThat(fieldNames(doc.get("paths")))
                    .containsExactly(
                            "/",
                            "/conformance",
                            "/api",
                            "/collections",
                            "/collections/parking",
                            "/collections/parking/items",
                            "/collections/parking/items/{featureId}");
            List<String> parameters = new ArrayList<>();
            for (JsonNode p : doc.at("/paths/~1collections~1parking~1items/get/parameters")) {
                parameters.add(p.has("$ref") ? p.get("$ref").asText() : p.get("name").asText());
            }
            assertThat(parameters)
                    .containsExactly(
                            "#/components/parameters/bbox",
                            "#/components/parameters/datetime",
                            "#/components/parameters/limit",
                            "#/components/parameters/offset",
                            "f",
                            "min_free");
            assertThat(doc.at("/servers/0/url").asText()).isEqualTo(base);
        }
    }

    @Test
    void linksUseTheProxysBaseAndAConfiguredPublicUrlWins() throws Exception {
        try (HttpService http = serve(null)) {
            String url = "http://127.0.0.1:" + http.port() + "/collections/parking/items?limit=1";
            JsonNode proxied =
                    json(
                            get(
                                    url,
                                    "X-Forwarded-Proto",
                                    "https",
                                    "X-Forwarded-Host",
                                    "maps.example.org"));
            assertThat(rels(proxied))
                    .containsEntry(
                            "next",
                            "https://maps.example.org/collections/parking/items?limit=1&offset=1")
                    .containsEntry("collection", "https://maps.example.org/collections/parking");
            JsonNode forged =
                    json(
                            get(
                                    url,
                                    "X-Forwarded-Host",
                                    "evil.example\"><script>",
                                    "X-Forwarded-Proto",
                                    "gopher"));
            assertThat(rels(forged).get("collection"))
                    .as("a forwarded value that is no host name is ignored")
                    .isEqualTo("http://127.0.0.1:" + http.port() + "/collections/parking");
        }
        try (HttpService http = serve("https://city.example.net/ogc/")) {
            JsonNode page =
                    json(
                            get(
                                    "http://127.0.0.1:"
                                            + http.port()
                                            + "/collections/parking/items?limit=1",
                                    "X-Forwarded-Proto",
                                    "https",
                                    "X-Forwarded-Host",
                                    "maps.example.org"));
            assertThat(rels(page))
                    .containsEntry(
                            "next",
                            "https://city.example.net/ogc/collections/parking/items?limit=1&offset=1");
        }
    }

    private static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static Map<String, String> rels(JsonNode doc) {
        Map<String, String> links = new LinkedHashMap<>();
        doc.get("links").forEach(l -> links.put(l.get("rel").asText(), l.get("href").asText()));
        return links;
    }

    private static List<String> ids(JsonNode collection) {
        List<String> ids = new ArrayList<>();
        collection.get("features").forEach(f -> ids.add(f.get("id").asText()));
        return ids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
