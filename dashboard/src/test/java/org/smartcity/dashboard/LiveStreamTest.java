package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The live stream's fan-out: a client that stops reading is dropped, the others are unaffected. */
class LiveStreamTest {

    /** An exchange whose response body is {@code out}. */
    private static final class FakeExchange extends HttpExchange {
        private final Headers responseHeaders = new Headers();
        private final OutputStream out;
        private int code = -1;

        FakeExchange(OutputStream out) {
            this.out = out;
        }

        @Override
        public Headers getRequestHeaders() {
            return new Headers();
        }

        @Override
        public Headers getResponseHeaders() {
            return responseHeaders;
        }

        @Override
        public URI getRequestURI() {
            return URI.create("/api/live/stream");
        }

        @Override
        public String getRequestMethod() {
            return "GET";
        }

        @Override
        public HttpContext getHttpContext() {
            return null;
        }

        @Override
        public void close() {}

        @Override
        public InputStream getRequestBody() {
            return InputStream.nullInputStream();
        }

        @Override
        public OutputStream getResponseBody() {
            return out;
        }

        @Override
        public void sendResponseHeaders(int rCode, long responseLength) {
            code = rCode;
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return new InetSocketAddress(0);
        }

        @Override
        public int getResponseCode() {
            return code;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return new InetSocketAddress(0);
        }

        @Override
        public String getProtocol() {
            return "HTTP/1.1";
        }

        @Override
        public Object getAttribute(String name) {
            return null;
        }

        @Override
        public void setAttribute(String name, Object value) {}

        @Override
        public void setStreams(InputStream i, OutputStream o) {}

        @Override
        public HttpPrincipal getPrincipal() {
            return null;
        }
    }

    /** A client that reads nothing: its first write after connecting blocks until released. */
    private static final class StuckStream extends OutputStream {
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

    private static Thread serve(LiveStream stream, HttpExchange ex, LiveStream.Filter filter) {
        Thread t =
                new Thread(
                        () -> {
                            try {
                                stream.serve(ex, filter);
                            } catch (IOException e) {
                                throw new AssertionError(e);
                            }
                        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithoutHoldingUpTheOthers() throws Exception {
        LiveStream stream = new LiveStream(Duration.ofMinutes(1), 10);
        ByteArrayOutputStream fastOut = new ByteArrayOutputStream();
        StuckStream stuckOut = new StuckStream();
        FakeExchange fast = new FakeExchange(fastOut);
        FakeExchange stuck = new FakeExchange(stuckOut);
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
        String received;
        synchronized (fastOut) {
            received = fastOut.toString(StandardCharsets.UTF_8);
        }
        assertThat(received)
                .startsWith("retry: 3000\n: connected\n\nevent: aggregate\ndata: {\"n\":0}\n\n");
        assertThat(received).endsWith("data: {\"n\":" + (events - 1) + "}\n\n");
        assertThat(received.split("event: aggregate", -1)).hasSize(events + 1);
        assertThat(fast.getResponseHeaders().getFirst("Content-Type"))
                .isEqualTo("text/event-stream; charset=utf-8");
        assertThat(stream.clients()).isEqualTo(1);

        stuckOut.release.countDown();
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
        ByteArrayOutputStream pm25Out = new ByteArrayOutputStream();
        Thread t =
                serve(
                        stream,
                        new FakeExchange(pm25Out),
                        new LiveStream.Filter("pm25", null, "15m"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.clients() == 1);

        stream.publish("aggregate", "no2", f -> f.matches("no2", "h3", "15m"));
        stream.publish("aggregate", "pm25-1m", f -> f.matches("pm25", "h3", "1m"));
        stream.publish("aggregate", "pm25-15m", f -> f.matches("pm25", "city", "15m"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.eventsSent() == 1);
        stream.close();
        t.join(10_000);

        assertThat(pm25Out.toString(StandardCharsets.UTF_8))
                .isEqualTo("retry: 3000\n: connected\n\nevent: aggregate\ndata: pm25-15m\n\n");
    }
}
