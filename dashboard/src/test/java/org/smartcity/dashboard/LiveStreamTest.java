package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The live stream's fan-out: a client that stops reading is dropped, the others are unaffected. */
class LiveStreamTest {

    /** A client that reads everything: what it received. */
    private static final class Collecting extends OutputStream {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            received.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            received.write(b, off, len);
        }

        synchronized String received() {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    /** A client that reads nothing: its first write after connecting blocks until released. */
    private static final class Stuck extends OutputStream {
        final CountDownLatch release = new CountDownLatch(1);
        volatile int writes;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (++writes > 1) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("connection reset");
            }
        }
    }

    private static Thread serve(LiveStream stream, OutputStream out, LiveStream.Filter filter) {
        Thread t = new Thread(() -> stream.serve(out, filter));
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithoutHoldingUpTheOthers() throws Exception {
        LiveStream stream = new LiveStream(Duration.ofMinutes(1), 10);
        Collecting fast = new Collecting();
        Stuck stuck = new Stuck();
        LiveStream.Filter all = new LiveStream.Filter(null, null, null);
        Thread fastThread = serve(stream, fast, all);
        Thread stuckThread = serve(stream, stuck, all);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.clients() == 2);

        int events = LiveStream.QUEUE_CAPACITY + 50;
        for (int i = 0; i < events; i++) {
            stream.publish("aggregate", "{\"n\":" + i + "}", f -> true);
            if (i % 100 == 99) {
                // Pace the publisher to the fast client, so only the stuck one falls behind.
                int published = i + 1;
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> stream.eventsSent() == published);
            }
        }

        assertThat(stream.droppedClients()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.eventsSent() == events);
        String received = fast.received();
        assertThat(received)
                .startsWith("retry: 3000\n: connected\n\nevent: aggregate\ndata: {\"n\":0}\n\n");
        assertThat(received).endsWith("data: {\"n\":" + (events - 1) + "}\n\n");
        assertThat(received.split("event: aggregate", -1)).hasSize(events + 1);
        assertThat(LiveStream.CONTENT_TYPE).isEqualTo("text/event-stream; charset=utf-8");
        assertThat(stream.clients()).isEqualTo(1);

        stuck.release.countDown();
        stuckThread.join(10_000);
        assertThat(stuckThread.isAlive()).isFalse();

        stream.close();
        fastThread.join(10_000);
        assertThat(fastThread.isAlive()).isFalse();
        assertThat(stream.clients()).isZero();
    }

    @Test
    void eachClientGetsOnlyTheEventsItsFilterAccepts() throws Exception {
        LiveStream stream = new LiveStream(Duration.ofMinutes(1), 10);
        Collecting pm25 = new Collecting();
        Thread t = serve(stream, pm25, new LiveStream.Filter("pm25", null, "15m"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.clients() == 1);

        stream.publish("aggregate", "no2", f -> f.matches("no2", "h3", "15m"));
        stream.publish("aggregate", "pm25-1m", f -> f.matches("pm25", "h3", "1m"));
        stream.publish("aggregate", "pm25-15m", f -> f.matches("pm25", "city", "15m"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.eventsSent() == 1);
        stream.close();
        t.join(10_000);

        assertThat(pm25.received())
                .isEqualTo("retry: 3000\n: connected\n\nevent: aggregate\ndata: pm25-15m\n\n");
    }

    /**
     * A client whose flushes after the first event wait until released: what reached it, and when.
     */
    private static final class SlowFlushing extends OutputStream {
        final CountDownLatch firstEventFlushing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private final List<String> flushed = new ArrayList<>();

        @Override
        public synchronized void write(int b) {
            written.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            written.write(b, off, len);
        }

        @Override
        public void flush() {
            synchronized (this) {
                flushed.add(written.toString(StandardCharsets.UTF_8));
                written.reset();
            }
            if (flushed().size() == 2) {
                firstEventFlushing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        synchronized List<String> flushed() {
            return List.copyOf(flushed);
        }
    }

    @Test
    void eventsThatQueuedWhileTheClientWasBusyGoOutWithOneFlush() throws Exception {
        LiveStream stream = new LiveStream(Duration.ofMinutes(1), 10);
        SlowFlushing client = new SlowFlushing();
        Thread t = serve(stream, client, new LiveStream.Filter(null, null, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.clients() == 1);

        stream.publish("aggregate", "1", f -> true);
        assertThat(client.firstEventFlushing.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 2; i <= 5; i++) {
            stream.publish("aggregate", Integer.toString(i), f -> true);
        }
        client.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.eventsSent() == 5);
        stream.close();
        t.join(10_000);

        assertThat(client.flushed())
                .containsExactly(
                        "retry: 3000\n: connected\n\n",
                        "event: aggregate\ndata: 1\n\n",
                        "event: aggregate\ndata: 2\n\n"
                                + "event: aggregate\ndata: 3\n\n"
                                + "event: aggregate\ndata: 4\n\n"
                                + "event: aggregate\ndata: 5\n\n");
    }
}
