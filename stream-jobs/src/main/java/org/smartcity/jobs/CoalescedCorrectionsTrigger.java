package org.smartcity.jobs;

import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Fires an event-time window when the watermark passes its end, as Flink's {@code
 * EventTimeTrigger}, and then at most once per correction interval while late data arrives, instead
 * of once per late element.
 *
 * <p>A late element (its window's end is behind the watermark, and the window operator has not
 * dropped it as beyond the allowed lateness) is added to the window as usual, but only marks the
 * window's correction as pending and registers a processing-time timer at the next multiple of the
 * interval; when it fires, the window is emitted once with every late element of that interval. The
 * timer is on a grid, so a window has at most one emission per interval and one timer per key and
 * window. A burst of late readings (a device uploading its backlog, or readings that became late
 * because event time ran ahead) then costs one emission per window, not one per reading.
 *
 * <p>A pending correction is never lost: the window operator calls {@link #onEventTime} at the
 * window's cleanup time (end + allowed lateness, also reached at the end of input, when the final
 * watermark comes) before it drops the window's state, and a correction still pending then fires
 * there. The pending flag is per-window state, checkpointed with the timer, so a restored job emits
 * it too. {@link #clear} removes the flag and the timers.
 */
final class CoalescedCorrectionsTrigger extends Trigger<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final long intervalMillis;
    private final long latenessMillis;

    /** When the pending correction is due (processing time); absent when none is pending. */
    private final ValueStateDescriptor<Long> correctionDue =
            new ValueStateDescriptor<>("correction-due", Types.LONG);

    /**
     * @param correctionInterval how often a window is re-emitted at most while late data arrives
     * @param allowedLateness the window operator's, to know its cleanup time
     */
    CoalescedCorrectionsTrigger(Duration correctionInterval, Duration allowedLateness) {
        Objects.requireNonNull(correctionInterval, "correctionInterval");
        if (correctionInterval.toMillis() <= 0) {
            throw new IllegalArgumentException(
                    "the correction interval must be at least 1ms, got " + correctionInterval);
        }
        this.intervalMillis = correctionInterval.toMillis();
        this.latenessMillis = allowedLateness.toMillis();
    }

    @Override
    public TriggerResult onElement(
            Object element, long timestamp, TimeWindow window, TriggerContext ctx)
            throws Exception {
        if (window.maxTimestamp() > ctx.getCurrentWatermark()) {
            ctx.registerEventTimeTimer(window.maxTimestamp());
            return TriggerResult.CONTINUE;
        }
        ValueState<Long> due = ctx.getPartitionedState(correctionDue);
        if (due.value() == null) {
            long at =
                    (Math.floorDiv(ctx.getCurrentProcessingTime(), intervalMillis) + 1)
                            * intervalMillis;
            due.update(at);
            ctx.registerProcessingTimeTimer(at);
            // The window operator has a timer there already (its cleanup); this one is the same
            // timer, registered so that the pending correction does not depend on it.
            ctx.registerEventTimeTimer(cleanupTime(window));
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx)
            throws Exception {
        return firePending(ctx);
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx)
            throws Exception {
        if (time == window.maxTimestamp()) {
            return TriggerResult.FIRE;
        }
        return time == cleanupTime(window) ? firePending(ctx) : TriggerResult.CONTINUE;
    }

    private TriggerResult firePending(TriggerContext ctx) throws Exception {
        ValueState<Long> due = ctx.getPartitionedState(correctionDue);
        Long at = due.value();
        if (at == null) {
            return TriggerResult.CONTINUE;
        }
        // A no-op when that timer is the one firing; at cleanup time it has not fired yet.
        ctx.deleteProcessingTimeTimer(at);
        due.clear();
        return TriggerResult.FIRE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        ctx.deleteEventTimeTimer(cleanupTime(window));
        ValueState<Long> due = ctx.getPartitionedState(correctionDue);
        Long at = due.value();
        if (at != null) {
            ctx.deleteProcessingTimeTimer(at);
        }
        due.clear();
    }

    /** As the window operator's: the window's last millisecond plus the lateness, capped. */
    private long cleanupTime(TimeWindow window) {
        long cleanup = window.maxTimestamp() + latenessMillis;
        return cleanup >= window.maxTimestamp() ? cleanup : Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "CoalescedCorrectionsTrigger(" + intervalMillis + "ms)";
    }
}
