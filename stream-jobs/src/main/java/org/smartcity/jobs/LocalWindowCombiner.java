package org.smartcity.jobs;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.smartcity.core.Aggregation;

/**
 * Pre-aggregates zone readings per zone and shortest window in the subtask that read them, before
 * they cross the network: the shortest windows then merge a few {@link ZonePartial}s per zone
 * instead of counting every reading (a reading counts in three zones, and a district or the city
 * gets thousands of readings a minute). The local aggregation step of Flink SQL's two-phase window
 * aggregation, for the job's {@link ZoneStats}.
 *
 * <p>The results do not change, because {@link ZoneStats} merge exactly (the sketch's bins add up)
 * and every reading still reaches its window before the watermark that fires it:
 *
 * <ul>
 *   <li>a window's buffered readings are sent when the watermark passes the window's end, just
 *       before the watermark itself is forwarded; the window downstream fires on that watermark (or
 *       a later one) and so sees them;
 *   <li>a reading for a window whose end the watermark has already passed is a correction: it is
 *       sent on at once, alone, so that the window fires again as promptly as without this step;
 *   <li>everything buffered is sent before each checkpoint barrier and at the end of input, so the
 *       operator has no state to checkpoint: a restart loses nothing and savepoints are unchanged;
 *   <li>if more than {@value #DEFAULT_MAX_BUFFERED} zone windows are buffered (an unusually wide
 *       out-of-orderness), all are sent early; the windows merge the extra partials.
 * </ul>
 *
 * Each partial carries its window's last millisecond as timestamp, so the window assigner
 * downstream puts it into the same window.
 */
final class LocalWindowCombiner extends AbstractStreamOperator<ZonePartial>
        implements OneInputStreamOperator<ZoneReading, ZonePartial> {
    private static final long serialVersionUID = 1L;

    /** Zone windows buffered at most before everything is sent. */
    static final int DEFAULT_MAX_BUFFERED = 100_000;

    private final long windowMillis;
    private final int maxBuffered;

    /** Buffered statistics by window start, then zone. */
    private transient TreeMap<Long, Map<ZoneKey, ZoneStats>> buffer;

    private transient int buffered;
    private transient long watermark;
    private transient StreamRecord<ZonePartial> reuse;

    LocalWindowCombiner(long windowMillis) {
        this(windowMillis, DEFAULT_MAX_BUFFERED);
    }

    LocalWindowCombiner(long windowMillis, int maxBuffered) {
        if (windowMillis <= 0 || maxBuffered <= 0) {
            throw new IllegalArgumentException("window length and buffer size must be positive");
        }
        this.windowMillis = windowMillis;
        this.maxBuffered = maxBuffered;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new TreeMap<>();
        buffered = 0;
        watermark = Long.MIN_VALUE;
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<ZoneReading> element) {
        ZoneReading r = element.getValue();
        long start = TimeWindow.getWindowStartWithOffset(r.timestampMillis(), 0, windowMillis);
        boolean energetic = r.zone().metric().aggregation() == Aggregation.ENERGETIC_MEAN;
        if (start + windowMillis - 1 <= watermark) {
            ZoneStats single = new ZoneStats();
            single.add(r.sensor(), r.value(), energetic);
            emit(r.zone(), start, single);
            return;
        }
        ZoneStats stats =
                buffer.computeIfAbsent(start, s -> new HashMap<>())
                        .computeIfAbsent(r.zone(), z -> newEntry());
        stats.add(r.sensor(), r.value(), energetic);
        if (buffered >= maxBuffered) {
            flushUntil(Long.MAX_VALUE);
        }
    }

    private ZoneStats newEntry() {
        buffered++;
        return new ZoneStats();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        flushUntil(watermark);
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushUntil(Long.MAX_VALUE);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flushUntil(Long.MAX_VALUE);
        super.finish();
    }

    /** Sends the windows whose last millisecond is at or before {@code time}, oldest first. */
    private void flushUntil(long time) {
        Iterator<Map.Entry<Long, Map<ZoneKey, ZoneStats>>> windows = buffer.entrySet().iterator();
        while (windows.hasNext()) {
            Map.Entry<Long, Map<ZoneKey, ZoneStats>> window = windows.next();
            long start = window.getKey();
            if (time != Long.MAX_VALUE && start + windowMillis - 1 > time) {
                return;
            }
            for (Map.Entry<ZoneKey, ZoneStats> zone : window.getValue().entrySet()) {
                emit(zone.getKey(), start, zone.getValue());
            }
            buffered -= window.getValue().size();
            windows.remove();
        }
    }

    private void emit(ZoneKey zone, long start, ZoneStats stats) {
        output.collect(
                reuse.replace(new ZonePartial(zone, start, stats), start + windowMillis - 1));
    }
}
