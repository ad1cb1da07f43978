package org.smartcity.dashboard.bench;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.FeatureWriter;
import org.geotools.api.data.Transaction;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.filter.identity.FeatureIdImpl;
import org.geotools.util.factory.Hints;
import org.locationtech.jts.geom.Geometry;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.ZoningGeometries;

/**
 * Writes aggregates to a GeoMesa store as the sink's writer ({@code GeoMesaSinkWriter.writeBatch})
 * does: one append writer per batch, every attribute through {@link AggregateSchema#setAttributes},
 * the zone polygon from {@link ZoningGeometries}, and the deterministic feature id as the provided
 * id; closing the writer flushes the batch.
 */
final class FeatureBatches {
    private final DataStore store;
    private final String typeName;
    private final Function<ZoneAggregate, String> ids;
    private final ZoningGeometries geometries = ZoningGeometries.kunming();
    private final Map<String, Geometry> cache = new HashMap<>();

    FeatureBatches(DataStore store, String typeName, Function<ZoneAggregate, String> ids) {
        this.store = store;
        this.typeName = typeName;
        this.ids = ids;
    }

    /**
     * Writes one batch; returns when the store's writer is closed (flushed), with the moment
     * ({@link System#nanoTime()}) each feature's {@code write()} returned.
     */
    long[] write(List<ZoneAggregate> batch, Function<ZoneAggregate, Instant> updated)
            throws IOException {
        long[] written = new long[batch.size()];
        int i = 0;
        try (FeatureWriter<SimpleFeatureType, SimpleFeature> w =
                store.getFeatureWriterAppend(typeName, Transaction.AUTO_COMMIT)) {
            for (ZoneAggregate a : batch) {
                SimpleFeature f = w.next();
                AggregateSchema.setAttributes(f, a, geometry(a), updated.apply(a));
                String id = ids.apply(a);
                f.getUserData().put(Hints.USE_PROVIDED_FID, Boolean.TRUE);
                f.getUserData().put(Hints.PROVIDED_FID, id);
                if (f.getIdentifier() instanceof FeatureIdImpl fid) {
                    fid.setID(id);
                }
                w.write();
                written[i++] = System.nanoTime();
            }
        }
        return written;
    }

    private Geometry geometry(ZoneAggregate a) {
        // Zoning hands out a copy per call (an H3 polygon is computed each time): one per zone.
        return cache.computeIfAbsent(
                a.zoneKind().id() + '|' + a.zoneId(),
                k -> geometries.geometry(a.zoneKind(), a.zoneId()));
    }
}
