package org.smartcity.dashboard;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.FeatureListener;
import org.geotools.api.data.Query;
import org.geotools.api.data.SimpleFeatureSource;
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
 * date by the store's consumer, and a {@link FeatureListener} that reports every change.
 *
 * <p>The type is created if missing: a Kafka DataStore does not pick up a type created after it
 * opened, and the dashboard may well start before the job's first write.
 */
final class LiveLayer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveLayer.class);

    private final DataStore store;
    private final SimpleFeatureSource source;
    private final FeatureListener listener;
    private volatile boolean open = true;

    private LiveLayer(DataStore store, SimpleFeatureSource source, FeatureListener listener) {
        this.store = store;
        this.source = source;
        this.listener = listener;
    }

    /**
     * Opens the live layer and calls {@code onChange} (on the store's consumer thread: keep it
     * short) for every feature written to it from now on, including the replay of the layer's topic
     * at start.
     */
    static LiveLayer open(StoreConfig config, Consumer<StoredAggregate> onChange)
            throws IOException {
        DataStore store =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.READ, AggregateSchema.LIVE_TYPE);
        try {
            SimpleFeatureSource source = store.getFeatureSource(AggregateSchema.LIVE_TYPE);
            FeatureListener listener =
                    event -> {
                        if (event instanceof KafkaFeatureEvent.KafkaFeatureChanged changed) {
                            try {
                                onChange.accept(StoredAggregate.fromFeature(changed.feature()));
                            } catch (RuntimeException e) {
                                LOG.warn(
                                        "Skipping live feature {}: {}",
                                        changed.feature().getID(),
                                        e.getMessage());
                            }
                        }
                    };
            source.addFeatureListener(listener);
            return new LiveLayer(store, source, listener);
        } catch (IOException | RuntimeException e) {
            store.dispose();
            throw e;
        }
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

    boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        source.removeFeatureListener(listener);
        store.dispose();
    }
}
