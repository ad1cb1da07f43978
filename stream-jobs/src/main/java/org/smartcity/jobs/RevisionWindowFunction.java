package org.smartcity.jobs;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Emits a window's statistics with its revision: 1 the first time the window fires, one more each
 * time late readings (or a corrected shorter window) make it fire again within the allowed
 * lateness, which {@link CoalescedCorrectionsTrigger} lets happen at most once per correction
 * interval. The revision lives in per-window state, which Flink drops with the window when the
 * allowed lateness has passed ({@link #clear}).
 *
 * <p>Metrics, per window stage: {@code emissionLagMillis} (histogram) and {@code
 * lastEmissionLagMillis} (gauge), the wall-clock time from a window's end to its first emission,
 * which is what the live map lags behind; {@code corrections}, re-emissions caused by late data.
 */
final class RevisionWindowFunction
        extends ProcessWindowFunction<ZoneStats, WindowPartial, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** Emission lags kept for the histogram's statistics. */
    private static final int LAG_SAMPLES = 1024;

    private final ValueStateDescriptor<Integer> revisionState =
            new ValueStateDescriptor<>("revision", Types.INT);

    private final long lengthMillis;

    private transient Histogram emissionLag;
    private transient Counter corrections;
    private transient volatile long lastEmissionLag;

    /**
     * @param lengthMillis the stage's nominal window length, reported in every emission: a local
     *     day is {@code 1d} even on a daylight-saving day of 23 or 25 hours ({@link
     *     LocalDayWindows}), so its id stays that of the day
     */
    RevisionWindowFunction(long lengthMillis) {
        this.lengthMillis = lengthMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        emissionLag =
                metrics.histogram(
                        "emissionLagMillis", new DescriptiveStatisticsHistogram(LAG_SAMPLES));
        metrics.gauge("lastEmissionLagMillis", (Gauge<Long>) () -> lastEmissionLag);
        corrections = metrics.counter("corrections");
    }

    @Override
    public void process(
            String key, Context ctx, Iterable<ZoneStats> results, Collector<WindowPartial> out)
            throws Exception {
        ValueState<Integer> state = ctx.windowState().getState(revisionState);
        Integer previous = state.value();
        int revision = previous == null ? 1 : previous + 1;
        state.update(revision);

        TimeWindow window = ctx.window();
        if (revision == 1) {
            lastEmissionLag = ctx.currentProcessingTime() - window.getEnd();
            emissionLag.update(lastEmissionLag);
        } else {
            corrections.inc();
        }
        out.collect(
                new WindowPartial(
                        ZoneKey.parse(key),
                        window.getStart(),
                        lengthMillis,
                        revision,
                        results.iterator().next()));
    }

    @Override
    public void clear(Context ctx) {
        ctx.windowState().getState(revisionState).clear();
    }
}
