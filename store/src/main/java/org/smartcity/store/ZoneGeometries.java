package org.smartcity.store;

import java.io.Serializable;
import org.locationtech.jts.geom.Geometry;
import org.smartcity.core.zoning.ZoneKind;

/**
 * The polygon of a zone, in WGS 84 longitude/latitude: what the sink stores as a feature's
 * geometry. Shipped inside the sink to every Flink subtask, hence serializable; implementations
 * should build or cache their geometries lazily rather than carry large ones in the job graph.
 *
 * <p>The platform's implementation is the core module's zoning (H3 cells, districts, the city);
 * tests use fixed polygons.
 */
@FunctionalInterface
public interface ZoneGeometries extends Serializable {

    /**
     * The polygon of zone {@code zoneId} of kind {@code kind}, or {@code null} if this zoning does
     * not know it (the sink then skips the aggregate and counts it).
     */
    Geometry geometry(ZoneKind kind, String zoneId);
}
