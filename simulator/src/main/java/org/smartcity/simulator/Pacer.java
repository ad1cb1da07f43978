package org.smartcity.simulator;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The rate limiter: holds each message back until it is due, {@code offset} after the start. Due
 * times come from the schedule ({@link SimulatedMessage#sendTime}), not from the previous send, so
 * pauses do not accumulate drift and a publisher that fell behind catches up. It sleeps, never
 * spins.
 */
final class Pacer {
    /** Sleeps up to the given nanoseconds; returns true when the wait must end early (stop). */
    @FunctionalInterface
    interface Waiter {
        boolean await(long nanos) throws InterruptedException;
    }

    private final LongSupplier nanoTime;
    private final Waiter waiter;
    private long origin;

    Pacer(LongSupplier nanoTime, Waiter waiter) {
        this.nanoTime = nanoTime;
        this.waiter = waiter;
    }

    /** Marks the start that offsets count from. */
    void start() {
        origin = nanoTime.getAsLong();
    }

    /**
     * Waits until {@code offset} after {@link #start()}.
     *
     * @return false when the wait was cut short by a stop
     */
    boolean awaitOffset(Duration offset) throws InterruptedException {
        long due = origin + offset.toNanos();
        for (long wait = due - nanoTime.getAsLong(); wait > 0; wait = due - nanoTime.getAsLong()) {
            if (waiter.await(wait)) {
                return false;
            }
        }
        return true;
    }

    /** Time since {@link #start()}. */
    Duration elapsed() {
        return Duration.ofNanos(nanoTime.getAsLong() - origin);
    }
}
