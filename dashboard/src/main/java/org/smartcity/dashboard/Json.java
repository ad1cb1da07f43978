package org.smartcity.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiLineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * JSON building blocks: the shared mapper, RFC 3339 times, numbers that stay valid JSON, and RFC
 * 7946 GeoJSON geometries (longitude, latitude) from JTS.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    static byte[] bytes(Object node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Object node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }

    /** RFC 3339 in UTC, e.g. {@code 2026-11-24T05:00:00Z}. */
    static String time(Instant t) {
        return t.toString();
    }

    static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /** Puts a double, or null when it is not finite (JSON has no NaN). */
    static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    /** The GeoJSON geometry object of {@code g}, or JSON null. */
    static ObjectNode geometry(Geometry g) {
        if (g == null) {
            return null;
        }
        ObjectNode node = object();
        if (g instanceof Point p) {
            node.put("type", "Point");
            node.set("coordinates", position(p.getCoordinate()));
        } else if (g instanceof LineString l) {
            node.put("type", "LineString");
            node.set("coordinates", positions(l.getCoordinates()));
        } else if (g instanceof Polygon p) {
            node.put("type", "Polygon");
            node.set("coordinates", rings(p));
        } else if (g instanceof MultiPoint m) {
            node.put("type", "MultiPoint");
            ArrayNode parts = node.putArray("coordinates");
            for (int i = 0; i < m.getNumGeometries(); i++) {
                parts.add(position(m.getGeometryN(i).getCoordinate()));
            }
        } else if (g instanceof MultiLineString m) {
            node.put("type", "MultiLineString");
            ArrayNode parts = node.putArray("coordinates");
            for (int i = 0; i < m.getNumGeometries(); i++) {
                parts.add(positions(m.getGeometryN(i).getCoordinates()));
            }
        } else if (g instanceof MultiPolygon m) {
            node.put("type", "MultiPolygon");
            ArrayNode parts = node.putArray("coordinates");
            for (int i = 0; i < m.getNumGeometries(); i++) {
                parts.add(rings((Polygon) m.getGeometryN(i)));
            }
        } else if (g instanceof GeometryCollection c) {
            node.put("type", "GeometryCollection");
            ArrayNode parts = node.putArray("geometries");
            for (int i = 0; i < c.getNumGeometries(); i++) {
                parts.add(geometry(c.getGeometryN(i)));
            }
        } else {
            throw new IllegalArgumentException("unsupported geometry " + g.getGeometryType());
        }
        return node;
    }

    private static ArrayNode rings(Polygon p) {
        ArrayNode rings = array();
        rings.add(positions(p.getExteriorRing().getCoordinates()));
        for (int i = 0; i < p.getNumInteriorRing(); i++) {
            rings.add(positions(p.getInteriorRingN(i).getCoordinates()));
        }
        return rings;
    }

    private static ArrayNode positions(Coordinate[] cs) {
        ArrayNode out = array();
        for (Coordinate c : cs) {
            out.add(position(c));
        }
        return out;
    }

    private static ArrayNode position(Coordinate c) {
        return array().add(c.x).add(c.y);
    }
}
