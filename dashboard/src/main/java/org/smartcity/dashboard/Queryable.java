package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.smartcity.core.Metric;
import org.smartcity.core.zoning.ZoneKind;

/**
 * A query parameter a collection takes besides the common ones: its name, what it means and its
 * JSON schema, as the OpenAPI document states them. The parsing lives in {@link Params}, where its
 * error messages are.
 *
 * @param name the parameter name
 * @param description what it filters
 * @param schema its JSON schema (OpenAPI 3.0 dialect)
 */
record Queryable(String name, String description, ObjectNode schema) {

    static final Queryable METRIC =
            new Queryable(
                    "metric",
                    "Only this metric of the catalogue.",
                    enumeration(
                            Arrays.stream(Metric.values()).map(Metric::id).toArray(String[]::new)));

    static final Queryable ZONE_KIND =
            new Queryable(
                    "zone_kind",
                    "Only zones of this kind: H3 cells, districts or the whole city.",
                    enumeration(
                            Arrays.stream(ZoneKind.values())
                                    .map(ZoneKind::id)
                                    .toArray(String[]::new)));

    static final Queryable ZONE_ID =
            new Queryable(
                    "zone_id",
                    "Only this zone: an H3 cell address, a district code or the city id.",
                    string().put("minLength", 1));

    static final Queryable WINDOW_LENGTH =
            new Queryable(
                    "window_length",
                    "Only windows of this length, e.g. 1m, 15m or 1h.",
                    string().put("pattern", "^[1-9][0-9]{0,8}(ms|s|m|h|d)$"));

    static ObjectNode string() {
        return Json.object().put("type", "string");
    }

    static ObjectNode enumeration(String... values) {
        ObjectNode schema = string();
        ArrayNode list = schema.putArray("enum");
        for (String v : values) {
            list.add(v);
        }
        return schema;
    }
}
