package org.smartcity.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.http.HttpErrors;

/**
 * Server-sent events to any number of clients ({@code /api/live/stream}).
 *
 * <p>Not Javalin's {@code SseClient}: that answers only requests that send {@code Accept:
 * text/event-stream} (a plain {@code curl} or {@code fetch} does not), and writes on the
 * publisher's thread, where a slow client would hold up the others.
 *
 * <p>Publishing never waits for a client: each client has a bounded queue that {@link #publish}
 * offers to, and its own thread (the HTTP request's) that writes from it. A client too slow to keep
 * up (its queue full) or gone is dropped, and only that client: the others, and the live layer's
 * consumer thread that publishes, never block on it. While nothing happens, a comment line is sent
 * every {@code heartbeat} so that proxies keep the connection open and a dead client is noticed. A
 * client whose writes block (it stopped reading) is cut when its connection's idle timeout ends the
 * blocked write.
 *
 * <p>An event is encoded once, when published, not once per client. A client's thread writes every
 * event already waiting in its queue and then flushes once (up to {@link #BATCH_BYTES}), rather
 * than flushing after each event: during a burst (a window closing for every zone at once) each
 * flush is a pass through the server's response path and a socket write, per client, and that work
 * competes for the CPU with the thread that publishes the rest of the burst. An event that arrives
 * alone is still sent at once.
 */
final class LiveStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);

    /** The stream's content type. */
    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    /** Events a client may fall behind by before it is dropped. */
    static final int QUEUE_CAPACITY = 1_000;

    /** A queued event that tells the client's thread to end the stream. */
    private static final Event END = new Event(new byte[0], e -> true);

    /**
     * Once this many bytes are written since the last flush, a client's thread flushes before it
     * takes the next waiting event: Jetty's response buffer ({@code HttpConfiguration}'s default
     * output buffer size, 32 KiB), so that a client far behind still gets its events in steady
     * pieces of about one buffer each.
     */
    static final int BATCH_BYTES = 32 * 1024;

    private static final byte[] CONNECTED = utf8("retry: 3000\n: connected\n\n");
    private static final byte[] HEARTBEAT = utf8(": heartbeat\n\n");

    /** One event as sent (UTF-8), and which clients want it (by their filters). */
    record Event(byte[] bytes, Predicate<Filter> audience) {}

    /** What a client subscribed to; null fields match everything. */
    record Filter(String metric, String zoneKind, String windowLength) {
        boolean matches(String m, String k, String w) {
            return (metric == null || metric.equals(m))
                    && (zoneKind == null || zoneKind.equals(k))
                    && (windowLength == null || windowLength.equals(w));
        }
    }

    private final class Client {
        final Filter filter;
        final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        volatile boolean dropped;

        Client(Filter filter) {
            this.filter = filter;
        }

        void offer(Event e) {
            if (!e.audience().test(filter) || dropped) {
                return;
            }
            if (!queue.offer(e)) {
                dropped = true;
                clients.remove(this);
                droppedClients.incrementAndGet();
                // Wake the writer if it waits; a writer blocked on the socket ends with it.
                queue.clear();
                queue.offer(END);
            }
        }
    }

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final Duration heartbeat;
    private final int maxClients;
    private final AtomicLong droppedClients = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean closed;

    LiveStream(Duration heartbeat, int maxClients) {
        this.heartbeat = heartbeat;
        this.maxClients = maxClients;
    }

    int clients() {
        return clients.size();
    }

    long droppedClients() {
        return droppedClients.get();
    }

    long eventsSent() {
        return sent.get();
    }

    /** Sends {@code event: name} with one line of data to the clients {@code audience} accepts. */
    void publish(String name, String data, Predicate<Filter> audience) {
        if (clients.isEmpty()) {
            return;
        }
        Event e = new Event(utf8("event: " + name + "\ndata: " + data + "\n\n"), audience);
        for (Client c : clients) {
            c.offer(e);
        }
    }

    /**
     * Streams events to one client, the response body {@code out}, until it goes away, is dropped
     * or the stream is closed; runs on (and holds) the request's thread.
     *
     * @throws io.javalin.http.HttpResponseException 503 when the stream is closed or full, before
     *     anything is sent
     */
    void serve(OutputStream out, Filter filter) {
        Client client = admit(filter);
        try {
            out.write(CONNECTED);
            out.flush();
            while (!closed && !client.dropped) {
                Event e = client.queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    out.write(HEARTBEAT);
                    out.flush();
                    continue;
                }
                // This event and whatever else is waiting already, then one flush.
                int events = 0;
                int bytes = 0;
                while (e != null && e != END) {
                    out.write(e.bytes());
                    events++;
                    bytes += e.bytes().length;
                    e = bytes < BATCH_BYTES ? client.queue.poll() : null;
                }
                if (events > 0) {
                    out.flush();
                    sent.addAndGet(events);
                }
                if (e == END) {
                    break;
                }
            }
        } catch (IOException e) {
            LOG.debug("Live stream client gone: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(client);
        }
    }

    /** Checks, before the response starts, that one more client may connect. */
    void checkAdmission() {
        if (closed || clients.size() >= maxClients) {
            throw HttpErrors.unavailable(
                    "too many live stream clients (" + maxClients + "); try again later");
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Client admit(Filter filter) {
        checkAdmission();
        Client client = new Client(filter);
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        closed = true;
        for (Client c : clients) {
            c.queue.clear();
            c.queue.offer(END);
        }
    }
}
