package org.smartcity.dashboard;

import java.io.IOException;
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
 */
final class LiveStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);

    /** The stream's content type. */
    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    /** Events a client may fall behind by before it is dropped. */
    static final int QUEUE_CAPACITY = 1_000;

    /** A queued event that tells the client's thread to end the stream. */
    private static final Event END = new Event("", e -> true);

    /** Where one client's events go: the response body, flushed after each event. */
    @FunctionalInterface
    interface EventSink {
        void send(String text) throws IOException;
    }

    /** One event, and which clients want it (by their filters). */
    record Event(String text, Predicate<Filter> audience) {}

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
        Event e = new Event("event: " + name + "\ndata: " + data + "\n\n", audience);
        for (Client c : clients) {
            c.offer(e);
        }
    }

    /**
     * Streams events to one client until it goes away, is dropped or the stream is closed; runs on
     * (and holds) the request's thread.
     *
     * @throws io.javalin.http.HttpResponseException 503 when the stream is closed or full, before
     *     anything is sent
     */
    void serve(EventSink sink, Filter filter) {
        Client client = admit(filter);
        try {
            sink.send("retry: 3000\n: connected\n\n");
            while (!closed && !client.dropped) {
                Event e = client.queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (e == END) {
                    break;
                }
                sink.send(e == null ? ": heartbeat\n\n" : e.text());
                if (e != null) {
                    sent.incrementAndGet();
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
