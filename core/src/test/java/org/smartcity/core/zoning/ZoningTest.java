package org.smartcity.core.zoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import com.uber.h3core.H3Core;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.smartcity.core.CityArea;

/** The default Kunming zoning: H3 resolution 8 and the approximate districts. */
class ZoningTest {
    private static final GeometryFactory GF = new GeometryFactory();
    private static final double CENTRE_LAT = 25.0406;
    private static final double CENTRE_LON = 102.7123;

    private static Zoning zoning;
    private static H3Core h3;

    @BeforeAll
    static void setUp() throws IOException {
        zoning = Zoning.kunming();
        h3 = H3Core.newInstance();
    }

    private static Point point(double lat, double lon) {
        return GF.createPoint(new Coordinate(lon, lat));
    }

    @Test
    void cellOfAKnownPointIsTheH3LibrarysAnswer() {
        Zone cell = zoning.cell(CENTRE_LAT, CENTRE_LON);

        assertThat(cell)
                .isEqualTo(new Zone(ZoneKind.H3, "8840717295fffff", "8840717295fffff"))
                .isEqualTo(Zone.h3(h3.latLngToCellAddress(CENTRE_LAT, CENTRE_LON, 8)));
        assertThat(h3.getResolution(cell.id())).isEqualTo(8);
    }

    @Test
    void cellGeometryIsTheH3BoundaryAndContainsThePoint() {
        Zone cell = zoning.cell(CENTRE_LAT, CENTRE_LON);
        Geometry g = zoning.geometry(cell);

        assertThat((Object) g).isInstanceOf(Polygon.class);
        assertThat(g.getSRID()).isEqualTo(4326);
        assertThat(g.getNumPoints()).isEqualTo(7); // a hexagon, closed
        assertThat(g.covers(point(CENTRE_LAT, CENTRE_LON))).isTrue();
        var first = h3.cellToBoundary(cell.id()).get(0);
        assertThat(g.getCoordinates()[0]).isEqualTo(new Coordinate(first.lng, first.lat));
        // Resolution 8 cells average 0.737 km²; here, in lon/lat degrees at 25° N:
        double km2 = g.getArea() * Math.pow(111.195, 2) * Math.cos(Math.toRadians(CENTRE_LAT));
        assertThat(km2).isBetween(0.5, 1.0);
        assertThat(zoning.wkt(cell)).startsWith("POLYGON ((102.71");
    }

    @Test
    void zonesComeAsCellDistrictCity() {
        List<Zone> zones = zoning.zonesOf(CENTRE_LAT, CENTRE_LON);

        assertThat(zones)
                .extracting(Zone::kind)
                .containsExactly(ZoneKind.H3, ZoneKind.DISTRICT, ZoneKind.CITY);
        assertThat(zones.get(0)).isEqualTo(zoning.cell(CENTRE_LAT, CENTRE_LON));
        assertThat(zones.get(2)).isEqualTo(new Zone(ZoneKind.CITY, "kunming", "Kunming 昆明市"));
    }

    /** Seats and codes as in REFERENCE.md section 4, typed in again here. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "530102, Wuhua District 五华区, 25.04, 102.70",
        "530103, Panlong District 盘龙区, 25.06, 102.72",
        "530111, Guandu District 官渡区, 25.018, 102.742",
        "530112, Xishan District 西山区, 25.03, 102.66",
        "530113, Dongchuan District 东川区, 26.083, 103.188",
        "530114, Chenggong District 呈贡区, 24.886, 102.822",
        "530115, Jinning District 晋宁区, 24.67, 102.60",
        "530124, Fumin County 富民县, 25.22, 102.50",
        "530125, Yiliang County 宜良县, 24.92, 103.14",
        "530126, Shilin Yi Autonomous County 石林彝族自治县, 24.77, 103.29",
        "530127, Songming County 嵩明县, 25.34, 103.04",
        "530128, Luquan Yi and Miao Autonomous County 禄劝彝族苗族自治县, 25.55, 102.47",
        "530129, Xundian Hui and Yi Autonomous County 寻甸回族彝族自治县, 25.56, 103.26",
        "530181, Anning City 安宁市, 24.92, 102.48"
    })
    void eachSeatIsInItsOwnDistrict(String code, String name, double lat, double lon) {
        assertThat(zoning.zonesOf(lat, lon))
                .filteredOn(z -> z.kind() == ZoneKind.DISTRICT)
                .containsExactly(Zone.district(code, name));
        assertThat(zoning.geometry(ZoneKind.DISTRICT, code).contains(point(lat, lon))).isTrue();
    }

    @Test
    void fourteenDistrictsInFileOrder() {
        assertThat(zoning.districts())
                .extracting(Zone::id)
                .containsExactly(
                        "530102", "530103", "530111", "530112", "530113", "530114", "530115",
                        "530124", "530125", "530126", "530127", "530128", "530129", "530181");
        assertThat(zoning.districtsNote())
                .hasValueSatisfying(n -> assertThat(n).contains("Voronoi"));
    }

    @Test
    void aPointOnTheBisectorOfTwoSeatsGetsExactlyOneOfTheirDistricts() {
        // Dongchuan (26.083, 103.188) and Xundian (25.56, 103.26): the midpoint lies on the
        // bisector, their shared border (the Voronoi was built on a linear projection).
        double lat = (26.083 + 25.56) / 2;
        double lon = (103.188 + 103.26) / 2;
        List<Zone> districts = districtsOf(lat, lon);
        assertThat(districts).hasSize(1);
        assertThat(districts.get(0).id()).isIn("530113", "530129");

        // A hundredth of the way to either seat decides it (far beyond the 1e-5° rounding).
        double dLat = (26.083 - 25.56) / 100;
        double dLon = (103.188 - 103.26) / 100;
        assertThat(districtsOf(lat + dLat, lon + dLon))
                .extracting(Zone::id)
                .containsExactly("530113");
        assertThat(districtsOf(lat - dLat, lon - dLon))
                .extracting(Zone::id)
                .containsExactly("530129");
    }

    @Test
    void aVertexSharedByDistrictsCountsOnceForTheFirstInTheFile() {
        Geometry wuhua = zoning.geometry(ZoneKind.DISTRICT, "530102");
        Geometry panlong = zoning.geometry(ZoneKind.DISTRICT, "530103");
        Coordinate shared =
                Arrays.stream(wuhua.getCoordinates())
                        .filter(c -> Arrays.asList(panlong.getCoordinates()).contains(c))
                        .findFirst()
                        .orElseThrow();
        Point p = GF.createPoint(shared);
        assertThat(wuhua.covers(p)).isTrue();
        assertThat(panlong.covers(p)).isTrue();

        assertThat(districtsOf(shared.y, shared.x)).extracting(Zone::id).containsExactly("530102");
    }

    @Test
    void everyPointOfTheBoxHasExactlyOneDistrict() {
        // The Voronoi cells are clipped to the box and tile it, corners and edges included.
        CityArea box = CityArea.KUNMING;
        double[][] points = {
            {box.minLat(), box.minLon()},
            {box.maxLat(), box.maxLon()},
            {box.minLat(), box.maxLon()},
            {box.maxLat(), box.minLon()},
            {box.centerLat(), box.minLon()},
            {box.centerLat(), box.centerLon()}
        };
        for (double[] p : points) {
            assertThat(districtsOf(p[0], p[1])).as("(%s, %s)", p[0], p[1]).hasSize(1);
        }
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            double lat = box.minLat() + random.nextDouble() * (box.maxLat() - box.minLat());
            double lon = box.minLon() + random.nextDouble() * (box.maxLon() - box.minLon());
            List<Zone> in = new ArrayList<>();
            for (Zone d : zoning.districts()) {
                if (zoning.geometry(d).covers(point(lat, lon))) {
                    in.add(d);
                }
            }
            // Off the borders a random point is in exactly one polygon: the lookup must agree.
            if (in.size() == 1) {
                assertThat(districtsOf(lat, lon)).as("(%s, %s)", lat, lon).isEqualTo(in);
            } else {
                assertThat(districtsOf(lat, lon)).hasSize(1);
            }
        }
    }

    @Test
    void theCityIsAlwaysThereEvenOutsideItsOutline() {
        // Beijing: the zoning does not filter, ingest does (OUT_OF_AREA).
        List<Zone> zones = zoning.zonesOf(39.9042, 116.4074);

        assertThat(zones).extracting(Zone::kind).containsExactly(ZoneKind.H3, ZoneKind.CITY);
        assertThat(zones.get(1)).isEqualTo(zoning.city());
    }

    @Test
    void cityOutlineIsTheUnionOfTheDistrictsThatIsTheBox() {
        Geometry city = zoning.geometry(zoning.city());
        CityArea box = CityArea.KUNMING;

        assertThat(city.getArea())
                .isCloseTo(
                        (box.maxLat() - box.minLat()) * (box.maxLon() - box.minLon()),
                        within(1e-6));
        assertThat((Object) city.getEnvelopeInternal())
                .isEqualTo(new Envelope(box.minLon(), box.maxLon(), box.minLat(), box.maxLat()));
        assertThat(city.getSRID()).isEqualTo(4326);
        assertThat(zoning.wkt(zoning.city())).startsWith("POLYGON ((");
    }

    @Test
    void zonesAreFoundByKindAndId() {
        assertThat(zoning.zone(ZoneKind.DISTRICT, "530114"))
                .hasValue(Zone.district("530114", "Chenggong District 呈贡区"));
        assertThat(zoning.zone(ZoneKind.DISTRICT, "999999")).isEmpty();
        assertThat(zoning.zone(ZoneKind.CITY, "kunming")).hasValue(zoning.city());
        assertThat(zoning.zone(ZoneKind.CITY, "dali")).isEmpty();
        assertThat(zoning.zone(ZoneKind.H3, "8840717295fffff"))
                .hasValue(Zone.h3("8840717295fffff"));
        assertThat(zoning.zone(ZoneKind.H3, "not-a-cell")).isEmpty();
    }

    @Test
    void unknownZonesHaveNoGeometry() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> zoning.geometry(ZoneKind.DISTRICT, "999999"))
                .withMessageContaining("unknown district '999999'")
                .withMessageContaining("530102");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> zoning.geometry(Zone.city("dali", "Dali")))
                .withMessageContaining("unknown city 'dali'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> zoning.wkt(ZoneKind.H3, "8840717295ffffz"))
                .withMessageContaining("not a valid H3 cell address");
    }

    @Test
    void geometriesAreCopies() {
        Geometry g = zoning.geometry(ZoneKind.DISTRICT, "530102");
        g.getCoordinates()[0].x = 0;
        g.geometryChanged();

        assertThat(zoning.geometry(ZoneKind.DISTRICT, "530102").getCoordinates()[0].x)
                .isNotEqualTo(0);
    }

    @ParameterizedTest(name = "lat {0}, lon {1}")
    @CsvSource({"NaN, 102.7", "25.0, NaN", "91, 102.7", "25.0, 180.5", "-90.1, 0"})
    void rejectsCoordinatesOffTheGlobe(double lat, double lon) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> zoning.zonesOf(lat, lon))
                .withMessageContaining("not a location");
    }

    @ParameterizedTest(name = "resolution {0}")
    @CsvSource({"0", "7", "9", "15"})
    void cellsAtTheConfiguredResolution(int resolution) {
        Zoning z = Zoning.create(ZoningSpec.kunming().withH3Resolution(resolution));

        Zone cell = z.zonesOf(CENTRE_LAT, CENTRE_LON).get(0);
        assertThat(cell.id()).isEqualTo(h3.latLngToCellAddress(CENTRE_LAT, CENTRE_LON, resolution));
        assertThat(h3.getResolution(cell.id())).isEqualTo(resolution);
        assertThat(z.geometry(cell).covers(point(CENTRE_LAT, CENTRE_LON))).isTrue();
    }

    @Test
    void sharedBetweenThreadsGivesTheSameAnswers() throws Exception {
        Random random = new Random(7);
        double[][] points = new double[20_000][];
        for (int i = 0; i < points.length; i++) {
            points[i] =
                    new double[] {
                        24.38 + random.nextDouble() * 1.99, 102.17 + random.nextDouble() * 1.5
                    };
        }
        List<List<Zone>> expected = new ArrayList<>();
        for (double[] p : points) {
            expected.add(zoning.zonesOf(p[0], p[1]));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<List<Zone>>>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(
                        pool.submit(
                                () -> {
                                    List<List<Zone>> got = new ArrayList<>();
                                    for (double[] p : points) {
                                        got.add(zoning.zonesOf(p[0], p[1]));
                                    }
                                    return got;
                                }));
            }
            for (Future<List<List<Zone>>> run : runs) {
                assertThat(run.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> seen = new HashSet<>();
        expected.forEach(zs -> seen.add(zs.get(1).id()));
        assertThat(seen).hasSize(14); // every district was hit
    }

    private static List<Zone> districtsOf(double lat, double lon) {
        return zoning.zonesOf(lat, lon).stream()
                .filter(z -> z.kind() == ZoneKind.DISTRICT)
                .toList();
    }
}
