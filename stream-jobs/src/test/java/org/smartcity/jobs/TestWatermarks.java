package org.smartcity.jobs;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.smartcity.core.Reading;

/**
 * The job's bounded out-of-orderness watermark, emitted after every reading instead of
 * periodically: a bounded test stream is read faster than any period, so only a watermark per
 * reading makes windows fire (and readings become late) at the same point of the input each run.
 */
final class TestWatermarks {
    private TestWatermarks() {}

    static WatermarkStrategy<Reading> perReading(Duration outOfOrderness) {
        long bound = outOfOrderness.toMillis();
        return WatermarkStrategy.<Reading>forGenerator(ctx -> new PerReading(bound))
                .withTimestampAssigner((reading, ts) -> reading.timestampMillis());
    }

    private static final class PerReading implements WatermarkGenerator<Reading> {
        private final long bound;
        private long maxTimestamp = Long.MIN_VALUE;

        PerReading(long bound) {
            this.bound = bound;
        }

        @Override
        public void onEvent(Reading reading, long timestamp, WatermarkOutput output) {
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            // As BoundedOutOfOrdernessWatermarks: the newest timestamp, less the bound, less 1.
            output.emitWatermark(new Watermark(maxTimestamp - bound - 1));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }
}
