package org.smartcity.store;

import java.util.Objects;
import org.locationtech.jts.geom.Geometry;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.core.zoning.ZoningSpec;

/**
 * The platform's {@link ZoneGeometries}: the outlines of the core module's {@link Zoning} (H3
 * cells, districts from GeoJSON, the city). Only the small {@link ZoningSpec} travels in the job
 * graph; each subtask builds its {@link Zoning} (district polygons, H3 library) on first use.
 */
public final class ZoningGeometries implements ZoneGeometries {

    private static final long serialVersionUID = 1L;

    private final ZoningSpec spec;
    private transient volatile Zoning zoning;

    public ZoningGeometries(ZoningSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** The zoning of the symposium city, Kunming, at H3 resolution 8. */
    public static ZoningGeometries kunming() {
        return new ZoningGeometries(ZoningSpec.kunming());
    }

    /** The outline, or null for a district or city this zoning does not have. */
    @Override
    public Geometry geometry(ZoneKind kind, String zoneId) {
        Zoning z = zoning();
        return z.zone(kind, zoneId).isPresent() ? z.geometry(kind, zoneId) : null;
    }

    public ZoningSpec spec() {
        return spec;
    }

    private Zoning zoning() {
        Zoning z = zoning;
        if (z == null) {
            synchronized (this) {
                z = zoning;
                if (z == null) {
                    z = Zoning.create(spec);
                    zoning = z;
                }
            }
        }
        return z;
    }
}
