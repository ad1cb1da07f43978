package org.smartcity.dashboard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A client of {@code /api/live/stream}, in one of two modes.
 *
 * <p>{@link #SseClient(HttpClient, String, String) Arrivals} (DashboardBenchmark's latencies):
 * notes when each {@code aggregate} event arrives, keyed as {@link #key} keys a written aggregate:
 * live feature id, window start and revision. The arrival time is taken as the {@code data:} line
 * is read, before anything is parsed. It keeps a map entry per event and decodes every line, so it
 * costs far more CPU per event than the server does to send it.
 *
 * <p>{@link #counting Counting} (HistoryBenchmark's load): counts {@code aggregate} events by
 * scanning the body's bytes for the event line, without decoding, parsing or keeping anything; a
 * benchmark proves none was missed by comparing the count with what it wrote.
 */
final class SseClient implements AutoCloseable {
    /** An event's first line, as the stream writes it after the blank line ending the previous. */
    static final byte[] AGGREGATE_EVENT = bytes("\nevent: aggregate\n");

    private static final byte[] CONNECTED = bytes(": connected\n");

    private final ConcurrentHashMap<String, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final CountDownLatch connected = new CountDownLatch(1);
    private final AutoCloseable body;

    /** A client that notes every event's arrival (see the class comment). */
    SseClient(HttpClient http, String url, String name) throws IOException, InterruptedException {
        Stream<String> lines = send(http, url, HttpResponse.BodyHandlers.ofLines());
        body = lines;
        start(() -> readLines(lines), name, url);
    }

    private SseClient(InputStream in, String url, String name)
            throws IOException, InterruptedException {
        body = in;
        start(() -> countEvents(in), name, url);
    }

    /** A client that only counts events (see the class comment). */
    static SseClient counting(HttpClient http, String url, String name)
            throws IOException, InterruptedException {
        return new SseClient(send(http, url, HttpResponse.BodyHandlers.ofInputStream()), url, name);
    }

    private static <T> T send(HttpClient http, String url, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpResponse<T> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), handler);
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return response.body();
    }

    private void start(Runnable read, String name, String url)
            throws IOException, InterruptedException {
        Thread reader = new Thread(read, name);
        reader.setDaemon(true);
        reader.start();
        if (!connected.await(30, TimeUnit.SECONDS)) {
            throw new IOException(url + " sent no ': connected' within 30 s");
        }
    }

    /** The key of an aggregate: live feature id, window start (epoch ms) and revision. */
    static String key(String liveId, long windowStartMillis, int revision) {
        return liveId + '@' + windowStartMillis + '#' + revision;
    }

    private void readLines(Stream<String> lines) {
        String event = null;
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("data: ")) {
                    long now = System.nanoTime();
                    if ("aggregate".equals(event)) {
                        events.incrementAndGet();
                        if (arrivals.putIfAbsent(keyOf(line), now) != null) {
                            duplicates.incrementAndGet();
                        }
                    }
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.equals(": connected")) {
                    connected.countDown();
                }
            }
        } catch (RuntimeException e) {
            // The stream was closed.
        }
    }

    private void countEvents(InputStream in) {
        Matcher connectedLine = new Matcher(CONNECTED);
        Matcher aggregate = new Matcher(AGGREGATE_EVENT);
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                int found = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (aggregate.next(b)) {
                        found++;
                    }
                    if (connected.getCount() > 0 && connectedLine.next(b)) {
                        connected.countDown();
                    }
                }
                if (found > 0) {
                    events.addAndGet(found);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The stream was closed.
        }
    }

    /**
     * Finds a byte pattern in a stream fed one byte at a time, across buffer boundaries
     * (Knuth-Morris-Pratt).
     */
    static final class Matcher {
        private final byte[] pattern;
        private final int[] fallback;
        private int matched;

        Matcher(byte[] pattern) {
            this.pattern = pattern;
            this.fallback = new int[pattern.length];
            for (int i = 1, k = 0; i < pattern.length; i++) {
                while (k > 0 && pattern[i] != pattern[k]) {
                    k = fallback[k - 1];
                }
                if (pattern[i] == pattern[k]) {
                    k++;
                }
                fallback[i] = k;
            }
        }

        /** Whether {@code b} completes an occurrence of the pattern. */
        boolean next(byte b) {
            while (matched > 0 && b != pattern[matched]) {
                matched = fallback[matched - 1];
            }
            if (b == pattern[matched]) {
                matched++;
            }
            if (matched == pattern.length) {
                matched = fallback[matched - 1];
                return true;
            }
            return false;
        }
    }

    /** The key of an event's data: a GeoJSON feature as the dashboard writes it. */
    static String keyOf(String data) {
        String id = string(data, "\"id\":\"");
        long start = Instant.parse(string(data, "\"window_start\":\"")).toEpochMilli();
        int at = data.indexOf("\"revision\":") + "\"revision\":".length();
        int end = at;
        while (end < data.length() && Character.isDigit(data.charAt(end))) {
            end++;
        }
        return key(id, start, Integer.parseInt(data.substring(at, end)));
    }

    private static String string(String data, String prefix) {
        int from = data.indexOf(prefix);
        if (from < 0) {
            throw new IllegalArgumentException("no " + prefix + " in " + data);
        }
        from += prefix.length();
        return data.substring(from, data.indexOf('"', from));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** When the event of {@code key} arrived ({@link System#nanoTime()}), or null. */
    Long arrival(String key) {
        return arrivals.get(key);
    }

    /** {@code aggregate} events received so far. */
    long events() {
        return events.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (Exception e) {
            // Closing a stream that ended already.
        }
    }
}
