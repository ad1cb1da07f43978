package org.smartcity.dashboard;

import java.io.IOException;
import java.util.List;
import org.geotools.api.data.DataStore;
import org.smartcity.core.CityArea;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoredAggregate;

/**
 * {@value AggregateSchema#HISTORY_TYPE}: every window in the history store, each once, at its
 * newest revision (read through {@link HistoryQueries}). Also the source of {@code
 * /api/timeseries}.
 */
final class HistoryCollection extends AggregateCollection {
    private final DataStore store;

    HistoryCollection(DataStore store, CityArea area, AggregateFeatures features) {
        super(area, features);
        this.store = store;
    }

    @Override
    public String id() {
        return AggregateSchema.HISTORY_TYPE;
    }

    @Override
    public String title() {
        return "Aggregates: every window";
    }

    @Override
    public String description() {
        return "Statistics of each metric per zone (H3 cell, district, city) and event-time window;"
                + " each window once, at its newest revision. datetime filters on window_start.";
    }

    @Override
    List<StoredAggregate> matching(HistoryQuery q) throws IOException {
        return HistoryQueries.latest(store, AggregateSchema.HISTORY_TYPE, q);
    }

    @Override
    boolean liveIds() {
        return false;
    }
}
