package org.smartcity.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A client of the dashboard's {@code /api/live/stream}: for every first emission (revision 1) of a
 * city-wide 1-minute window, how long after the window could close (its end plus the job's
 * out-of-orderness bound) the event reached this client. Used by the whole-platform benchmarks.
 */
final class LiveWindowLatency implements AutoCloseable {
    /** The job's out-of-orderness bound: a window cannot close before its end plus this. */
    static final long OUT_OF_ORDERNESS_MILLIS = 5_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final Thread reader;

    private LiveWindowLatency(int port) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + port
                                                + "/api/live/stream?zone_kind=city"
                                                + "&window_length=1m"))
                        .build();
        reader =
                new Thread(
                        () -> {
                            try {
                                client.send(request, HttpResponse.BodyHandlers.ofLines())
                                        .body()
                                        .filter(l -> l.startsWith("data: {"))
                                        .forEach(this::onFeature);
                            } catch (Exception e) {
                                if (!Thread.currentThread().isInterrupted()) {
                                    System.err.println("live stream ended: " + e);
                                }
                            }
                        },
                        "bench-live-stream");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to the dashboard on 127.0.0.1:{@code port} and starts reading its events. */
    static LiveWindowLatency connect(int port) {
        return new LiveWindowLatency(port);
    }

    private void onFeature(String line) {
        long now = System.currentTimeMillis();
        try {
            JsonNode event = JSON.readTree(line.substring("data: ".length()));
            JsonNode props = event.path("properties");
            if (!"Feature".equals(event.path("type").asText())
                    || props.path("revision").asInt() != 1) {
                return;
            }
            long end = Instant.parse(props.path("window_end").asText()).toEpochMilli();
            latencies.add(now - end - OUT_OF_ORDERNESS_MILLIS);
        } catch (Exception e) {
            System.err.println("unreadable live event: " + e.getMessage());
        }
    }

    /** The latencies in ms measured since the last call. */
    List<Long> drain() {
        List<Long> out = new ArrayList<>();
        Long v;
        while ((v = latencies.poll()) != null) {
            out.add(v);
        }
        return out;
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
