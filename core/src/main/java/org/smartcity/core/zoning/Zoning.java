package org.smartcity.core.zoning;

import com.uber.h3core.H3Core;
import com.uber.h3core.util.LatLng;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.locationtech.jts.algorithm.locate.PointOnGeometryLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.prep.PreparedPolygon;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.io.WKTWriter;
import org.locationtech.jts.operation.union.UnaryUnionOp;
import org.smartcity.core.BoundingBox;

/**
 * Which zones a location belongs to, and what each zone looks like.
 *
 * <p>{@link #zonesOf} runs for every reading, so it is cheap: one H3 call, an STR-tree lookup over
 * prepared (indexed) district polygons and a handful of small objects. Built once from a {@link
 * ZoningSpec}, immutable and thread-safe afterwards; share one per JVM or per task.
 *
 * <p>Zones of a location, in this order:
 *
 * <ol>
 *   <li>the H3 cell at the configured resolution (always);
 *   <li>the district that covers it, if any: a point on a border between districts belongs to the
 *       one listed first in the GeoJSON, so it is never counted twice; a point in no district gets
 *       none;
 *   <li>the city (always: which readings are the city's is decided at ingest, by its area).
 * </ol>
 *
 * <p>Geometries are JTS, WGS 84 with x = longitude and y = latitude (SRID 4326): a cell's is its H3
 * boundary, a district's comes from the GeoJSON, the city's is the union of the districts (or the
 * spec's bounding box when there are none).
 */
public final class Zoning {
    private final ZoningSpec spec;
    private final H3Core h3;
    private final int resolution;
    private final Zone city;
    private final Geometry cityOutline;
    private final String cityWkt;
    private final Map<String, Entry> districtsById;
    private final List<Zone> districts;
    private final STRtree index;
    private final String districtsNote;
    private final Map<String, Population> populations;

    /**
     * A district ready for lookups: the STR-tree's item. {@code order} is its position in the file:
     * it breaks ties on shared borders.
     */
    private record Entry(
            int order,
            Zone zone,
            PreparedGeometry prepared,
            PointOnGeometryLocator locator,
            String wkt) {}

    private Zoning(ZoningSpec spec, DistrictLayer layer) {
        this.spec = spec;
        this.resolution = spec.h3Resolution();
        this.h3 = newH3();
        this.city = Zone.city(spec.cityId(), spec.cityName());

        Map<String, Entry> byId = new LinkedHashMap<>();
        List<Zone> zones = new ArrayList<>();
        STRtree tree = new STRtree();
        List<Geometry> parts = new ArrayList<>();
        Map<String, Population> population = new LinkedHashMap<>();
        if (layer != null) {
            int order = 0;
            for (DistrictLayer.District d : layer.districts()) {
                if (d.population() != null) {
                    population.put(d.zone().id(), d.population());
                }
                Geometry g = d.geometry();
                PreparedGeometry prepared = PreparedGeometryFactory.prepare(g);
                // A polygonal geometry is always prepared as a PreparedPolygon; its point locator
                // answers point-in-polygon from a Coordinate, without building a Point per call.
                PointOnGeometryLocator locator = ((PreparedPolygon) prepared).getPointLocator();
                // Build the locator's lazy index now, before the zoning is shared between threads.
                locator.locate(g.getInteriorPoint().getCoordinate());
                Entry e = new Entry(order++, d.zone(), prepared, locator, g.toText());
                byId.put(d.zone().id(), e);
                zones.add(d.zone());
                tree.insert(g.getEnvelopeInternal(), e);
                parts.add(g);
            }
        }
        tree.build();
        this.index = tree;
        this.districtsById = Map.copyOf(byId);
        this.districts = List.copyOf(zones);
        this.districtsNote = layer == null ? null : layer.note().orElse(null);
        this.populations = Map.copyOf(population);

        Geometry outline;
        if (!parts.isEmpty()) {
            outline = UnaryUnionOp.union(parts);
        } else {
            BoundingBox b = spec.bounds();
            if (b == null) {
                throw new IllegalArgumentException(
                        "city '" + spec.cityId() + "' has no districts and no bounding box");
            }
            outline =
                    DistrictLayer.WGS84.toGeometry(
                            new Envelope(b.minLon(), b.maxLon(), b.minLat(), b.maxLat()));
        }
        outline.setSRID(DistrictLayer.WGS84.getSRID());
        this.cityOutline = outline;
        this.cityWkt = outline.toText();
    }

    /**
     * Builds the zoning: loads the districts (if any) and the H3 library.
     *
     * @throws GeoJsonException if the districts file is missing or wrong
     * @throws IllegalStateException if the H3 native library cannot be loaded
     */
    public static Zoning create(ZoningSpec spec) {
        DistrictLayer layer =
                spec.districts() == null
                        ? null
                        : DistrictLayer.load(
                                spec.districts(),
                                spec.districtIdProperty(),
                                spec.districtNameProperty());
        return new Zoning(spec, layer);
    }

    /** Builds the zoning from districts already read. */
    public static Zoning create(ZoningSpec spec, DistrictLayer districts) {
        return new Zoning(spec, districts);
    }

    /** Kunming, H3 resolution 8, with the approximate districts shipped in this module. */
    public static Zoning kunming() {
        return create(ZoningSpec.kunming());
    }

    private static H3Core newH3() {
        try {
            // Extracts the bundled native library to java.io.tmpdir once per class loader.
            return H3Core.newInstance();
        } catch (IOException | UnsatisfiedLinkError e) {
            throw new IllegalStateException(
                    "cannot load the H3 native library (it is extracted to java.io.tmpdir="
                            + System.getProperty("java.io.tmpdir")
                            + ", which must be writable and allow executables): "
                            + e,
                    e);
        }
    }

    public ZoningSpec spec() {
        return spec;
    }

    public int h3Resolution() {
        return resolution;
    }

    /** The city zone, the same for every location. */
    public Zone city() {
        return city;
    }

    /** The districts, in the order of the GeoJSON file. */
    public Collection<Zone> districts() {
        return districts;
    }

    /**
     * The population of district {@code districtId} as its GeoJSON feature gives it; empty for a
     * district without one, or an unknown id.
     */
    public Optional<Population> population(String districtId) {
        return Optional.ofNullable(populations.get(districtId));
    }

    /** The districts file's {@code note} (e.g. that the Kunming districts are approximate). */
    public Optional<String> districtsNote() {
        return Optional.ofNullable(districtsNote);
    }

    /**
     * The zones of a location: its H3 cell, its district (if any) and the city, in that order.
     *
     * @throws IllegalArgumentException if the coordinates are not on the globe
     */
    public List<Zone> zonesOf(double lat, double lon) {
        checkCoordinates(lat, lon);
        Zone cell = Zone.h3(h3.h3ToString(h3.latLngToCell(lat, lon, resolution)));
        Entry district = locate(lat, lon);
        return district == null ? List.of(cell, city) : List.of(cell, district.zone, city);
    }

    /** The H3 cell of a location at the configured resolution. */
    public Zone cell(double lat, double lon) {
        checkCoordinates(lat, lon);
        return Zone.h3(h3.h3ToString(h3.latLngToCell(lat, lon, resolution)));
    }

    /** The district of a location, if it is in one. */
    public Optional<Zone> district(double lat, double lon) {
        checkCoordinates(lat, lon);
        Entry e = locate(lat, lon);
        return e == null ? Optional.empty() : Optional.of(e.zone);
    }

    /**
     * The district of an H3 cell: the one its centre is in (a cell on a border belongs to one
     * district only, as readings there are counted once).
     */
    public Optional<Zone> districtOfCell(String cell) {
        if (!isCell(cell)) {
            return Optional.empty();
        }
        var centre = h3.cellToLatLng(cell);
        return district(centre.lat, centre.lng);
    }

    private Entry locate(double lat, double lon) {
        Coordinate c = new Coordinate(lon, lat);
        List<?> candidates = index.query(new Envelope(c));
        Entry found = null;
        for (int i = 0, n = candidates.size(); i < n; i++) {
            Entry e = (Entry) candidates.get(i);
            if ((found == null || e.order < found.order)
                    && e.locator.locate(c) != Location.EXTERIOR) {
                found = e;
            }
        }
        return found;
    }

    private static void checkCoordinates(double lat, double lon) {
        if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
            throw new IllegalArgumentException(
                    "not a location: lat "
                            + lat
                            + " (needs -90..90), lon "
                            + lon
                            + " (needs -180..180)");
        }
    }

    /**
     * The zone of a kind with an id, as found in an aggregate: any valid H3 cell address, a known
     * district code, or this city's id.
     */
    public Optional<Zone> zone(ZoneKind kind, String id) {
        switch (kind) {
            case H3:
                return isCell(id) ? Optional.of(Zone.h3(id)) : Optional.empty();
            case DISTRICT:
                Entry e = districtsById.get(id);
                return e == null ? Optional.empty() : Optional.of(e.zone);
            case CITY:
                return city.id().equals(id) ? Optional.of(city) : Optional.empty();
            default:
                throw new AssertionError(kind);
        }
    }

    /**
     * The outline of a zone (a copy: modify it freely). A cell's geometry does not depend on the
     * configured resolution, so cells of any resolution work.
     *
     * @throws IllegalArgumentException if the zone is not one of this zoning's (an unknown
     *     district, another city, an invalid cell address)
     */
    public Geometry geometry(Zone zone) {
        return geometry(zone.kind(), zone.id());
    }

    /** The outline of the zone of a kind with an id; see {@link #geometry(Zone)}. */
    public Geometry geometry(ZoneKind kind, String id) {
        switch (kind) {
            case H3:
                return cellPolygon(id);
            case DISTRICT:
                return district(id).prepared.getGeometry().copy();
            case CITY:
                checkCity(id);
                return cityOutline.copy();
            default:
                throw new AssertionError(kind);
        }
    }

    /** The outline of a zone as WKT (longitude before latitude). */
    public String wkt(Zone zone) {
        return wkt(zone.kind(), zone.id());
    }

    /** The outline of the zone of a kind with an id as WKT. */
    public String wkt(ZoneKind kind, String id) {
        switch (kind) {
            case H3:
                return new WKTWriter().write(cellPolygon(id));
            case DISTRICT:
                return district(id).wkt;
            case CITY:
                checkCity(id);
                return cityWkt;
            default:
                throw new AssertionError(kind);
        }
    }

    private Entry district(String id) {
        Entry e = districtsById.get(id);
        if (e == null) {
            throw new IllegalArgumentException(
                    "unknown district '"
                            + id
                            + "' in city '"
                            + city.id()
                            + "'; known: "
                            + districtsById.keySet().stream().sorted().toList());
        }
        return e;
    }

    private void checkCity(String id) {
        if (!city.id().equals(id)) {
            throw new IllegalArgumentException(
                    "unknown city '" + id + "': this zoning is for '" + city.id() + "'");
        }
    }

    private boolean isCell(String address) {
        try {
            return address != null && h3.isValidCell(address);
        } catch (NumberFormatException e) { // not hexadecimal
            return false;
        }
    }

    private Geometry cellPolygon(String address) {
        if (!isCell(address)) {
            throw new IllegalArgumentException("'" + address + "' is not a valid H3 cell address");
        }
        List<LatLng> boundary = h3.cellToBoundary(address);
        Coordinate[] ring = new Coordinate[boundary.size() + 1];
        for (int i = 0; i < boundary.size(); i++) {
            LatLng p = boundary.get(i);
            ring[i] = new Coordinate(p.lng, p.lat);
        }
        ring[boundary.size()] = ring[0].copy();
        // A cell across the antimeridian would need splitting; no city here is near it.
        return DistrictLayer.WGS84.createPolygon(ring);
    }

    @Override
    public String toString() {
        return "Zoning[city="
                + city.id()
                + ", h3Resolution="
                + resolution
                + ", districts="
                + districts.size()
                + (spec.districts() == null ? "" : " from " + spec.districts())
                + "]";
    }
}
