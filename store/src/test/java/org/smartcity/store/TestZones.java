package org.smartcity.store;

import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;
import org.smartcity.core.zoning.ZoneKind;

/**
 * Simple rectangular zones around Kunming: a city, two districts and an H3-sized cell. Stands in
 * for the core module's zoning in the store's and the sinks' tests.
 */
public final class TestZones {

    public static final String CITY = "kunming";
    public static final String WUHUA = "530102";
    public static final String PANLONG = "530103";
    public static final String CELL = "8840d8a2d7fffff";
    public static final String UNKNOWN = "999999";

    /** A zone: its kind and id. */
    public record Zone(ZoneKind kind, String id) {}

    /** The zones of every kind, both districts, in the order tests iterate them. */
    public static final List<Zone> ALL =
            List.of(
                    new Zone(ZoneKind.DISTRICT, WUHUA),
                    new Zone(ZoneKind.DISTRICT, PANLONG),
                    new Zone(ZoneKind.CITY, CITY),
                    new Zone(ZoneKind.H3, CELL));

    private static final GeometryFactory GF = new GeometryFactory(new PrecisionModel(), 4326);

    private TestZones() {}

    /** A {@link ZoneGeometries} for these zones; null for any other. */
    public static Geometry geometry(ZoneKind kind, String zoneId) {
        return switch (kind) {
            case CITY -> CITY.equals(zoneId) ? box(102.50, 24.80, 103.00, 25.20) : null;
            case DISTRICT ->
                    switch (zoneId) {
                        case WUHUA -> box(102.60, 25.00, 102.72, 25.10);
                        case PANLONG -> box(102.72, 25.00, 102.85, 25.15);
                        default -> null;
                    };
            case H3 -> CELL.equals(zoneId) ? box(102.700, 25.040, 102.705, 25.045) : null;
        };
    }

    /** A rectangle, longitude/latitude, counter-clockwise from its south-west corner. */
    public static Geometry box(double minLon, double minLat, double maxLon, double maxLat) {
        return GF.createPolygon(
                new Coordinate[] {
                    new Coordinate(minLon, minLat),
                    new Coordinate(maxLon, minLat),
                    new Coordinate(maxLon, maxLat),
                    new Coordinate(minLon, maxLat),
                    new Coordinate(minLon, minLat)
                });
    }
}
