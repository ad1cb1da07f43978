package org.smartcity.sinks;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.smartcity.core.WindowRevision;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.store.AggregateSchema;

/**
 * Keeps what the live layer shows the newest window: per live id (metric, zone and window length),
 * an aggregate passes only if it is not older ({@link WindowRevision}) than the newest one already
 * passed. A late correction of an older window still goes to the history store, but must not
 * replace the current window on the live map. Revisions of the newest window pass, and so does the
 * newest again (a replay).
 *
 * <p>Part of the live {@link GeoMesaSink}'s pre-write topology, keyed by {@link
 * AggregateSchema#liveId}: its state is checkpointed, so the rule holds across a restart, which the
 * writer's own memory ({@link NewestWindows}) does not. The state is one window and revision per
 * live id, a set that does not grow with time, so it is never cleared.
 */
final class NewestWindowFilter extends KeyedProcessFunction<String, ZoneAggregate, ZoneAggregate> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<WindowRevision> newest;

    @Override
    public void open(OpenContext openContext) {
        newest =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "newest-window", TypeInformation.of(WindowRevision.class)));
    }

    @Override
    public void processElement(ZoneAggregate aggregate, Context ctx, Collector<ZoneAggregate> out)
            throws Exception {
        WindowRevision candidate = aggregate.windowRevision();
        WindowRevision current = newest.value();
        if (current == null || !candidate.isOlderThan(current)) {
            newest.update(candidate);
            out.collect(aggregate);
        }
    }
}
