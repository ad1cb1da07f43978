package org.smartcity.dashboard;

import java.io.IOException;
import java.util.List;
import org.smartcity.core.CityArea;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoredAggregate;

/**
 * {@value AggregateSchema#LIVE_TYPE}: the live layer, the newest window per metric, zone and window
 * length. Also the source of {@code /api/live}.
 */
final class LiveCollection extends AggregateCollection {
    private final LiveLayer layer;

    LiveCollection(LiveLayer layer, CityArea area, AggregateFeatures features) {
        super(area, features);
        this.layer = layer;
    }

    @Override
    public String id() {
        return AggregateSchema.LIVE_TYPE;
    }

    @Override
    public String title() {
        return "Aggregates: live layer";
    }

    @Override
    public String description() {
        return "The newest window of each metric, zone and window length, updated within seconds.";
    }

    @Override
    List<StoredAggregate> matching(HistoryQuery q) throws IOException {
        return layer.query(q);
    }

    @Override
    boolean liveIds() {
        return true;
    }
}
