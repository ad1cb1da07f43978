package org.smartcity.sinks;

import java.util.function.Function;
import org.smartcity.core.ZoneAggregate;

/** Which of the two aggregate layers a {@link GeoMesaSink} writes. */
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
