package org.smartcity.core.zoning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Districts read from a GeoJSON (RFC 7946) FeatureCollection: one district per Polygon or
 * MultiPolygon feature, its id from a property ({@code code} by default; else the feature's {@code
 * id}) and its name from another ({@code name} by default; else the id). Any city's file works.
 *
 * <p>Reading is strict: malformed JSON, other geometry types, unclosed rings, coordinates outside
 * WGS 84, invalid polygons (self-intersections), missing or duplicate ids all fail with a {@link
 * GeoJsonException} naming the file, the feature and the problem. Geometries are JTS, WGS 84, x =
 * longitude, y = latitude (SRID 4326).
 */
public final class DistrictLayer {
    /** Prefix of a source that is a classpath resource rather than a file. */
    public static final String CLASSPATH_PREFIX = "classpath:";

    static final GeometryFactory WGS84 = new GeometryFactory(new PrecisionModel(), 4326);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final List<District> districts;
    private final String note;

    /** The feature properties a district's population is read from (DESIGN, "Population"). */
    public static final String POPULATION = "population";

    public static final String POPULATION_YEAR = "population_year";
    public static final String POPULATION_SOURCE = "population_source";

    /**
     * One district: its zone, its outline and its population.
     *
     * @param population from the feature's {@value #POPULATION} properties; null when it has none
     */
    public record District(Zone zone, Geometry geometry, Population population) {
        public District {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(geometry, "geometry");
        }

        /** A district without a population. */
        public District(Zone zone, Geometry geometry) {
            this(zone, geometry, null);
        }
    }

    private DistrictLayer(String source, List<District> districts, String note) {
        this.source = source;
        this.districts = List.copyOf(districts);
        this.note = note;
    }

    /** Reads {@code source} ({@code classpath:…} or a file path) with the default properties. */
    public static DistrictLayer load(String source) {
        return load(source, ZoningSpec.DEFAULT_ID_PROPERTY, ZoningSpec.DEFAULT_NAME_PROPERTY);
    }

    /**
     * Reads {@code source}: {@code classpath:zones/x.geojson} for a classpath resource, otherwise a
     * file path.
     */
    public static DistrictLayer load(String source, String idProperty, String nameProperty) {
        Objects.requireNonNull(source, "source");
        if (source.startsWith(CLASSPATH_PREFIX)) {
            String resource = source.substring(CLASSPATH_PREFIX.length());
            while (resource.startsWith("/")) {
                resource = resource.substring(1);
            }
            try (InputStream in = openResource(resource)) {
                if (in == null) {
                    throw new GeoJsonException(source, "classpath resource not found");
                }
                return read(in, source, idProperty, nameProperty);
            } catch (IOException e) {
                throw new GeoJsonException(source, "cannot read: " + e, e);
            }
        }
        return read(Path.of(source), idProperty, nameProperty);
    }

    /** Reads a GeoJSON file. */
    public static DistrictLayer read(Path file, String idProperty, String nameProperty) {
        String name = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, name, idProperty, nameProperty);
        } catch (NoSuchFileException e) {
            throw new GeoJsonException(
                    name,
                    "file not found (working directory " + Path.of("").toAbsolutePath() + ")");
        } catch (IOException e) {
            throw new GeoJsonException(name, "cannot read: " + e, e);
        }
    }

    /** Parses GeoJSON text; {@code sourceName} appears in error messages. */
    public static DistrictLayer parse(
            String geoJson, String sourceName, String idProperty, String nameProperty) {
        try {
            return read(
                    new ByteArrayInputStream(geoJson.getBytes(StandardCharsets.UTF_8)),
                    sourceName,
                    idProperty,
                    nameProperty);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
    }

    /** Parses GeoJSON text with the default properties. */
    public static DistrictLayer parse(String geoJson, String sourceName) {
        return parse(
                geoJson,
                sourceName,
                ZoningSpec.DEFAULT_ID_PROPERTY,
                ZoningSpec.DEFAULT_NAME_PROPERTY);
    }

    private static InputStream openResource(String resource) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        InputStream in = context == null ? null : context.getResourceAsStream(resource);
        return in != null ? in : DistrictLayer.class.getClassLoader().getResourceAsStream(resource);
    }

    private static DistrictLayer read(
            InputStream in, String source, String idProperty, String nameProperty)
            throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new GeoJsonException(
                    source,
                    "not valid JSON"
                            + (at == null
                                    ? ""
                                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                            + ": "
                            + e.getOriginalMessage());
        }
        return new Reader(source, idProperty, nameProperty).layer(root);
    }

    /** Where the layer was read from. */
    public String source() {
        return source;
    }

    /** The districts, in file order. */
    public List<District> districts() {
        return districts;
    }

    /** The FeatureCollection's {@code note} member (e.g. how approximate the layer is), if any. */
    public Optional<String> note() {
        return Optional.ofNullable(note);
    }

    @Override
    public String toString() {
        return "DistrictLayer[" + source + ", " + districts.size() + " districts]";
    }

    /** One parse: keeps the source and property names for the messages. */
    private static final class Reader {
        private final String source;
        private final String idProperty;
        private final String nameProperty;
        private int feature = -1;
        private String featureId;

        Reader(String source, String idProperty, String nameProperty) {
            this.source = source;
            this.idProperty = idProperty;
            this.nameProperty = nameProperty;
        }

        private GeoJsonException error(String detail) {
            return feature < 0
                    ? new GeoJsonException(source, detail)
                    : new GeoJsonException(source, feature, featureId, detail);
        }

        DistrictLayer layer(JsonNode root) {
            if (root == null || root.isMissingNode() || !root.isObject()) {
                throw error("expected a GeoJSON FeatureCollection object, got " + kindOf(root));
            }
            String type = root.path("type").asText(null);
            if (!"FeatureCollection".equals(type)) {
                throw error(
                        "expected \"type\": \"FeatureCollection\", got "
                                + (type == null ? "no type" : "'" + type + "'"));
            }
            checkCrs(root.get("crs"));
            JsonNode features = root.get("features");
            if (features == null || !features.isArray()) {
                throw error("\"features\" must be an array, got " + kindOf(features));
            }
            if (features.isEmpty()) {
                throw error(
                        "no features: a districts layer needs at least one Polygon or"
                                + " MultiPolygon feature");
            }
            List<District> districts = new ArrayList<>(features.size());
            Map<String, Integer> seen = new HashMap<>();
            for (JsonNode f : features) {
                feature++;
                featureId = null;
                District d = district(f);
                Integer before = seen.putIfAbsent(d.zone().id(), feature);
                if (before != null) {
                    throw error("duplicate district id (also feature " + before + ")");
                }
                districts.add(d);
            }
            feature = -1;
            JsonNode note = root.get("note");
            return new DistrictLayer(
                    source, districts, note != null && note.isTextual() ? note.asText() : null);
        }

        private void checkCrs(JsonNode crs) {
            if (crs == null || crs.isNull()) {
                return;
            }
            String name = crs.path("properties").path("name").asText("");
            String upper = name.toUpperCase(Locale.ROOT);
            if (!upper.contains("CRS84") && !upper.endsWith("4326")) {
                throw error(
                        "unsupported \"crs\" '"
                                + name
                                + "': coordinates must be WGS 84 longitude, latitude (RFC 7946)");
            }
        }

        private District district(JsonNode f) {
            if (!f.isObject()) {
                throw error("expected a Feature object, got " + kindOf(f));
            }
            if (!"Feature".equals(f.path("type").asText(null))) {
                throw error("expected \"type\": \"Feature\", got " + kindOf(f.get("type")));
            }
            JsonNode props = f.get("properties");
            if (props != null && !props.isNull() && !props.isObject()) {
                throw error("\"properties\" must be an object, got " + kindOf(props));
            }
            String id =
                    idOf(
                            props == null ? null : props.get(idProperty),
                            "property '" + idProperty + "'");
            if (id == null) {
                id = idOf(f.get("id"), "feature \"id\"");
            }
            if (id == null) {
                throw error(
                        "no district id: needs a property '"
                                + idProperty
                                + "' or a feature \"id\" (string or integer)");
            }
            featureId = id;
            if (id.indexOf('|') >= 0) {
                throw error("district id must not contain '|' (it separates feature id parts)");
            }
            String name = id;
            JsonNode n = props == null ? null : props.get(nameProperty);
            if (n != null && !n.isNull()) {
                if (!n.isTextual() || n.asText().isBlank()) {
                    throw error(
                            "property '"
                                    + nameProperty
                                    + "' must be a non-empty string, got "
                                    + kindOf(n));
                }
                name = n.asText().strip();
            }
            Geometry geometry = geometry(f.get("geometry"));
            return new District(Zone.district(id, name), geometry, population(props));
        }

        /** The population properties, all optional; wrong types are errors, not ignored. */
        private Population population(JsonNode props) {
            JsonNode p = props == null ? null : props.get(POPULATION);
            if (p == null || p.isNull()) {
                return null;
            }
            if (!p.isIntegralNumber() || !p.canConvertToLong() || p.asLong() < 0) {
                throw error(
                        "property '"
                                + POPULATION
                                + "' must be a whole number of inhabitants, not negative, got "
                                + kindOf(p)
                                + " "
                                + p);
            }
            JsonNode year = props.get(POPULATION_YEAR);
            if (year != null
                    && !year.isNull()
                    && !(year.isIntegralNumber() && year.canConvertToInt())) {
                throw error(
                        "property '" + POPULATION_YEAR + "' must be a year, got " + kindOf(year));
            }
            JsonNode source = props.get(POPULATION_SOURCE);
            if (source != null && !source.isNull() && !source.isTextual()) {
                throw error(
                        "property '"
                                + POPULATION_SOURCE
                                + "' must be a string, got "
                                + kindOf(source));
            }
            return new Population(
                    p.asLong(),
                    year == null || year.isNull() ? null : year.asInt(),
                    source == null || source.isNull() ? null : source.asText());
        }

        private String idOf(JsonNode v, String what) {
            if (v == null || v.isNull()) {
                return null;
            }
            if (v.isTextual() && !v.asText().isBlank()) {
                return v.asText().strip();
            }
            if (v.isIntegralNumber()) {
                return v.bigIntegerValue().toString();
            }
            throw error(what + " must be a non-empty string or an integer, got " + kindOf(v));
        }

        private Geometry geometry(JsonNode g) {
            if (g == null || g.isNull()) {
                throw error("no geometry");
            }
            if (!g.isObject()) {
                throw error("\"geometry\" must be an object, got " + kindOf(g));
            }
            String type = g.path("type").asText(null);
            JsonNode coords = g.get("coordinates");
            Geometry geometry;
            if ("Polygon".equals(type)) {
                geometry = polygon(coords, "polygon");
            } else if ("MultiPolygon".equals(type)) {
                List<JsonNode> parts = array(coords, "MultiPolygon coordinates", 1);
                Polygon[] polygons = new Polygon[parts.size()];
                for (int i = 0; i < polygons.length; i++) {
                    polygons[i] = polygon(parts.get(i), "polygon " + i);
                }
                geometry = WGS84.createMultiPolygon(polygons);
            } else {
                throw error(
                        "geometry type "
                                + (type == null ? "missing" : "'" + type + "' is not supported")
                                + ", expected Polygon or MultiPolygon");
            }
            IsValidOp valid = new IsValidOp(geometry);
            TopologyValidationError problem = valid.getValidationError();
            if (problem != null) {
                Coordinate at = problem.getCoordinate();
                throw error(
                        "invalid geometry: "
                                + problem.getMessage()
                                + (at == null ? "" : " at lon " + at.x + ", lat " + at.y));
            }
            return geometry;
        }

        private Polygon polygon(JsonNode coords, String what) {
            List<JsonNode> rings = array(coords, what + " coordinates", 1);
            LinearRing shell = ring(rings.get(0), what + ", ring 0 (exterior)");
            LinearRing[] holes = new LinearRing[rings.size() - 1];
            for (int i = 1; i < rings.size(); i++) {
                holes[i - 1] = ring(rings.get(i), what + ", ring " + i + " (hole)");
            }
            return WGS84.createPolygon(shell, holes);
        }

        private LinearRing ring(JsonNode ring, String what) {
            List<JsonNode> positions = array(ring, what, 0);
            if (positions.size() < 4) {
                throw error(
                        what
                                + ": a ring needs at least 4 positions (the last repeating the"
                                + " first), got "
                                + positions.size());
            }
            Coordinate[] cs = new Coordinate[positions.size()];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = position(positions.get(i), what + ", position " + i);
            }
            if (!cs[0].equals2D(cs[cs.length - 1])) {
                throw error(
                        what
                                + " is not closed: the first position "
                                + text(cs[0])
                                + " differs from the last "
                                + text(cs[cs.length - 1]));
            }
            return WGS84.createLinearRing(cs);
        }

        private Coordinate position(JsonNode p, String what) {
            if (p == null || !p.isArray() || p.size() < 2) {
                throw error(what + ": expected [longitude, latitude], got " + kindOf(p));
            }
            JsonNode x = p.get(0);
            JsonNode y = p.get(1);
            if (!x.isNumber() || !y.isNumber()) {
                throw error(what + ": coordinates must be numbers, got " + p);
            }
            double lon = x.asDouble();
            double lat = y.asDouble();
            if (!(lon >= -180 && lon <= 180)) {
                throw error(what + ": longitude " + lon + " is outside [-180, 180]");
            }
            if (!(lat >= -90 && lat <= 90)) {
                throw error(
                        what
                                + ": latitude "
                                + lat
                                + " is outside [-90, 90] (GeoJSON positions are [longitude,"
                                + " latitude])");
            }
            return new Coordinate(lon, lat);
        }

        private List<JsonNode> array(JsonNode node, String what, int min) {
            if (node == null || !node.isArray()) {
                throw error(what + ": expected an array, got " + kindOf(node));
            }
            if (node.size() < min) {
                throw error(what + ": expected at least " + min + " element(s), got none");
            }
            List<JsonNode> out = new ArrayList<>(node.size());
            node.forEach(out::add);
            return out;
        }

        private static String text(Coordinate c) {
            return "[" + c.x + ", " + c.y + "]";
        }

        private static String kindOf(JsonNode n) {
            if (n == null || n.isMissingNode()) {
                return "nothing";
            }
            if (n.isTextual()) {
                return "the string '" + n.asText() + "'";
            }
            String s = n.toString();
            return n.getNodeType().name().toLowerCase(Locale.ROOT)
                    + " "
                    + (s.length() > 60 ? s.substring(0, 57) + "..." : s);
        }
    }
}
