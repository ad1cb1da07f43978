package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.smartcity.core.CityArea;
import org.smartcity.core.http.HttpErrors;
import org.smartcity.core.http.HttpService;

/**
 * OGC API - Features Part 1 (Core, GeoJSON, OpenAPI 3.0) over any number of {@link
 * CollectionProvider}s, written once for all of them: the landing page, {@code /conformance},
 * {@code /collections}, {@code /collections/{id}}, its items as GeoJSON or CSV with {@code
 * limit}/{@code offset} paging and {@code next}/{@code prev} links, one item, and the OpenAPI
 * document at {@code /api} ({@link OpenApi}).
 *
 * <p>Every link is absolute, from the public base URL ({@link Links}).
 */
final class FeaturesApi {
    static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    static final String GEOJSON = "application/geo+json";
    static final String CSV = "text/csv; charset=utf-8";

    /** The CSV media type as links name it. */
    private static final String CSV_TYPE = "text/csv";

    static final List<String> CONFORMANCE =
            List.of(
                    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");

    /** The parameters of every collection's items, before its own {@link Queryable}s. */
    static final List<String> COMMON_ITEM_PARAMETERS =
            List.of("bbox", "datetime", "limit", "offset", "f");

    private final String title;
    private final List<CollectionProvider<?>> collections;
    private final Links links;
    private final LongSupplier nowMillis;
    private final OpenApi openApi;

    /**
     * @param city the city id, for the titles
     * @param collections the collections, in the order {@code /collections} lists them; ids unique
     * @param nowMillis the clock of {@code timeStamp}
     */
    FeaturesApi(
            String city,
            List<CollectionProvider<?>> collections,
            Links links,
            LongSupplier nowMillis) {
        Set<String> ids = new HashSet<>();
        for (CollectionProvider<?> c : collections) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("two collections with id " + c.id());
            }
        }
        this.title = "Smart-city sensor platform: " + city;
        this.collections = List.copyOf(collections);
        this.links = links;
        this.nowMillis = nowMillis;
        this.openApi = new OpenApi(title, this.collections);
    }

    /** Adds the routes (all but the landing page, which shares {@code /} with the live page). */
    void addRoutes(JavalinConfig config) {
        HttpService.get(config, "/conformance", this::conformance);
        HttpService.get(config, "/collections", this::collections);
        HttpService.get(config, "/collections/{collectionId}", this::collection);
        HttpService.get(config, "/collections/{collectionId}/items", this::items);
        HttpService.get(config, "/collections/{collectionId}/items/{featureId}", this::item);
        HttpService.get(config, "/api", this::openApi);
    }

    /** The collections' ids, in order. */
    List<String> collectionIds() {
        return collections.stream().map(CollectionProvider::id).toList();
    }

    /** The landing page as JSON. */
    void landing(Context ctx) throws IOException {
        ObjectNode body = Json.object();
        body.put("title", title);
        body.put(
                "description",
                "Aggregated sensor readings per zone and time window (history and live layer) and"
                        + " the sensors' newest readings, as OGC API - Features.");
        ArrayNode list = body.putArray("links");
        String base = links.base(ctx);
        list.add(Links.object(base + "/?f=json", "self", "application/json", "this document"));
        list.add(Links.object(base + "/", "alternate", "text/html", "the live dashboard"));
        list.add(
                Links.object(
                        base + "/conformance",
                        "conformance",
                        "application/json",
                        "conformance classes implemented"));
        list.add(
                Links.object(base + "/collections", "data", "application/json", "the collections"));
        list.add(
                Links.object(
                        base + "/api",
                        "service-desc",
                        OpenApi.MEDIA_TYPE,
                        "the API definition (OpenAPI 3.0)"));
        json(ctx, body);
    }

    private void conformance(Context ctx) throws IOException {
        Params.of(ctx).format("json", "json");
        ObjectNode body = Json.object();
        ArrayNode classes = body.putArray("conformsTo");
        CONFORMANCE.forEach(classes::add);
        json(ctx, body);
    }

    private void openApi(Context ctx) throws IOException {
        Params.of(ctx).format("json", "json");
        HttpService.send(
                ctx, 200, OpenApi.MEDIA_TYPE, Json.bytes(openApi.document(links.base(ctx))));
    }

    private void collections(Context ctx) throws IOException {
        Params.of(ctx).format("json", "json");
        ObjectNode body = Json.object();
        body.putArray("links")
                .add(
                        Links.object(
                                links.base(ctx) + "/collections",
                                "self",
                                "application/json",
                                "this document"));
        ArrayNode list = body.putArray("collections");
        for (CollectionProvider<?> c : collections) {
            list.add(describe(ctx, c));
        }
        json(ctx, body);
    }

    private void collection(Context ctx) throws IOException {
        Params.of(ctx).format("json", "json");
        json(ctx, describe(ctx, provider(ctx)));
    }

    private void items(Context ctx) throws IOException {
        page(ctx, provider(ctx));
    }

    private void item(Context ctx) throws IOException {
        feature(ctx, provider(ctx), ctx.pathParam("featureId"));
    }

    /** The parameters {@code c}'s items take, common ones first. */
    static List<String> itemParameters(CollectionProvider<?> c) {
        List<String> names = new ArrayList<>(COMMON_ITEM_PARAMETERS);
        c.queryables().forEach(q -> names.add(q.name()));
        return names;
    }

    private CollectionProvider<?> provider(Context ctx) {
        String id = ctx.pathParam("collectionId");
        for (CollectionProvider<?> c : collections) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw HttpErrors.notFound(
                "no collection '"
                        + Params.echo(id)
                        + "'; there are: "
                        + String.join(", ", collectionIds()));
    }

    private ObjectNode describe(Context ctx, CollectionProvider<?> c) {
        ObjectNode body = Json.object();
        body.put("id", c.id());
        body.put("title", c.title());
        body.put("description", c.description());
        body.put("itemType", "feature");
        body.putArray("crs").add(CRS84);
        CityArea area = c.extent();
        ObjectNode extent = body.putObject("extent");
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
        String base = links.base(ctx) + "/collections/" + c.id();
        ArrayNode list = body.putArray("links");
        list.add(Links.object(base, "self", "application/json", "this collection"));
        list.add(Links.object(base + "/items", "items", GEOJSON, "the items as GeoJSON"));
        list.add(Links.object(base + "/items?f=csv", "items", CSV_TYPE, "the items as CSV"));
        return body;
    }

    /** Writes one page of {@code c}'s items as a GeoJSON FeatureCollection or CSV. */
    private <T> void page(Context ctx, CollectionProvider<T> c) throws IOException {
        Params p = Params.of(ctx);
        p.requireOnly(Set.copyOf(itemParameters(c)), "collection " + c.id());
        String format = p.format("json", "json", "csv");
        // Every common parameter is parsed before the store is asked anything.
        int limit = p.limit();
        int offset = p.offset();
        CollectionProvider.Page<T> page =
                c.query(new CollectionProvider.ItemQuery(p, p.bbox(), p.datetime(), limit, offset));
        if (format.equals("csv")) {
            Csv csv = new Csv(c.csvHeader());
            page.items().forEach(item -> csv.row(c.csvRow(item)));
            HttpService.send(ctx, 200, CSV, csv.toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        ObjectNode body = Json.object();
        body.put("type", "FeatureCollection");
        ArrayNode list = body.putArray("features");
        page.items().forEach(item -> list.add(c.feature(item)));
        body.put("numberMatched", page.numberMatched());
        body.put("numberReturned", page.items().size());
        body.put("timeStamp", Json.time(Instant.ofEpochMilli(nowMillis.getAsLong())));
        String path = "/collections/" + c.id() + "/items";
        ArrayNode nav = body.putArray("links");
        nav.add(
                Links.object(
                        links.link(ctx, p, path, paging(limit, offset, null)),
                        "self",
                        GEOJSON,
                        "this page"));
        nav.add(
                Links.object(
                        links.link(ctx, p, path, paging(limit, offset, "csv")),
                        "alternate",
                        CSV_TYPE,
                        "this page as CSV"));
        if ((long) offset + page.items().size() < page.numberMatched()) {
            nav.add(
                    Links.object(
                            links.link(
                                    ctx,
                                    p,
                                    path,
                                    paging(limit, offset + page.items().size(), null)),
                            "next",
                            GEOJSON,
                            "next page"));
        }
        if (offset > 0) {
            nav.add(
                    Links.object(
                            links.link(
                                    ctx, p, path, paging(limit, Math.max(0, offset - limit), null)),
                            "prev",
                            GEOJSON,
                            "previous page"));
        }
        nav.add(
                Links.object(
                        links.base(ctx) + "/collections/" + c.id(),
                        "collection",
                        "application/json",
                        "the collection"));
        HttpService.send(ctx, 200, GEOJSON, Json.bytes(body));
    }

    private <T> void feature(Context ctx, CollectionProvider<T> c, String featureId)
            throws IOException {
        Params p = Params.of(ctx);
        p.requireOnly(Set.of("f"), "a feature");
        p.format("json", "json");
        T item =
                c.get(featureId)
                        .orElseThrow(
                                () ->
                                        HttpErrors.notFound(
                                                "no feature '"
                                                        + Params.echo(featureId)
                                                        + "' in collection "
                                                        + c.id()));
        ObjectNode feature = c.feature(item);
        ArrayNode list = feature.putArray("links");
        list.add(Links.object(links.link(ctx, p, ctx.path(), Map.of()), "self", GEOJSON, null));
        list.add(
                Links.object(
                        links.base(ctx) + "/collections/" + c.id(),
                        "collection",
                        "application/json",
                        null));
        HttpService.send(ctx, 200, GEOJSON, Json.bytes(feature));
    }

    static void json(Context ctx, Object body) throws IOException {
        HttpService.send(ctx, 200, "application/json", Json.bytes(body));
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
