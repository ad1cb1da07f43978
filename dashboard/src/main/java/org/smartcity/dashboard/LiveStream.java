package org.smartcity.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Publishing never waits for a client: each client has a bounded queue that {@link #publishAll}
 * adds to, and its own thread (the HTTP request's) that writes from it. A client too slow to keep
 * up (more than {@link #QUEUE_CAPACITY} events not yet written) or gone is dropped, and only that
 * client: the others, and the threads that publish, never block on it. While nothing happens, a
 * comment line is sent every {@code heartbeat} so that proxies keep the connection open and a dead
 * client is noticed. A client whose writes block (it stopped reading) is cut when its connection's
 * idle timeout ends the blocked write.
 *
 * <p>Per event, the work is done once, not once per client: a batch of events (the live layer hands
 * over what arrived together, e.g. a window closing for every zone at once) is filtered and joined
 * into one byte array per distinct client filter, and each client's queue gets that array with one
 * wake-up. A client's thread then writes everything waiting for it and flushes once. A burst used
 * to cost every client a wake-up, a write and a flush through the server's response path per event,
 * and that CPU competed with the thread publishing the rest of the burst (issue 9's profile: about
 * 23 us per event written and client in Jetty); now it is one of each per batch. An event that
 * arrives alone is still sent at once.
 */
final class LiveStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);

    /** The stream's content type. */
    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    /** Events a client may fall behind by before it is dropped. */
    static final int QUEUE_CAPACITY = 1_000;

    private static final byte[] CONNECTED = utf8("retry: 3000\n: connected\n\n");
    private static final byte[] HEARTBEAT = utf8(": heartbeat\n\n");
    private static final byte[] DATA = utf8("\ndata: ");
    private static final byte[] END_OF_EVENT = utf8("\n\n");

    /** One event as sent (UTF-8), and which clients want it (by their filters). */
    record Event(byte[] bytes, Predicate<Filter> audience) {
        /** {@code event: name} with one line of data, {@code data} in UTF-8 without line breaks. */
        static Event of(String name, byte[] data, Predicate<Filter> audience) {
            byte[] event = utf8("event: " + name);
            byte[] bytes = new byte[event.length + DATA.length + data.length + END_OF_EVENT.length];
            int at = put(bytes, 0, event);
            at = put(bytes, at, DATA);
            at = put(bytes, at, data);
            put(bytes, at, END_OF_EVENT);
            return new Event(bytes, audience);
        }
    }

    /** What a client subscribed to; null fields match everything. */
    record Filter(String metric, String zoneKind, String windowLength) {
        boolean matches(String m, String k, String w) {
            return (metric == null || metric.equals(m))
                    && (zoneKind == null || zoneKind.equals(k))
                    && (windowLength == null || windowLength.equals(w));
        }
    }

    /** Events of one batch that one filter accepts, joined as they are sent. */
    private record Chunk(byte[] bytes, int events) {
        static final Chunk NONE = new Chunk(new byte[0], 0);

        static Chunk of(List<Event> batch, Filter filter) {
            int events = 0;
            int length = 0;
            Event only = null;
            for (Event e : batch) {
                if (e.audience().test(filter)) {
                    events++;
                    length += e.bytes().length;
                    only = e;
                }
            }
            if (events <= 1) {
                return events == 0 ? NONE : new Chunk(only.bytes(), 1);
            }
            byte[] bytes = new byte[length];
            int at = 0;
            for (Event e : batch) {
                if (e.audience().test(filter)) {
                    at = put(bytes, at, e.bytes());
                }
            }
            return new Chunk(bytes, events);
        }
    }

    private final class Client {
        final Filter filter;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<Chunk> waiting = new ArrayDeque<>();

        /** Events offered and not yet written: waiting, or taken by the client's thread. */
        private int behind;

        private boolean ended;

        Client(Filter filter) {
            this.filter = filter;
        }

        void offer(Chunk chunk) {
            lock.lock();
            try {
                if (ended) {
                    return;
                }
                if (behind + chunk.events() > QUEUE_CAPACITY) {
                    clients.remove(this);
                    droppedClients.incrementAndGet();
                    // Wake the writer if it waits; a writer blocked on the socket ends with it.
                    endLocked();
                    return;
                }
                waiting.add(chunk);
                behind += chunk.events();
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        /** Tells the client's thread to end the stream, without what is still waiting. */
        void end() {
            lock.lock();
            try {
                endLocked();
            } finally {
                lock.unlock();
            }
        }

        private void endLocked() {
            ended = true;
            waiting.clear();
            behind = 0;
            changed.signal();
        }

        /** Counts {@code events} taken by {@link #take} as written. */
        void written(int events) {
            lock.lock();
            try {
                behind = Math.max(0, behind - events);
            } finally {
                lock.unlock();
            }
        }

        /**
         * Everything waiting, once something is (still counted as behind until {@link #written});
         * empty after {@code timeoutNanos} of nothing; null once the stream is to end.
         */
        List<Chunk> take(long timeoutNanos) throws InterruptedException {
            lock.lock();
            try {
                long nanos = timeoutNanos;
                while (waiting.isEmpty() && !ended) {
                    if (nanos <= 0) {
                        return List.of();
                    }
                    nanos = changed.awaitNanos(nanos);
                }
                if (ended) {
                    return null;
                }
                List<Chunk> all = new ArrayList<>(waiting);
                waiting.clear();
                return all;
            } finally {
                lock.unlock();
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
        if (!clients.isEmpty()) {
            publishAll(List.of(Event.of(name, utf8(data), audience)));
        }
    }

    /**
     * Sends {@code batch} in its order, each event to the clients its audience accepts: one chunk
     * and one wake-up per client, the chunk built once per distinct filter.
     */
    void publishAll(List<Event> batch) {
        if (batch.isEmpty() || clients.isEmpty()) {
            return;
        }
        Map<Filter, Chunk> chunks = new HashMap<>();
        for (Client c : clients) {
            Chunk chunk = chunks.computeIfAbsent(c.filter, f -> Chunk.of(batch, f));
            if (chunk.events() > 0) {
                c.offer(chunk);
            }
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
        long heartbeatNanos = heartbeat.toNanos();
        try {
            out.write(CONNECTED);
            out.flush();
            while (!closed) {
                List<Chunk> waiting = client.take(heartbeatNanos);
                if (waiting == null) {
                    break;
                }
                if (waiting.isEmpty()) {
                    out.write(HEARTBEAT);
                    out.flush();
                    continue;
                }
                // Whatever waits, then one flush: Jetty passes a write larger than its buffer
                // straight to the socket, so a client far behind still gets steady pieces.
                int events = 0;
                for (Chunk c : waiting) {
                    out.write(c.bytes());
                    events += c.events();
                }
                out.flush();
                client.written(events);
                sent.addAndGet(events);
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

    private static int put(byte[] into, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, into, at, bytes.length);
        return at + bytes.length;
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
            c.end();
        }
    }
}
