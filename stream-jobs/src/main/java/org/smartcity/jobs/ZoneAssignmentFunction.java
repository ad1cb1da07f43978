package org.smartcity.jobs;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.Reading;
import org.smartcity.core.zoning.Zone;

/**
 * The first step of the aggregation: decides once per reading whether it is too late, and fans an
 * accepted reading out to each of its zones.
 *
 * <p>A reading is too late when its shortest window ended more than the allowed lateness before the
 * current watermark: the same rule as Flink's window operator. Deciding it here, before the
 * fan-out, keeps a reading whole: it counts in all its zones or goes to the {@link #LATE} side
 * output once. The windows downstream cannot disagree, because their watermark is never ahead of
 * this operator's (a downstream watermark is the minimum over its inputs, and it reaches them after
 * the readings this operator accepted before it).
 *
 * <p>Metrics: {@code readingsIn}, {@code lateReadings}, {@code unzonedReadings} (readings with
 * coordinates the zoning rejects; ingest validation makes them impossible, so they are counted and
 * dropped rather than failing the job).
 */
final class ZoneAssignmentFunction extends ProcessFunction<Reading, ZoneReading> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ZoneAssignmentFunction.class);

    /** Readings beyond the allowed lateness. */
    static final OutputTag<LateReading> LATE =
            new OutputTag<>("late-readings", TypeInformation.of(LateReading.class));

    private final ZoneAssigner zones;
    private final long windowMillis;
    private final long latenessMillis;

    private transient Counter readingsIn;
    private transient Counter lateReadings;
    private transient Counter unzonedReadings;

    ZoneAssignmentFunction(AggregationSpec spec) {
        this.zones = spec.zones();
        this.windowMillis = spec.shortest().toMillis();
        this.latenessMillis = spec.allowedLateness().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        zones.open();
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        readingsIn = metrics.counter("readingsIn");
        lateReadings = metrics.counter("lateReadings");
        unzonedReadings = metrics.counter("unzonedReadings");
    }

    @Override
    public void processElement(Reading reading, Context ctx, Collector<ZoneReading> out) {
        readingsIn.inc();
        long ts = reading.timestampMillis();
        long watermark = ctx.timerService().currentWatermark();
        long start = TimeWindow.getWindowStartWithOffset(ts, 0, windowMillis);
        long end = start + windowMillis;
        // As Flink's WindowOperator.isWindowLate: the window's last millisecond plus the lateness.
        if (end - 1 + latenessMillis <= watermark) {
            lateReadings.inc();
            ctx.output(LATE, new LateReading(reading, start, end, watermark, latenessMillis));
            return;
        }
        List<Zone> readingZones;
        try {
            readingZones = zones.zonesOf(reading);
        } catch (IllegalArgumentException e) {
            unzonedReadings.inc();
            LOG.warn("Dropped a reading of {} in no zone: {}", reading.sensorId(), e.getMessage());
            return;
        }
        long sensor = SensorIds.hash(reading.sensorId());
        for (Zone zone : readingZones) {
            out.collect(
                    new ZoneReading(
                            new ZoneKey(reading.metric(), zone.kind(), zone.id()),
                            sensor,
                            ts,
                            reading.value()));
        }
    }
}
