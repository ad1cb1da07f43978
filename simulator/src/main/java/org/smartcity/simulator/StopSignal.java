package org.smartcity.simulator;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-way request to stop, which every wait of the publisher also waits on, so a stop (Ctrl-C,
 * {@link Simulator#close()}) ends a pause at once instead of after it.
 */
final class StopSignal {
    private final CountDownLatch latch = new CountDownLatch(1);

    void request() {
        latch.countDown();
    }

    boolean isRequested() {
        return latch.getCount() == 0;
    }

    /**
     * Waits up to {@code nanos} for a stop request.
     *
     * @return whether a stop was requested
     */
    boolean await(long nanos) throws InterruptedException {
        return latch.await(nanos, TimeUnit.NANOSECONDS);
    }
}
