package org.smartcity.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what one thread produces to another in batches: the producer only queues each item; a
 * thread of its own takes everything queued (up to {@link #MAX_BATCH}) and passes it on as one
 * list, in the order produced.
 *
 * <p>The live layer's consumer thread produces a window-close burst (one change per zone and
 * metric, hundreds at once) one change at a time, and GeoMesa gives no signal where a poll's
 * records end. Queued here, the burst reaches the live stream in a few batches: while one batch is
 * published, the next collects, so the batches grow with the load and an item that arrives alone
 * still goes on at once. The decoding and encoding move off the consumer thread too, which then
 * reads on while the previous batch is published.
 *
 * @param <T> what is handed over
 */
final class LiveHandoff<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveHandoff.class);

    /**
     * Items in one batch at most: well below {@link LiveStream#QUEUE_CAPACITY}, so that one batch
     * never drops a client that keeps up, and small enough that the first item of a batch does not
     * wait long for the last one to be encoded (256 live events are about 5 ms of work).
     */
    static final int MAX_BATCH = 256;

    /**
     * Items queued at most; beyond that the producer waits. The thread taking them never waits on
     * anything but this queue, so the bound only stops a replay from outrunning it into memory.
     */
    static final int CAPACITY = 20_000;

    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Duration OFFER_WAIT = Duration.ofMillis(100);

    private final BlockingQueue<T> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Consumer<List<T>> onBatch;
    private final Thread thread;
    private volatile boolean open = true;

    /**
     * Starts the thread {@code name} that calls {@code onBatch} with each batch (a list it reuses:
     * {@code onBatch} must not keep it).
     */
    LiveHandoff(String name, Consumer<List<T>> onBatch) {
        this.onBatch = onBatch;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues {@code item}; waits only while {@link #CAPACITY} items are queued, and not once closed
     * (the store's consumer thread must not hang on a handoff nobody takes from any more).
     */
    void accept(T item) {
        try {
            while (open && !queue.offer(item, OFFER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                // Full: the publishing thread is behind; try again unless closed meanwhile.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the thread that passes batches on runs. */
    boolean isAlive() {
        return open && thread.isAlive();
    }

    private void run() {
        List<T> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (open) {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                try {
                    onBatch.accept(batch);
                } catch (RuntimeException e) {
                    LOG.warn("Live batch of {} failed: {}", batch.size(), e.toString());
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            // close()
        }
    }

    @Override
    public void close() {
        open = false;
        thread.interrupt();
        try {
            thread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
