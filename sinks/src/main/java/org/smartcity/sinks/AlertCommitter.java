package org.smartcity.sinks;

import java.io.IOException;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkCommitterMetricGroup;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.FeatureWriter;
import org.geotools.api.data.Transaction;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.api.filter.FilterFactory;
import org.geotools.factory.CommonFactoryFinder;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.store.AlertSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.ZoneGeometries;

/**
 * Writes the {@link AlertBatch}es of completed checkpoints to the store, in order. A failed write
 * throws, which fails the task: Flink restarts from the last checkpoint and commits its batches
 * again (the same revisions, so nothing shows twice).
 */
final class AlertCommitter implements Committer<AlertBatch> {

    private static final Logger LOG = LoggerFactory.getLogger(AlertCommitter.class);
    private static final FilterFactory FF = CommonFactoryFinder.getFilterFactory();
    private static final GeometryFactory POINTS = new GeometryFactory();

    private final Layer layer;
    private final StoreConfig config;
    private final ZoneGeometries geometries;
    private final Counter written;
    private DataStore store;

    AlertCommitter(
            Layer layer,
            StoreConfig config,
            ZoneGeometries geometries,
            SinkCommitterMetricGroup metrics) {
        this.layer = layer;
        this.config = config;
        this.geometries = geometries;
        this.written = metrics.counter("alertRevisionsWritten");
    }

    @Override
    public void commit(Collection<CommitRequest<AlertBatch>> requests) throws IOException {
        for (CommitRequest<AlertBatch> request : requests) {
            write(request.getCommittable());
        }
    }

    private void write(AlertBatch batch) throws IOException {
        DataStore s = store();
        try (FeatureWriter<SimpleFeatureType, SimpleFeature> writer =
                s.getFeatureWriterAppend(AlertSchema.TYPE, Transaction.AUTO_COMMIT)) {
            for (LocatedAlert located : batch.alerts()) {
                Alert a = located.alert();
                Geometry geometry = geometry(located);
                if (layer == Layer.LIVE && (a.isCleared() || geometry == null)) {
                    // Cleared alerts are deleted below; GeoMesa's live cache skips a feature
                    // without a geometry (a sensor whose position is unknown): such an alert stays
                    // in the topic and the history only.
                    continue;
                }
                SimpleFeature f = writer.next();
                AlertSchema.setAttributes(f, a, geometry);
                GeoMesaSinkWriter.useProvidedId(f, a.id());
                writer.write();
            }
        }
        if (layer == Layer.LIVE) {
            for (LocatedAlert a : batch.alerts()) {
                if (a.alert().isCleared()) {
                    delete(s, a.id());
                }
            }
        }
        written.inc(batch.alerts().size());
    }

    /** Removes an alert from the live layer; GeoMesa's Kafka store sends a delete by id. */
    private static void delete(DataStore s, String id) throws IOException {
        try (FeatureWriter<SimpleFeatureType, SimpleFeature> writer =
                s.getFeatureWriter(
                        AlertSchema.TYPE, FF.id(FF.featureId(id)), Transaction.AUTO_COMMIT)) {
            if (writer.hasNext()) {
                writer.next();
                writer.remove();
            }
        }
    }

    /**
     * The subject zone's outline, or the sensor's position as a point; none for a sensor whose
     * position is not known.
     */
    private Geometry geometry(LocatedAlert located) {
        Alert a = located.alert();
        if (a.subjectKind() == SubjectKind.SENSOR) {
            return located.hasPosition()
                    ? POINTS.createPoint(new Coordinate(located.lon(), located.lat()))
                    : null;
        }
        return geometries.geometry(ZoneKind.valueOf(a.subjectKind().name()), a.subjectId());
    }

    private DataStore store() throws IOException {
        if (store == null) {
            store =
                    DataStores.openWithType(
                            config, StoreConfig.Access.WRITE, AlertSchema.featureType(config));
            LOG.info("Alert committer writes {} to {}", layer, config.describe());
        }
        return store;
    }

    @Override
    public void close() {
        if (store != null) {
            store.dispose();
        }
    }
}
