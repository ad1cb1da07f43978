package org.smartcity.dashboard;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.geotools.api.data.DataStore;
import org.smartcity.core.CityArea;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.indicators.IndicatorConfig;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.StoreConfig;

/** The package-private parts {@code bench.IndicatorYearBenchmark} needs. */
public final class IndicatorBench {
    private IndicatorBench() {}

    public static void write(StoreConfig store, List<ZoneAggregate> aggregates) throws IOException {
        TestStores.writeHistory(store, Instant.now(), aggregates);
    }

    /**
     * The indicators collection on {@code store}, as the dashboard keeps one: what it reads is kept
     * between queries.
     */
    public static Object collection(DataStore store, Zoning zoning, ZoneId zone, Clock clock) {
        return new IndicatorCollection(
                store,
                zoning,
                CityArea.KUNMING,
                zone,
                IndicatorConfig.defaults(),
                Duration.ofMinutes(1),
                clock);
    }

    /** Queries a collection made by {@link #collection}; the number of rows. */
    public static int query(Object collection, String params) throws IOException {
        Params p = Params.parse(params);
        return ((IndicatorCollection) collection)
                .query(new CollectionProvider.ItemQuery(p, p.bbox(), p.datetime(), 10_000, 0))
                .items()
                .size();
    }

    /** Queries a new indicators collection; the number of rows. */
    public static int query(DataStore store, Zoning zoning, ZoneId zone, Clock clock, String params)
            throws IOException {
        return query(collection(store, zoning, zone, clock), params);
    }
}
