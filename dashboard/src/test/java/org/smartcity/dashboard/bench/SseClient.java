package org.smartcity.dashboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A client of {@code /api/live/stream} that notes when each {@code aggregate} event arrives, keyed
 * as {@link #key} keys a written aggregate: live feature id, window start and revision. The arrival
 * time is taken as the {@code data:} line is read, before anything is parsed.
 */
final class SseClient implements AutoCloseable {
    private final ConcurrentHashMap<String, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final CountDownLatch connected = new CountDownLatch(1);
    private final Stream<String> lines;

    SseClient(HttpClient http, String url, String name) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        lines = response.body();
        Thread reader = new Thread(this::read, name);
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

    private void read() {
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

    /** When the event of {@code key} arrived ({@link System#nanoTime()}), or null. */
    Long arrival(String key) {
        return arrivals.get(key);
    }

    long events() {
        return events.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    @Override
    public void close() {
        lines.close();
    }
}
