package org.smartcity.core.zoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

class DistrictLayerTest {
    private static final String SQUARE = "[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]";

    /** A FeatureCollection of the given features. */
    private static String collection(String... features) {
        return "{\"type\": \"FeatureCollection\", \"features\": ["
                + String.join(",", features)
                + "]}";
    }

    private static String feature(String properties, String geometry) {
        return "{\"type\": \"Feature\", \"properties\": "
                + properties
                + ", \"geometry\": "
                + geometry
                + "}";
    }

    private static String polygon(String coordinates) {
        return "{\"type\": \"Polygon\", \"coordinates\": " + coordinates + "}";
    }

    private static String ok(String code) {
        return feature(
                "{\"code\": \"" + code + "\", \"name\": \"D " + code + "\"}", polygon(SQUARE));
    }

    private static GeoJsonException failure(String json) {
        Throwable t = catchThrowable(json);
        assertThat(t).isInstanceOf(GeoJsonException.class);
        return (GeoJsonException) t;
    }

    private static Throwable catchThrowable(String json) {
        try {
            DistrictLayer.parse(json, "test.geojson");
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("parsed without error: " + json);
    }

    @Test
    void readsThePopulationOfAnyCitysDistrictsWhereTheFileGivesIt() {
        String json =
                collection(
                        feature(
                                "{\"code\": \"A\", \"population\": 120500,"
                                        + " \"population_year\": 2021, \"population_source\":"
                                        + " \"census\"}",
                                polygon(SQUARE)),
                        feature("{\"code\": \"B\", \"population\": 300}", polygon(SQUARE)),
                        ok("C"));

        DistrictLayer layer = DistrictLayer.parse(json, "test.geojson");

        assertThat(layer.districts())
                .extracting(DistrictLayer.District::population)
                .containsExactly(
                        new Population(120_500, 2021, "census"),
                        new Population(300, null, null),
                        null);
    }

    @Test
    void refusesAPopulationThatIsNotAWholeNumberOfInhabitants() {
        for (String bad : new String[] {"\"many\"", "12.5", "-1"}) {
            String json =
                    collection(
                            feature(
                                    "{\"code\": \"A\", \"population\": " + bad + "}",
                                    polygon(SQUARE)));
            assertThat(failure(json))
                    .as(bad)
                    .hasMessageContaining(
                            "property 'population' must be a whole number of inhabitants");
        }
        assertThat(
                        failure(
                                collection(
                                        feature(
                                                "{\"code\": \"A\", \"population\": 5,"
                                                        + " \"population_year\": \"2023\"}",
                                                polygon(SQUARE)))))
                .hasMessageContaining("property 'population_year' must be a year");
    }

    @Test
    void readsPolygonsAndMultiPolygonsWithTheirNote() {
        String multi =
                feature(
                        "{\"code\": \"M\"}",
                        "{\"type\": \"MultiPolygon\", \"coordinates\": ["
                                + SQUARE
                                + ", [[[2, 2], [3, 2], [3, 3], [2, 2]]]]}");
        String json =
                "{\"type\": \"FeatureCollection\", \"note\": \"hand-made\", \"features\": ["
                        + ok("P")
                        + ","
                        + multi
                        + "]}";

        DistrictLayer layer = DistrictLayer.parse(json, "test.geojson");

        assertThat(layer.districts()).hasSize(2);
        assertThat(layer.districts().get(0).zone()).isEqualTo(Zone.district("P", "D P"));
        assertThat((Object) layer.districts().get(0).geometry()).isInstanceOf(Polygon.class);
        assertThat(layer.districts().get(0).geometry().getSRID()).isEqualTo(4326);
        // No name: the id is the name.
        assertThat(layer.districts().get(1).zone()).isEqualTo(Zone.district("M", "M"));
        assertThat((Object) layer.districts().get(1).geometry()).isInstanceOf(MultiPolygon.class);
        assertThat(layer.note()).hasValue("hand-made");
        assertThat(layer.source()).isEqualTo("test.geojson");
    }

    @Test
    void idFromTheFeatureIdWhenThereIsNoCodeProperty() {
        String f =
                "{\"type\": \"Feature\", \"id\": 42, \"properties\": null, \"geometry\": "
                        + polygon(SQUARE)
                        + "}";
        assertThat(DistrictLayer.parse(collection(f), "t").districts().get(0).zone())
                .isEqualTo(Zone.district("42", "42"));
    }

    @Test
    void acceptsTheRfc7946Crs() {
        String json =
                "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\":"
                        + " {\"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\"}}, \"features\": ["
                        + ok("A")
                        + "]}";
        assertThat(DistrictLayer.parse(json, "t").districts()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            textBlock =
                    """
            not JSON                 | {"type": "FeatureCollection", "features": [  | test.geojson: not valid JSON at line 1
            an array                 | []                                           | test.geojson: expected a GeoJSON FeatureCollection object, got array []
            a Feature at top level   | {"type": "Feature"}                          | test.geojson: expected "type": "FeatureCollection", got 'Feature'
            no features              | {"type": "FeatureCollection"}                | test.geojson: "features" must be an array, got nothing
            empty features           | {"type": "FeatureCollection", "features": []} | test.geojson: no features: a districts layer needs at least one Polygon or MultiPolygon feature
            another CRS              | {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}, "features": []} | test.geojson: unsupported "crs" 'EPSG:3857'
            """)
    void collectionErrors(String what, String json, String message) {
        assertThat(failure(json))
                .hasMessageStartingWith(message)
                .extracting(GeoJsonException::featureIndex)
                .isEqualTo(-1);
    }

    @Test
    void unsupportedGeometryNamesTheFeatureAndTheType() {
        String line =
                feature(
                        "{\"code\": \"L\"}",
                        "{\"type\": \"LineString\", \"coordinates\": [[0, 0], [1, 1]]}");
        GeoJsonException e = failure(collection(ok("A"), line));

        assertThat(e)
                .hasMessage(
                        "test.geojson: feature 1 (id 'L'): geometry type 'LineString' is not"
                                + " supported, expected Polygon or MultiPolygon");
        assertThat(e.featureIndex()).isEqualTo(1);
        assertThat(e.source()).isEqualTo("test.geojson");
    }

    @Test
    void missingId() {
        assertThat(failure(collection(feature("{\"name\": \"nameless\"}", polygon(SQUARE)))))
                .hasMessage(
                        "test.geojson: feature 0: no district id: needs a property 'code' or a"
                                + " feature \"id\" (string or integer)");
    }

    @Test
    void duplicateId() {
        assertThat(failure(collection(ok("A"), ok("B"), ok("A"))))
                .hasMessage(
                        "test.geojson: feature 2 (id 'A'): duplicate district id (also feature 0)");
    }

    @Test
    void idWithTheFeatureIdSeparator() {
        assertThat(failure(collection(ok("A|B"))))
                .hasMessageContaining("feature 0 (id 'A|B'): district id must not contain '|'");
    }

    @Test
    void idOfTheWrongType() {
        assertThat(failure(collection(feature("{\"code\": 1.5}", polygon(SQUARE)))))
                .hasMessageContaining(
                        "feature 0: property 'code' must be a non-empty string or an integer, got number 1.5");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            textBlock =
                    """
            no geometry        | null                                                        | no geometry
            no coordinates     | {"type": "Polygon"}                                         | polygon coordinates: expected an array, got nothing
            ring not closed    | {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]} | polygon, ring 0 (exterior) is not closed: the first position [0.0, 0.0] differs from the last [0.0, 1.0]
            too few positions  | {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]} | polygon, ring 0 (exterior): a ring needs at least 4 positions (the last repeating the first), got 3
            text coordinate    | {"type": "Polygon", "coordinates": [[[0, 0], [1, "0"], [1, 1], [0, 0]]]} | polygon, ring 0 (exterior), position 1: coordinates must be numbers, got [1,"0"]
            one number         | {"type": "Polygon", "coordinates": [[[0, 0], [1], [1, 1], [0, 0]]]} | polygon, ring 0 (exterior), position 1: expected [longitude, latitude], got array [1]
            latitude first     | {"type": "Polygon", "coordinates": [[[25, 102], [25, 103], [26, 103], [25, 102]]]} | polygon, ring 0 (exterior), position 0: latitude 102.0 is outside [-90, 90] (GeoJSON positions are [longitude, latitude])
            longitude too big  | {"type": "Polygon", "coordinates": [[[0, 0], [181, 0], [1, 1], [0, 0]]]} | polygon, ring 0 (exterior), position 1: longitude 181.0 is outside [-180, 180]
            bad hole           | {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]], [[0.5, 0.1]]]} | polygon, ring 1 (hole): a ring needs at least 4 positions
            bad multi part     | {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 6]]]]} | polygon 1, ring 0 (exterior) is not closed
            self-intersection  | {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]} | invalid geometry: Self-intersection at lon 0.5, lat 0.5
            no type            | {"coordinates": []}                                          | geometry type missing, expected Polygon or MultiPolygon
            """)
    void geometryErrorsNameTheFeatureAndThePlace(String what, String geometry, String detail) {
        GeoJsonException e = failure(collection(ok("A"), feature("{\"code\": \"X\"}", geometry)));

        assertThat(e).hasMessageStartingWith("test.geojson: feature 1 (id 'X'): " + detail);
        assertThat(e.featureIndex()).isEqualTo(1);
    }

    @Test
    void aFeatureThatIsNotAFeature() {
        assertThat(failure(collection(ok("A"), "{\"type\": \"Polygon\"}")))
                .hasMessage(
                        "test.geojson: feature 1: expected \"type\": \"Feature\", got the string 'Polygon'");
    }

    @Test
    void aMissingFileNamesThePath(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere.geojson");

        assertThatThrownBy(() -> DistrictLayer.load(missing.toString()))
                .isInstanceOf(GeoJsonException.class)
                .hasMessageStartingWith(missing + ": file not found");
    }

    @Test
    void aMissingResourceNamesIt() {
        assertThatThrownBy(() -> DistrictLayer.load("classpath:zones/atlantis.geojson"))
                .isInstanceOf(GeoJsonException.class)
                .hasMessage("classpath:zones/atlantis.geojson: classpath resource not found");
    }

    @Test
    void errorsInAFileNameTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.geojson");
        Files.writeString(file, collection(ok("A"), feature("{\"code\": \"B\"}", "null")));

        assertThatThrownBy(() -> DistrictLayer.load(file.toString()))
                .hasMessage(file + ": feature 1 (id 'B'): no geometry");
    }
}
