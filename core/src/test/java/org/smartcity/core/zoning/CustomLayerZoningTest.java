package org.smartcity.core.zoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.smartcity.core.BoundingBox;

/**
 * Zoning over a hand-made layer ({@code zoning/squares.geojson}): squares A and B share the edge
 * lon 11, a gap (lon 12-13) separates them from C, which has a hole.
 */
class CustomLayerZoningTest {
    private static final Zoning ZONING =
            Zoning.create(
                    ZoningSpec.builder("squareville")
                            .cityName("Squareville")
                            .h3Resolution(6)
                            .districts("classpath:zoning/squares.geojson")
                            .build());

    private static List<String> districtIds(double lat, double lon) {
        return ZONING.zonesOf(lat, lon).stream()
                .filter(z -> z.kind() == ZoneKind.DISTRICT)
                .map(Zone::id)
                .toList();
    }

    @Test
    void readsIdsFromCodeFeatureIdOrNumbers() {
        assertThat(ZONING.districts())
                .containsExactly(
                        Zone.district("A", "Square A"),
                        Zone.district("B", "Square B"),
                        Zone.district("3", "Square C with a hole"));
    }

    @Test
    void pointsInsideTheSquares() {
        assertThat(districtIds(50.5, 10.5)).containsExactly("A");
        assertThat(districtIds(50.5, 11.5)).containsExactly("B");
        assertThat(districtIds(50.2, 13.2)).containsExactly("3");
    }

    @Test
    void aPointOnTheSharedEdgeGetsExactlyOneDistrictTheFirstInTheFile() {
        assertThat(districtIds(50.5, 11.0)).containsExactly("A");
        assertThat(districtIds(51.0, 11.0)).containsExactly("A"); // the shared corner
        assertThat(districtIds(50.5, Math.nextUp(11.0))).containsExactly("B");
        assertThat(districtIds(50.5, Math.nextDown(11.0))).containsExactly("A");
    }

    @Test
    void theOuterEdgeBelongsToTheDistrict() {
        assertThat(districtIds(50.0, 10.5)).containsExactly("A");
        assertThat(districtIds(50.5, 12.0)).containsExactly("B");
        assertThat(districtIds(50.5, Math.nextUp(12.0))).isEmpty();
    }

    @Test
    void aPointInTheGapOrTheHoleHasNoDistrictButTheCityAndACell() {
        for (double[] p : new double[][] {{50.5, 12.5}, {50.5, 13.5}, {49.0, 10.5}}) {
            List<Zone> zones = ZONING.zonesOf(p[0], p[1]);
            assertThat(zones).extracting(Zone::kind).containsExactly(ZoneKind.H3, ZoneKind.CITY);
            assertThat(zones.get(1)).isEqualTo(Zone.city("squareville", "Squareville"));
        }
    }

    @Test
    void cityOutlineIsTheUnionOfTheDistricts() {
        Geometry city = ZONING.geometry(ZONING.city());

        assertThat(city.getNumGeometries()).isEqualTo(2); // A+B, and C
        assertThat(city.getArea()).isCloseTo(3.0 - 0.04, within(1e-9));
        GeometryFactory gf = new GeometryFactory();
        assertThat(city.covers(gf.createPoint(new Coordinate(12.5, 50.5)))).isFalse();
        assertThat(city.covers(gf.createPoint(new Coordinate(11.0, 50.5)))).isTrue();
    }

    @Test
    void withoutDistrictsTheCityIsItsBoundingBox() {
        Zoning z =
                Zoning.create(
                        ZoningSpec.builder("boxtown")
                                .bounds(BoundingBox.ofEdges(50, 10, 51, 12))
                                .build());

        assertThat(z.districts()).isEmpty();
        assertThat(z.zonesOf(50.5, 11))
                .extracting(Zone::kind)
                .containsExactly(ZoneKind.H3, ZoneKind.CITY);
        assertThat((Object) z.geometry(ZoneKind.CITY, "boxtown").getEnvelopeInternal())
                .isEqualTo(new Envelope(10, 12, 50, 51));
        assertThat(z.geometry(ZoneKind.CITY, "boxtown").getArea()).isEqualTo(2.0);
        assertThat(z.wkt(z.city())).isEqualTo("POLYGON ((10 50, 10 51, 12 51, 12 50, 10 50))");
    }

    @Test
    void readsAFileByPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("districts.geojson");
        try (var in = getClass().getResourceAsStream("/zoning/squares.geojson")) {
            Files.copy(in, file);
        }
        Zoning z = Zoning.create(ZoningSpec.builder("squareville").districts(file).build());

        assertThat(z.districts()).hasSize(3);
        assertThat(z.spec().h3Resolution()).isEqualTo(8);
    }

    @Test
    void otherPropertyNames() {
        String json =
                """
                {"type": "FeatureCollection", "features": [
                  {"type": "Feature", "properties": {"adcode": 110101, "title": "Dongcheng 东城区"},
                   "geometry": {"type": "Polygon",
                     "coordinates": [[[116.3, 39.8], [116.5, 39.8], [116.5, 40.0], [116.3, 39.8]]]}}
                ]}
                """;
        DistrictLayer layer = DistrictLayer.parse(json, "beijing.geojson", "adcode", "title");
        Zoning z =
                Zoning.create(
                        ZoningSpec.builder("beijing").districts("beijing.geojson").build(), layer);

        assertThat(z.districts()).containsExactly(Zone.district("110101", "Dongcheng 东城区"));
        assertThat(z.district(39.85, 116.45)).hasValue(Zone.district("110101", "Dongcheng 东城区"));
    }
}
