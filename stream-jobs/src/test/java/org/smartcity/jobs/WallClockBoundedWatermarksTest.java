package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class WallClockBoundedWatermarksTest {
    private static final Duration BOUND = Duration.ofSeconds(5);

    /** The wall clock of the test, in epoch milliseconds. */
    private long now = 1_000_000_000L;

    private final Output output = new Output();
    private final WallClockBoundedWatermarks<String> generator =
            new WallClockBoundedWatermarks<>(BOUND, () -> now);

    @Test
    void trailsTheNewestTimestampByTheBoundLikeBoundedOutOfOrderness() {
        assertThat(emit()).isEqualTo(Long.MIN_VALUE);
        generator.onEvent("a", now - 60_000, output);
        assertThat(emit()).isEqualTo(now - 60_000 - 5_000 - 1);
        generator.onEvent("b", now - 2_000, output);
        generator.onEvent("c", now - 3_000, output);
        assertThat(emit()).isEqualTo(now - 2_000 - 5_000 - 1);
        // An older reading never moves it back.
        generator.onEvent("d", now - 600_000, output);
        assertThat(emit()).isEqualTo(now - 2_000 - 5_000 - 1);
    }

    @Test
    void aTimestampAheadOfTheWallClockCountsAsTheWallClock() {
        generator.onEvent("on time", now - 1_000, output);
        generator.onEvent("fast clock", now + 240_000, output);
        assertThat(emit()).isEqualTo(now - 5_000 - 1);

        // Real time goes on; the fast reading's own time is not remembered.
        now += 10_000;
        assertThat(emit()).isEqualTo(now - 10_000 - 5_000 - 1);
        generator.onEvent("on time", now - 500, output);
        assertThat(emit()).isEqualTo(now - 500 - 5_000 - 1);
        generator.onEvent("fast clock", now + 240_000, output);
        assertThat(emit()).isEqualTo(now - 5_000 - 1);
    }

    @Test
    void aReplayOfOldReadingsIsUnaffected() {
        long day = 86_400_000L;
        for (long ts = now - 3 * day; ts < now - 2 * day; ts += 60_000) {
            generator.onEvent("old", ts, output);
        }
        assertThat(emit()).isEqualTo(now - 2 * day - 60_000 - 5_000 - 1);
    }

    @Test
    void rejectsANegativeBound() {
        assertThatThrownBy(() -> new WallClockBoundedWatermarks<>(Duration.ofMillis(-1), () -> 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out-of-orderness");
    }

    private long emit() {
        generator.onPeriodicEmit(output);
        return output.watermarks.get(output.watermarks.size() - 1);
    }

    private static final class Output implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }
}
