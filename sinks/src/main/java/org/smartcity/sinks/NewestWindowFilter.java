package org.smartcity.sinks;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.smartcity.core.ZoneAggregate;

/**
 * Keeps what the live layer shows the newest window: per metric, zone and window length, an
 * aggregate passes only if its window is not older than the newest one already passed. A late
 * correction of an older window still goes to the history store, but must not replace the current
 * window on the live map. Revisions of the newest window pass.
 *
 * <p>Keyed by {@link #key(ZoneAggregate)}. The state is one number per metric, zone and length, a
 * set that does not grow with time, so it is never cleared.
 */
public final class NewestWindowFilter
        extends KeyedProcessFunction<String, ZoneAggregate, ZoneAggregate> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<Long> newestStart;

    /** The key: the feature id without the window start. */
    public static String key(ZoneAggregate a) {
        return a.metric().id()
                + '|'
                + a.zoneKind().id()
                + '|'
                + a.zoneId()
                + '|'
                + ZoneAggregate.windowLabel(a.windowLengthMillis());
    }

    @Override
    public void open(OpenContext openContext) {
        newestStart =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("newest-window-start", Types.LONG));
    }

    @Override
    public void processElement(ZoneAggregate aggregate, Context ctx, Collector<ZoneAggregate> out)
            throws Exception {
        Long newest = newestStart.value();
        if (newest == null || aggregate.windowStartMillis() >= newest) {
            newestStart.update(aggregate.windowStartMillis());
            out.collect(aggregate);
        }
    }
}
