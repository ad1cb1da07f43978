package org.smartcity.jobs;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.smartcity.core.Reading;

/**
 * Watermarks emitted after every record instead of periodically: a bounded test stream is read
 * faster than any period, so only a watermark per record makes windows fire (and readings become
 * late) at the same point of the input each run.
 */
final class TestWatermarks {
    private TestWatermarks() {}

    /** Flink's bounded out-of-orderness watermark, after every reading. */
    static WatermarkStrategy<Reading> perReading(Duration outOfOrderness) {
        return WatermarkStrategy.<Reading>forGenerator(
                        ctx -> perRecord(new BoundedOutOfOrdernessWatermarks<>(outOfOrderness)))
                .withTimestampAssigner((reading, ts) -> reading.timestampMillis());
    }

    /** What {@code periodic} would emit on its next period, after every record. */
    static <T> WatermarkGenerator<T> perRecord(WatermarkGenerator<T> periodic) {
        return new WatermarkGenerator<>() {
            @Override
            public void onEvent(T event, long timestamp, WatermarkOutput output) {
                periodic.onEvent(event, timestamp, output);
                periodic.onPeriodicEmit(output);
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        };
    }
}
