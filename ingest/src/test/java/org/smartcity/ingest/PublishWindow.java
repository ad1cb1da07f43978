package org.smartcity.ingest;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;

/**
 * The QoS 1 publishes a test client may have unacknowledged at once: the broker's receive maximum
 * from its CONNACK (at most 1000), as permits. A publisher takes a permit per message and passes
 * this window as the publish's listener, so the broker's acknowledgement, or a failure, gives it
 * back. {@link MqttTestPublisher} and the load generator ({@code bench.LoadPublisher}) both publish
 * through it.
 */
public final class PublishWindow implements MqttActionListener {
    private final int size;
    private final Semaphore permits;
    private final AtomicLong failures = new AtomicLong();

    /** The window the broker granted in {@code connack}: its receive maximum, at most 1000. */
    public PublishWindow(IMqttToken connack) {
        Integer receiveMaximum = connack.getResponseProperties().getReceiveMaximum();
        size = receiveMaximum == null ? 65535 : Math.min(receiveMaximum, 1000);
        permits = new Semaphore(size);
    }

    /** Unacknowledged QoS 1 messages allowed at once. */
    public int size() {
        return size;
    }

    /** Takes a permit for one publish, waiting for an acknowledgement if none is free. */
    public void acquire() throws InterruptedException {
        permits.acquire();
    }

    /** Takes a permit for one publish, waiting at most {@code nanos}; false if none came. */
    public boolean tryAcquire(long nanos) throws InterruptedException {
        return permits.tryAcquire(nanos, TimeUnit.NANOSECONDS);
    }

    /** A publish that could not be started: counts it as failed and gives its permit back. */
    public void notStarted() {
        failures.incrementAndGet();
        permits.release();
    }

    /** Publishes that failed so far. */
    public long failures() {
        return failures.get();
    }

    /** Waits until every permit is back, i.e. everything published was answered; false if not. */
    public boolean awaitAllAnswered(long timeout, TimeUnit unit) throws InterruptedException {
        if (!permits.tryAcquire(size, timeout, unit)) {
            return false;
        }
        permits.release(size);
        return true;
    }

    @Override
    public void onSuccess(IMqttToken token) {
        permits.release();
    }

    @Override
    public void onFailure(IMqttToken token, Throwable exception) {
        failures.incrementAndGet();
        permits.release();
    }
}
