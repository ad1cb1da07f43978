package org.smartcity.dashboard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.FeatureListener;
import org.geotools.api.data.Query;
import org.geotools.api.data.SimpleFeatureSource;
import org.geotools.api.feature.simple.SimpleFeature;
import org.locationtech.geomesa.kafka.utils.KafkaFeatureEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoredAggregate;

/**
 * The dashboard's reader of the live layer ({@value AggregateSchema#LIVE_TYPE} in GeoMesa's Kafka
 * DataStore): an in-memory copy of the newest window per metric, zone and window length, kept up to
 * date by the store's consumer, and a {@link FeatureListener} that reports every change, in batches
 * of what arrived together ({@link LiveHandoff}), decoded off the store's consumer thread.
 *
 * <p>The type is created if missing: a Kafka DataStore does not pick up a type created after it
 * opened, and the dashboard may well start before the job's first write.
 */
final class LiveLayer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveLayer.class);

    private final DataStore store;
    private final SimpleFeatureSource source;
    private final FeatureListener listener;
    private final LiveHandoff<SimpleFeature> changes;
    private volatile boolean open = true;

    private LiveLayer(
            DataStore store,
            SimpleFeatureSource source,
            FeatureListener listener,
            LiveHandoff<SimpleFeature> changes) {
        this.store = store;
        this.source = source;
        this.listener = listener;
        this.changes = changes;
    }

    /**
     * Opens the live layer and calls {@code onChanges} for every feature written to it from now on,
     * including the replay of the layer's topic at start: in the order written, in batches, on a
     * thread of its own ({@code dashboard-live}; the list is reused, so {@code onChanges} must not
     * keep it). A feature that does not decode is logged and skipped.
     */
    static LiveLayer open(StoreConfig config, Consumer<List<StoredAggregate>> onChanges)
            throws IOException {
        DataStore store =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.READ, AggregateSchema.LIVE_TYPE);
        LiveHandoff<SimpleFeature> changes = null;
        try {
            SimpleFeatureSource source = store.getFeatureSource(AggregateSchema.LIVE_TYPE);
            changes = new LiveHandoff<>("dashboard-live", batch -> onChanges.accept(decode(batch)));
            LiveHandoff<SimpleFeature> handoff = changes;
            // On the store's consumer thread: only queue the feature, so it reads on at once.
            FeatureListener listener =
                    event -> {
                        if (event instanceof KafkaFeatureEvent.KafkaFeatureChanged changed) {
                            handoff.accept(changed.feature());
                        }
                    };
            source.addFeatureListener(listener);
            return new LiveLayer(store, source, listener, changes);
        } catch (IOException | RuntimeException e) {
            if (changes != null) {
                changes.close();
            }
            store.dispose();
            throw e;
        }
    }

    private static List<StoredAggregate> decode(List<SimpleFeature> features) {
        List<StoredAggregate> decoded = new ArrayList<>(features.size());
        for (SimpleFeature f : features) {
            try {
                decoded.add(StoredAggregate.fromFeature(f));
            } catch (RuntimeException e) {
                LOG.warn("Skipping live feature {}: {}", f.getID(), e.getMessage());
            }
        }
        return decoded;
    }

    /** The live features matching {@code query}, sorted by window start, then id. */
    List<StoredAggregate> query(HistoryQuery query) throws IOException {
        return HistoryQueries.latest(store, AggregateSchema.LIVE_TYPE, query);
    }

    /** Features in the layer now. */
    int size() {
        try {
            return source.getCount(Query.ALL);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Open, and the thread that passes its changes on alive. */
    boolean isOpen() {
        return open && changes.isAlive();
    }

    @Override
    public void close() {
        open = false;
        source.removeFeatureListener(listener);
        changes.close();
        store.dispose();
    }
}
