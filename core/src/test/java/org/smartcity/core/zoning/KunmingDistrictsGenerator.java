package org.smartcity.core.zoning;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateList;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.union.UnaryUnionOp;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

/**
 * Regenerates {@code core/src/main/resources/zones/kunming-districts.geojson}, the approximate
 * Kunming districts: a Voronoi partition of the 14 county-level seats, clipped to the prefecture's
 * bounding box. Official boundaries cannot be shipped; this stands in for them.
 *
 * <p>Deterministic: the same input gives the same bytes (checked by {@code
 * KunmingDistrictsFileTest}). Run from the repository root or from {@code core/}, optionally with
 * the output path:
 *
 * <pre>
 * ./mvnw -q -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.smartcity.core.zoning.KunmingDistrictsGenerator
 * </pre>
 *
 * <p>The Voronoi diagram is computed in an equirectangular projection around the box's middle
 * latitude (x = lon·cos 25.375°, y = lat), so cell edges are perpendicular bisectors in kilometres
 * rather than in degrees; cell edges stay straight lines in longitude/latitude.
 */
public final class KunmingDistrictsGenerator {
    static final double MIN_LAT = 24.38;
    static final double MAX_LAT = 26.37;
    static final double MIN_LON = 102.17;
    static final double MAX_LON = 103.67;

    /**
     * A county-level unit. Seat coordinates and 2023 year-end populations (10,000s) as in the
     * project's REFERENCE.md section 4; {@code seatApproximate} where it marks the seat ⚠.
     */
    record Seat(
            String code,
            String nameEn,
            String nameZh,
            String seatTown,
            String lat,
            String lon,
            boolean seatApproximate,
            String population2023TenThousands) {

        String name() {
            return nameEn + " " + nameZh;
        }

        double latitude() {
            return Double.parseDouble(lat);
        }

        double longitude() {
            return Double.parseDouble(lon);
        }

        long population2023() {
            return new BigDecimal(population2023TenThousands)
                    .multiply(BigDecimal.valueOf(10_000))
                    .setScale(0, RoundingMode.UNNECESSARY)
                    .longValueExact();
        }
    }

    /** REFERENCE.md section 4; columns: code, name, 中文, seat town, lat, lon, ⚠, pop. 2023 (10k). */
    private static final String TABLE =
            """
            530102 | Wuhua District                       | 五华区             |           | 25.04  | 102.70  | ⚠ | 117.90
            530103 | Panlong District                     | 盘龙区             |           | 25.06  | 102.72  | ⚠ | 102.35
            530111 | Guandu District                      | 官渡区             |           | 25.018 | 102.742 |   | 162.95
            530112 | Xishan District                      | 西山区             |           | 25.03  | 102.66  | ⚠ | 98.31
            530113 | Dongchuan District                   | 东川区             |           | 26.083 | 103.188 |   | 25.65
            530114 | Chenggong District                   | 呈贡区             |           | 24.886 | 102.822 |   | 70.97
            530115 | Jinning District                     | 晋宁区             | Kunyang   | 24.67  | 102.60  |   | 35.00
            530124 | Fumin County                         | 富民县             | Yongding  | 25.22  | 102.50  | ⚠ | 15.26
            530125 | Yiliang County                       | 宜良县             | Kuangyuan | 24.92  | 103.14  | ⚠ | 38.12
            530126 | Shilin Yi Autonomous County          | 石林彝族自治县     | Lufu      | 24.77  | 103.29  |   | 23.85
            530127 | Songming County                      | 嵩明县             | Songyang  | 25.34  | 103.04  | ⚠ | 43.12
            530128 | Luquan Yi and Miao Autonomous County | 禄劝彝族苗族自治县 | Pingshan  | 25.55  | 102.47  | ⚠ | 37.43
            530129 | Xundian Hui and Yi Autonomous County | 寻甸回族彝族自治县 | Rende     | 25.56  | 103.26  | ⚠ | 46.36
            530181 | Anning City                          | 安宁市             | Lianran   | 24.92  | 102.48  | ⚠ | 50.73
            """;

    /** Where every district's population figure comes from (REFERENCE.md section 4). */
    static final String POPULATION_SOURCE =
            "Kunming Statistics Bureau, resident population at 2023 year-end (in 10,000s, times"
                    + " 10,000), via a secondary source (m.hbzqbyyxgs.com); REFERENCE.md section 4";

    static final List<Seat> SEATS =
            TABLE.lines().map(KunmingDistrictsGenerator::parseSeat).toList();

    private static Seat parseSeat(String line) {
        String[] f = line.split("\\|");
        if (f.length != 8) {
            throw new IllegalStateException("expected 8 columns: " + line);
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].strip();
        }
        return new Seat(
                f[0], f[1], f[2], f[3].isEmpty() ? null : f[3], f[4], f[5], f[6].equals("⚠"), f[7]);
    }

    private static final List<String> CENTRAL = List.of("530102", "530103", "530112", "530111");
    private static final double SCALE = 1e5; // 5 decimals, about 1 m
    private static final double K = Math.cos(Math.toRadians((MIN_LAT + MAX_LAT) / 2));
    private static final GeometryFactory PLANE = new GeometryFactory();

    private KunmingDistrictsGenerator() {}

    public static void main(String[] args) throws IOException {
        Path out =
                args.length > 0
                        ? Path.of(args[0])
                        : Files.isDirectory(Path.of("core/src/main/resources"))
                                ? Path.of("core/src/main/resources/zones/kunming-districts.geojson")
                                : Path.of("src/main/resources/zones/kunming-districts.geojson");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, generate(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath() + " (" + Files.size(out) + " bytes)");
    }

    /** The file's content. */
    static String generate() {
        List<Polygon> cells = cells();
        StringBuilder json = new StringBuilder(32_768);
        json.append("{\n");
        json.append("  \"type\": \"FeatureCollection\",\n");
        json.append("  \"note\": ").append(quote(note())).append(",\n");
        json.append("  \"features\": [\n");
        for (int i = 0; i < SEATS.size(); i++) {
            Seat s = SEATS.get(i);
            json.append("    {\n");
            json.append("      \"type\": \"Feature\",\n");
            json.append("      \"id\": ").append(quote(s.code())).append(",\n");
            json.append("      \"properties\": {\n");
            json.append("        \"code\": ").append(quote(s.code())).append(",\n");
            json.append("        \"name\": ").append(quote(s.name())).append(",\n");
            json.append("        \"name_en\": ").append(quote(s.nameEn())).append(",\n");
            json.append("        \"name_zh\": ").append(quote(s.nameZh())).append(",\n");
            if (s.seatTown() != null) {
                json.append("        \"seat\": ").append(quote(s.seatTown())).append(",\n");
            }
            json.append("        \"seat_lat\": ").append(s.lat()).append(",\n");
            json.append("        \"seat_lon\": ").append(s.lon()).append(",\n");
            json.append("        \"seat_approximate\": ").append(s.seatApproximate()).append(",\n");
            json.append("        \"population\": ").append(s.population2023()).append(",\n");
            json.append("        \"population_year\": 2023,\n");
            json.append("        \"population_source\": ")
                    .append(quote(POPULATION_SOURCE))
                    .append(",\n");
            json.append("        \"approximate\": true\n");
            json.append("      },\n");
            json.append("      \"geometry\": {\n");
            json.append("        \"type\": \"Polygon\",\n");
            json.append("        \"coordinates\": [\n");
            json.append("          [\n");
            Coordinate[] ring = cells.get(i).getExteriorRing().getCoordinates();
            for (int j = 0; j < ring.length; j++) {
                json.append("            [")
                        .append(String.format(Locale.ROOT, "%.5f, %.5f", ring[j].x, ring[j].y))
                        .append(j < ring.length - 1 ? "],\n" : "]\n");
            }
            json.append("          ]\n");
            json.append("        ]\n");
            json.append("      }\n");
            json.append(i < SEATS.size() - 1 ? "    },\n" : "    }\n");
        }
        json.append("  ]\n");
        json.append("}\n");
        return json.toString();
    }

    static String note() {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 0; i < CENTRAL.size(); i++) {
            for (int j = i + 1; j < CENTRAL.size(); j++) {
                double d = kilometres(seatOf(CENTRAL.get(i)), seatOf(CENTRAL.get(j)));
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
        }
        String approximateSeats =
                SEATS.stream()
                        .filter(Seat::seatApproximate)
                        .map(s -> s.nameEn() + " ⚠")
                        .collect(Collectors.joining(", "));
        Polygon wuhua = cells().get(SEATS.indexOf(seatOf("530102")));
        return String.format(
                Locale.ROOT,
                "APPROXIMATE district zones for Kunming (昆明市, code 5301, 14 county-level units),"
                        + " NOT official administrative boundaries: a Voronoi partition of the"
                        + " county-level seats (computed in an equirectangular projection at"
                        + " %.3f N), clipped to the prefecture bounding box %.2f-%.2f N,"
                        + " %.2f-%.2f E. Each zone is the area nearer to its seat than to any"
                        + " other seat, so real borders (mountains, Dianchi lake) are ignored and"
                        + " the outer zones reach the corners of the box. The four central"
                        + " districts' seats (Wuhua, Panlong, Xishan, Guandu) are only %.1f-%.1f"
                        + " km apart, so their zones are slivers near the centre: Wuhua's seat"
                        + " lies between the other three and its zone is a small cell of about %.0f"
                        + " km² around the city centre, while Panlong, Xishan and Guandu widen"
                        + " outward into wedges. Seats marked ⚠ (property seat_approximate)"
                        + " are approximate (about ±0.05°, from general knowledge): %s; the"
                        + " others are published seat coordinates. population (with"
                        + " population_year and population_source): the 2023 year-end resident"
                        + " population of every unit, Kunming Statistics Bureau via a secondary"
                        + " source; the 2020 census counts of Dongchuan 260,744, Jinning 346,268,"
                        + " Shilin 240,827 and Luquan 378,881 are not used, so that all units"
                        + " share one year and source."
                        + " Replace this file with licensed official boundaries where available"
                        + " (any GeoJSON FeatureCollection of Polygon/MultiPolygon features with"
                        + " properties 'code' and 'name' works). Generated by"
                        + " org.smartcity.core.zoning.KunmingDistrictsGenerator"
                        + " (core/src/test/java); do not edit by hand.",
                (MIN_LAT + MAX_LAT) / 2,
                MIN_LAT,
                MAX_LAT,
                MIN_LON,
                MAX_LON,
                min,
                max,
                squareKilometres(wuhua),
                approximateSeats);
    }

    /** Area of a small lon/lat polygon, on a local equirectangular projection. */
    static double squareKilometres(Polygon p) {
        double kmPerDegree = Math.toRadians(6371.0088);
        double lat = p.getCentroid().getY();
        return p.getArea() * kmPerDegree * kmPerDegree * Math.cos(Math.toRadians(lat));
    }

    /** The clipped Voronoi cells in longitude/latitude, rounded, in the order of {@link #SEATS}. */
    static List<Polygon> cells() {
        List<Coordinate> sites = new ArrayList<>();
        for (Seat s : SEATS) {
            sites.add(new Coordinate(s.longitude() * K, s.latitude()));
        }
        Envelope box = new Envelope(MIN_LON * K, MAX_LON * K, MIN_LAT, MAX_LAT);
        VoronoiDiagramBuilder voronoi = new VoronoiDiagramBuilder();
        voronoi.setSites(sites);
        voronoi.setClipEnvelope(box);
        Geometry diagram = voronoi.getDiagram(PLANE);
        Geometry clip = PLANE.toGeometry(box);

        Polygon[] cells = new Polygon[SEATS.size()];
        for (int i = 0; i < diagram.getNumGeometries(); i++) {
            Geometry cell = diagram.getGeometryN(i);
            Coordinate site = (Coordinate) cell.getUserData();
            int at = sites.indexOf(site);
            if (at < 0 || cells[at] != null) {
                throw new IllegalStateException("Voronoi cell for an unknown site " + site);
            }
            cells[at] = toLonLat((Polygon) cell.intersection(clip));
        }
        List<Polygon> out = List.of(cells);
        check(out);
        return out;
    }

    /** Unprojects, rounds to 5 decimals and orients the ring counter-clockwise (RFC 7946). */
    private static Polygon toLonLat(Polygon projected) {
        if (projected.getNumInteriorRing() != 0) {
            throw new IllegalStateException("a Voronoi cell with a hole: " + projected);
        }
        CoordinateList ring = new CoordinateList();
        for (Coordinate c : ((Polygon) projected.norm()).getExteriorRing().getCoordinates()) {
            ring.add(new Coordinate(round(c.x / K), round(c.y)), false);
        }
        ring.closeRing();
        Coordinate[] cs = ring.toCoordinateArray();
        if (!Orientation.isCCW(cs)) {
            cs = reversed(cs);
        }
        return DistrictLayer.WGS84.createPolygon(cs);
    }

    private static Coordinate[] reversed(Coordinate[] cs) {
        Coordinate[] r = new Coordinate[cs.length];
        for (int i = 0; i < cs.length; i++) {
            r[i] = cs[cs.length - 1 - i];
        }
        return r;
    }

    private static double round(double v) {
        return Math.round(v * SCALE) / SCALE;
    }

    /** The cells must be valid, contain their seats, not overlap and cover the box. */
    private static void check(List<Polygon> cells) {
        double sum = 0;
        for (int i = 0; i < cells.size(); i++) {
            Polygon c = cells.get(i);
            Seat s = SEATS.get(i);
            if (!c.isValid()) {
                throw new IllegalStateException("invalid cell for " + s.code() + ": " + c);
            }
            if (!c.contains(
                    DistrictLayer.WGS84.createPoint(new Coordinate(s.longitude(), s.latitude())))) {
                throw new IllegalStateException("cell of " + s.code() + " misses its seat");
            }
            for (int j = i + 1; j < cells.size(); j++) {
                double overlap = c.intersection(cells.get(j)).getArea();
                if (overlap > 1e-9) {
                    throw new IllegalStateException(
                            "cells " + s.code() + " and " + SEATS.get(j).code() + " overlap");
                }
            }
            sum += c.getArea();
        }
        double box = (MAX_LAT - MIN_LAT) * (MAX_LON - MIN_LON);
        double union = UnaryUnionOp.union(new ArrayList<Geometry>(cells)).getArea();
        if (Math.abs(sum - box) > 1e-6 || Math.abs(union - box) > 1e-6) {
            throw new IllegalStateException(
                    "cells do not tile the box: sum " + sum + ", union " + union + ", box " + box);
        }
    }

    private static Seat seatOf(String code) {
        return SEATS.stream().filter(s -> s.code().equals(code)).findFirst().orElseThrow();
    }

    /** Great-circle distance (haversine, mean Earth radius). */
    private static double kilometres(Seat a, Seat b) {
        double p1 = Math.toRadians(a.latitude());
        double p2 = Math.toRadians(b.latitude());
        double dp = p2 - p1;
        double dl = Math.toRadians(b.longitude() - a.longitude());
        double h =
                Math.sin(dp / 2) * Math.sin(dp / 2)
                        + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
    }

    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
