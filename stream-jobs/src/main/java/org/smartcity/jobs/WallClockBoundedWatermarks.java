package org.smartcity.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks that a fast device clock cannot push ahead of real time: the
 * watermark trails the newest timestamp seen by the bound, as Flink's {@code
 * BoundedOutOfOrdernessWatermarks}, except that a timestamp ahead of the wall clock when its record
 * arrives counts as that wall-clock time.
 *
 * <p>Why: validation lets a device's clock run up to 5 minutes fast. With a plain bounded watermark
 * one such reading moved event time minutes ahead of real time, so every reading of the correct
 * devices became late and re-fired its window (hundreds of revisions per window, and the live map
 * showed a window from the future). Here the watermark never passes {@code now - bound}; the fast
 * reading keeps its own timestamp and is aggregated in its own (future) window, which closes when
 * real time, carried by the other readings, gets there.
 *
 * <p>A replay of old data is unaffected: its timestamps are far behind the clock. One generator
 * runs per source split (Flink creates one for each), on the TaskManager, so {@code now} is the
 * TaskManager's clock; if it lags the devices' (correct) clocks, windows close that much later.
 *
 * @param <T> the record type
 */
public final class WallClockBoundedWatermarks<T> implements WatermarkGenerator<T> {
    private final long bound;
    private final LongSupplier clock;

    /** The newest timestamp seen, each capped at the wall clock of its arrival. */
    private long maxTimestamp;

    /**
     * @param outOfOrderness how far behind the newest (capped) timestamp the watermark stays
     * @param clock the wall clock in epoch milliseconds
     */
    public WallClockBoundedWatermarks(Duration outOfOrderness, LongSupplier clock) {
        Objects.requireNonNull(outOfOrderness, "outOfOrderness");
        if (outOfOrderness.isNegative()) {
            throw new IllegalArgumentException(
                    "the out-of-orderness must not be negative, got " + outOfOrderness);
        }
        this.bound = outOfOrderness.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        // As Flink's BoundedOutOfOrdernessWatermarks: the first watermark is Long.MIN_VALUE.
        this.maxTimestamp = Long.MIN_VALUE + bound + 1;
    }

    /**
     * The strategy with the system clock: a generator per split; add the timestamp assigner and
     * idleness as with any strategy.
     */
    public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(Duration outOfOrderness) {
        return WatermarkStrategy.forGenerator(
                ctx -> new WallClockBoundedWatermarks<>(outOfOrderness, System::currentTimeMillis));
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        // The clock is only read when the record could advance the watermark.
        if (eventTimestamp > maxTimestamp) {
            maxTimestamp = Math.max(maxTimestamp, Math.min(eventTimestamp, clock.getAsLong()));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(maxTimestamp - bound - 1));
    }
}
