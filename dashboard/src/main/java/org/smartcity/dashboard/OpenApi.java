package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAPI 3.0 definition of the OGC API ({@code /api}), generated from the same {@link
 * CollectionProvider}s the API serves, so the two cannot disagree: one path per collection, its
 * items and one item (as OGC API - Features Part 1 recommends, and pygeoapi does), with each
 * collection's own query parameters and their schemas, besides the common {@code bbox}, {@code
 * datetime}, {@code limit}, {@code offset} and {@code f}.
 */
final class OpenApi {
    /** The media type OGC API - Features gives an OpenAPI 3.0 document in JSON. */
    static final String MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0";

    private static final String JSON_TYPE = "application/json";
    private static final String GEOJSON_TYPE = FeaturesApi.GEOJSON;
    private static final String PARAMS = "#/components/parameters/";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String RESPONSES = "#/components/responses/";

    private final String title;
    private final List<CollectionProvider<?>> collections;

    OpenApi(String title, List<CollectionProvider<?>> collections) {
        this.title = title;
        this.collections = collections;
    }

    /** The document, its server at {@code baseUrl}. */
    ObjectNode document(String baseUrl) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", title);
        info.put("version", "1.0.0");
        info.put(
                "description",
                "OGC API - Features over the city's aggregates and sensors. Generated from the"
                        + " collections this server has.");
        info.putObject("license").put("name", "Apache-2.0");
        doc.putArray("servers").addObject().put("url", baseUrl);
        ObjectNode paths = doc.putObject("paths");
        ObjectNode landing =
                ok("the landing page (JSON) or the live dashboard (HTML)", "landingPage");
        ((ObjectNode) landing.get("content"))
                .putObject("text/html")
                .putObject("schema")
                .put("type", "string");
        paths.set(
                "/",
                get("getLandingPage", "Landing page", List.of(format("json", "html")), landing));
        paths.set(
                "/conformance",
                get(
                        "getConformanceDeclaration",
                        "The conformance classes this API implements",
                        List.of(format("json")),
                        ok("the conformance declaration", "confClasses")));
        paths.set(
                "/api",
                get(
                        "getApiDefinition",
                        "This document",
                        List.of(format("json")),
                        okMedia("the API definition", MEDIA_TYPE)));
        paths.set(
                "/collections",
                get(
                        "getCollections",
                        "The collections",
                        List.of(format("json")),
                        ok("the collections", "collections")));
        for (CollectionProvider<?> c : collections) {
            String base = "/collections/" + c.id();
            paths.set(
                    base,
                    get(
                            "describe_" + c.id(),
                            c.title(),
                            List.of(format("json")),
                            ok("the collection " + c.id(), "collection")));
            paths.set(
                    base + "/items",
                    get(
                            "getFeatures_" + c.id(),
                            c.title() + ": items. " + c.description(),
                            itemParameters(c),
                            features()));
            ObjectNode item =
                    get(
                            "getFeature_" + c.id(),
                            c.title() + ": one item",
                            List.of(ref("featureId"), format("json")),
                            okSchema("the item", GEOJSON_TYPE, "featureGeoJSON"));
            paths.set(base + "/items/{featureId}", item);
        }
        doc.set("components", components());
        return doc;
    }

    private static List<ObjectNode> itemParameters(CollectionProvider<?> c) {
        List<ObjectNode> list = new ArrayList<>();
        list.add(ref("bbox"));
        list.add(ref("datetime"));
        list.add(ref("limit"));
        list.add(ref("offset"));
        list.add(format("json", "csv"));
        for (Queryable q : c.queryables()) {
            ObjectNode p = Json.object();
            p.put("name", q.name());
            p.put("in", "query");
            p.put("description", q.description());
            p.put("required", false);
            p.put("style", "form");
            p.put("explode", false);
            p.set("schema", q.schema().deepCopy());
            list.add(p);
        }
        return list;
    }

    private static ObjectNode get(
            String operationId,
            String summary,
            List<ObjectNode> parameters,
            ObjectNode okResponse) {
        ObjectNode path = Json.object();
        ObjectNode op = path.putObject("get");
        op.put("operationId", operationId);
        op.put("summary", summary);
        ArrayNode list = op.putArray("parameters");
        parameters.forEach(list::add);
        ObjectNode responses = op.putObject("responses");
        responses.set("200", okResponse);
        responses.putObject("400").put("$ref", RESPONSES + "InvalidParameter");
        responses.putObject("404").put("$ref", RESPONSES + "NotFound");
        responses.putObject("503").put("$ref", RESPONSES + "ServiceUnavailable");
        return path;
    }

    private static ObjectNode ok(String description, String schema) {
        return okSchema(description, JSON_TYPE, schema);
    }

    private static ObjectNode okSchema(String description, String mediaType, String schema) {
        ObjectNode r = Json.object();
        r.put("description", description);
        r.putObject("content")
                .putObject(mediaType)
                .putObject("schema")
                .put("$ref", SCHEMAS + schema);
        return r;
    }

    private static ObjectNode okMedia(String description, String mediaType) {
        ObjectNode r = Json.object();
        r.put("description", description);
        r.putObject("content").putObject(mediaType).putObject("schema").put("type", "object");
        return r;
    }

    private static ObjectNode features() {
        ObjectNode r = okSchema("a page of items", GEOJSON_TYPE, "featureCollectionGeoJSON");
        ((ObjectNode) r.get("content"))
                .putObject("text/csv")
                .putObject("schema")
                .put("type", "string");
        return r;
    }

    private static ObjectNode ref(String parameter) {
        return Json.object().put("$ref", PARAMS + parameter);
    }

    /** The {@code f} parameter with the formats a path offers. */
    private static ObjectNode format(String... formats) {
        ObjectNode p = Json.object();
        p.put("name", "f");
        p.put("in", "query");
        p.put("description", "The output format (case does not matter).");
        p.put("required", false);
        p.put("style", "form");
        p.put("explode", false);
        ObjectNode schema = Queryable.enumeration(formats);
        schema.put("default", formats[0]);
        p.set("schema", schema);
        return p;
    }

    private static ObjectNode components() {
        ObjectNode components = Json.object();
        ObjectNode parameters = components.putObject("parameters");
        parameters.set(
                "bbox",
                queryParameter(
                        "bbox",
                        "Only items whose geometry intersects this box: minLon,minLat,maxLon,maxLat"
                                + " (CRS84), or six numbers with heights (ignored).",
                        arrayOf(Json.object().put("type", "number"))
                                .put("minItems", 4)
                                .put("maxItems", 6)));
        parameters.set(
                "datetime",
                queryParameter(
                        "datetime",
                        "An RFC 3339 instant, or an interval start/end with .. for an open end.",
                        Queryable.string()));
        parameters.set(
                "limit",
                queryParameter(
                        "limit",
                        "Items per page; larger values are lowered to " + Params.MAX_LIMIT + ".",
                        Json.object()
                                .put("type", "integer")
                                .put("minimum", 1)
                                .put("default", Params.DEFAULT_LIMIT)));
        parameters.set(
                "offset",
                queryParameter(
                        "offset",
                        "Items to skip (the next and prev links carry it).",
                        Json.object()
                                .put("type", "integer")
                                .put("minimum", 0)
                                .put("maximum", 999_999_999)
                                .put("default", 0)));
        ObjectNode featureId = parameters.putObject("featureId");
        featureId.put("name", "featureId");
        featureId.put("in", "path");
        featureId.put("description", "The item's id.");
        featureId.put("required", true);
        featureId.set("schema", Queryable.string());

        ObjectNode schemas = components.putObject("schemas");
        schemas.set("link", link());
        schemas.set(
                "exception",
                object("code")
                        .set(
                                "properties",
                                Json.object()
                                        .<ObjectNode>set("code", Queryable.string())
                                        .set("description", Queryable.string())));
        schemas.set("landingPage", withLinks(object("links")));
        schemas.set(
                "confClasses",
                object("conformsTo")
                        .set(
                                "properties",
                                Json.object().set("conformsTo", arrayOf(Queryable.string()))));
        ObjectNode collection = withLinks(object("id", "links"));
        ((ObjectNode) collection.get("properties"))
                .<ObjectNode>set("id", Queryable.string())
                .<ObjectNode>set("title", Queryable.string())
                .<ObjectNode>set("description", Queryable.string())
                .<ObjectNode>set("itemType", Queryable.string())
                .<ObjectNode>set("crs", arrayOf(Queryable.string()))
                .set("extent", Json.object().put("type", "object"));
        schemas.set("collection", collection);
        ObjectNode collectionsDoc = withLinks(object("links", "collections"));
        ((ObjectNode) collectionsDoc.get("properties"))
                .set("collections", arrayOf(refSchema("collection")));
        schemas.set("collections", collectionsDoc);
        ObjectNode feature = withLinks(object("type", "geometry", "properties"));
        ((ObjectNode) feature.get("properties"))
                .<ObjectNode>set("type", Queryable.enumeration("Feature"))
                .<ObjectNode>set("id", Queryable.string())
                .<ObjectNode>set(
                        "geometry", Json.object().put("type", "object").put("nullable", true))
                .set("properties", Json.object().put("type", "object").put("nullable", true));
        schemas.set("featureGeoJSON", feature);
        ObjectNode page = withLinks(object("type", "features"));
        ((ObjectNode) page.get("properties"))
                .<ObjectNode>set("type", Queryable.enumeration("FeatureCollection"))
                .<ObjectNode>set("features", arrayOf(refSchema("featureGeoJSON")))
                .<ObjectNode>set("timeStamp", Queryable.string().put("format", "date-time"))
                .<ObjectNode>set(
                        "numberMatched", Json.object().put("type", "integer").put("minimum", 0))
                .set("numberReturned", Json.object().put("type", "integer").put("minimum", 0));
        schemas.set("featureCollectionGeoJSON", page);

        ObjectNode responses = components.putObject("responses");
        responses.set(
                "InvalidParameter",
                exceptionResponse("a parameter has a value the API does not accept"));
        responses.set("NotFound", exceptionResponse("no such collection or item"));
        responses.set(
                "ServiceUnavailable",
                exceptionResponse(
                        "the store the request needs is not configured or not answering"));
        return components;
    }

    private static ObjectNode queryParameter(String name, String description, ObjectNode schema) {
        ObjectNode p = Json.object();
        p.put("name", name);
        p.put("in", "query");
        p.put("description", description);
        p.put("required", false);
        p.put("style", "form");
        p.put("explode", false);
        p.set("schema", schema);
        return p;
    }

    private static ObjectNode exceptionResponse(String description) {
        return okSchema(description, JSON_TYPE, "exception");
    }

    private static ObjectNode link() {
        ObjectNode link = object("href", "rel");
        link.putObject("properties")
                .<ObjectNode>set("href", Queryable.string())
                .<ObjectNode>set("rel", Queryable.string())
                .<ObjectNode>set("type", Queryable.string())
                .set("title", Queryable.string());
        return link;
    }

    private static ObjectNode object(String... required) {
        ObjectNode o = Json.object().put("type", "object");
        ArrayNode list = o.putArray("required");
        for (String r : required) {
            list.add(r);
        }
        o.putObject("properties");
        return o;
    }

    private static ObjectNode withLinks(ObjectNode schema) {
        ((ObjectNode) schema.get("properties")).set("links", arrayOf(refSchema("link")));
        return schema;
    }

    private static ObjectNode arrayOf(ObjectNode items) {
        ObjectNode a = Json.object().put("type", "array");
        a.set("items", items);
        return a;
    }

    private static ObjectNode refSchema(String name) {
        return Json.object().put("$ref", SCHEMAS + name);
    }
}
