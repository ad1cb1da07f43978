package org.smartcity.store;

import java.util.function.Function;
import org.smartcity.core.ZoneAggregate;

/**
 * The two aggregate layers of the store: the history and the live layer, each with its feature type
 * and feature id. The stream job's sinks write one layer each; readers query one.
 */
public enum Layer {
    /**
     * Every window of every zone and metric, in feature type {@value AggregateSchema#HISTORY_TYPE},
     * feature id {@link AggregateSchema#historyId}.
     */
    HISTORY(AggregateSchema.HISTORY_TYPE, AggregateSchema::historyId),

    /**
     * The newest window per metric, zone and window length, in feature type {@value
     * AggregateSchema#LIVE_TYPE}, feature id {@link AggregateSchema#liveId}. The store must
     * overwrite by id (GeoMesa's Kafka DataStore does).
     */
    LIVE(AggregateSchema.LIVE_TYPE, AggregateSchema::liveId);

    private final String defaultTypeName;
    private final Function<ZoneAggregate, String> featureId;

    Layer(String defaultTypeName, Function<ZoneAggregate, String> featureId) {
        this.defaultTypeName = defaultTypeName;
        this.featureId = featureId;
    }

    /** The feature type name used unless the sink is given another. */
    public String defaultTypeName() {
        return defaultTypeName;
    }

    /** The feature id of {@code a} in this layer. */
    public String featureId(ZoneAggregate a) {
        return featureId.apply(a);
    }
}
