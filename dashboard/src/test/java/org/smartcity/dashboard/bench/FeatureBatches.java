package org.smartcity.dashboard.bench;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryLayout;
import org.smartcity.store.StoreConfig;
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
    private final StoreConfig layout;
    private final Function<ZoneAggregate, String> ids;
    private final ZoningGeometries geometries = ZoningGeometries.kunming();
    private final Map<String, Geometry> cache = new HashMap<>();
    private final Set<String> ensured = new HashSet<>();

    FeatureBatches(DataStore store, String typeName, Function<ZoneAggregate, String> ids) {
        this(store, typeName, null, ids);
    }

    private FeatureBatches(
            DataStore store,
            String typeName,
            StoreConfig layout,
            Function<ZoneAggregate, String> ids) {
        this.store = store;
        this.typeName = typeName;
        this.layout = layout;
        this.ids = ids;
    }

    /**
     * Writes history as the sink does into a store split by window length ({@link HistoryLayout}):
     * each batch's rows of one length to its type, in {@link HistoryLayout#ROW_ORDER}.
     */
    static FeatureBatches byWindowLength(DataStore store, StoreConfig config) {
        return new FeatureBatches(store, null, config, ZoneAggregate::featureId);
    }

    /**
     * Writes one batch; returns when the store's writer is closed (flushed), with the moment
     * ({@link System#nanoTime()}) each feature's {@code write()} returned.
     */
    long[] write(List<ZoneAggregate> batch, Function<ZoneAggregate, Instant> updated)
            throws IOException {
        if (layout == null) {
            return write(typeName, batch, updated);
        }
        Map<String, List<ZoneAggregate>> parts = new TreeMap<>();
        for (ZoneAggregate a : batch) {
            parts.computeIfAbsent(HistoryLayout.typeOf(a), t -> new ArrayList<>()).add(a);
        }
        long[] written = new long[batch.size()];
        int n = 0;
        for (Map.Entry<String, List<ZoneAggregate>> part : parts.entrySet()) {
            if (ensured.add(part.getKey())) {
                DataStores.ensureType(store, layout, part.getKey());
            }
            List<ZoneAggregate> rows = new ArrayList<>(part.getValue());
            rows.sort(HistoryLayout.ROW_ORDER);
            long[] w = write(part.getKey(), rows, updated);
            System.arraycopy(w, 0, written, n, w.length);
            n += w.length;
        }
        return written;
    }

    private long[] write(
            String type, List<ZoneAggregate> batch, Function<ZoneAggregate, Instant> updated)
            throws IOException {
        long[] written = new long[batch.size()];
        int i = 0;
        try (FeatureWriter<SimpleFeatureType, SimpleFeature> w =
                store.getFeatureWriterAppend(type, Transaction.AUTO_COMMIT)) {
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
