package org.smartcity.store;

import java.io.IOException;
import java.util.List;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.FeatureWriter;
import org.geotools.api.data.Transaction;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.smartcity.core.alert.LocatedAlert;

/**
 * Alert revisions written into {@value AlertSchema#TYPE} as the job's alert sink stores them, for
 * the tests and benchmarks that read them back (store, dashboard).
 */
public final class TestAlertRevisions {
    private static final GeometryFactory POINTS = new GeometryFactory();

    private TestAlertRevisions() {}

    /**
     * Appends {@code revisions} to {@value AlertSchema#TYPE} in a store it opens, as the job's
     * alert sink does: every attribute through {@link AlertSchema#setAttributes}, the sensor's
     * point (none where the position is unknown), the alert id as feature id; then makes them
     * visible to readers in this JVM ({@link DataStores#afterWrite}).
     */
    public static void write(StoreConfig store, List<LocatedAlert> revisions) throws IOException {
        DataStore ds =
                DataStores.openWithType(
                        store, StoreConfig.Access.WRITE, AlertSchema.featureType(store));
        try {
            try (FeatureWriter<SimpleFeatureType, SimpleFeature> w =
                    ds.getFeatureWriterAppend(AlertSchema.TYPE, Transaction.AUTO_COMMIT)) {
                for (LocatedAlert r : revisions) {
                    SimpleFeature f = w.next();
                    AlertSchema.setAttributes(
                            f,
                            r.alert(),
                            r.hasPosition()
                                    ? POINTS.createPoint(new Coordinate(r.lon(), r.lat()))
                                    : null);
                    DataStores.useProvidedId(f, r.id());
                    w.write();
                }
            }
            DataStores.afterWrite(ds, AlertSchema.TYPE);
        } finally {
            ds.dispose();
        }
    }
}
