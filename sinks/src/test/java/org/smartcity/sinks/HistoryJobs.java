package org.smartcity.sinks;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.TestZones;

/**
 * The history write of the sinks' integration tests: one bounded Flink job (parallelism 2, on the
 * test class's MiniCluster) that sends aggregates through the history sink, as the aggregation job
 * does, with the sink's clock fixed so that every row's write time is known.
 */
final class HistoryJobs {

    private HistoryJobs() {}

    /**
     * The history sink on {@code store}, zones of {@link TestZones}, its clock fixed at {@code
     * now}.
     */
    static GeoMesaSink.Builder historySink(StoreConfig store, Instant now) {
        return GeoMesaSink.builder()
                .layer(Layer.HISTORY)
                .store(store)
                .geometries(TestZones::geometry)
                .clock(Clock.fixed(now, ZoneOffset.UTC));
    }

    /** Runs one job that writes {@code aggregates} through {@code sink}; returns when it ends. */
    static void run(GeoMesaSink.Builder sink, List<ZoneAggregate> aggregates) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromData(aggregates)
                .sinkTo(sink.build())
                .uid("geomesa-history")
                .name("GeoMesa history");
        env.execute("history");
    }
}
