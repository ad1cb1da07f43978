package org.smartcity.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.smartcity.core.http.Health.Dependency;

class HttpEndpointsTest {
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void servesMetricsAndHealth() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(true);
        try (HttpEndpoints http =
                HttpEndpoints.start(
                        HttpEndpoints.LOOPBACK,
                        0,
                        () -> "up 1\n",
                        () ->
                                Health.of(
                                        Dependency.up("mqtt"),
                                        Dependency.of("kafka", healthy.get(), "unreachable")))) {
            HttpResponse<String> metrics = get(http.port(), "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).isEqualTo("up 1\n");
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValue(HttpEndpoints.PROMETHEUS_TYPE);

            HttpResponse<String> up = get(http.port(), "/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body())
                    .isEqualTo(
                            "{\"status\":\"UP\",\"dependencies\":{\"mqtt\":{\"status\":\"UP\"},"
                                    + "\"kafka\":{\"status\":\"UP\"}}}");

            healthy.set(false);
            HttpResponse<String> down = get(http.port(), "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body())
                    .isEqualTo(
                            "{\"status\":\"DOWN\",\"dependencies\":{\"mqtt\":{\"status\":\"UP\"},"
                                    + "\"kafka\":{\"status\":\"DOWN\",\"detail\":\"unreachable\"}}}");

            HttpResponse<String> post =
                    client.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:" + http.port() + "/health"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(get(http.port(), "/nothing").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aTakenPortIsReportedWithTheFlagThatChangesIt() {
        try (HttpEndpoints first =
                HttpEndpoints.start(HttpEndpoints.LOOPBACK, 0, () -> "", Health::of)) {
            assertThatThrownBy(() -> HttpEndpoints.bind(HttpEndpoints.LOOPBACK, first.port()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                            "HTTP port "
                                    + first.port()
                                    + " is already in use (set another with --http-port)");
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A client that connects and sends nothing, or sends half a request, is dropped after the
     * request timeout; a keep-alive connection after its response after the idle timeout (each to
     * within the JDK's one-second timer ticks); a long response such as a server-sent event stream
     * is cut by neither.
     */
    @Test
    void heldOpenConnectionsAreClosedButLongResponsesAreNot() throws Exception {
        int longest =
                Math.max(HttpEndpoints.IDLE_TIMEOUT_SECONDS, HttpEndpoints.REQUEST_TIMEOUT_SECONDS);
        int ticks = 2 * (longest + 4);
        HttpServer server = HttpEndpoints.bind(HttpEndpoints.LOOPBACK, 0);
        assertThat(HttpEndpoints.requestTimeoutInEffect()).isTrue();
        server.createContext(
                "/stream",
                ex -> {
                    int n = "n=0".equals(ex.getRequestURI().getQuery()) ? 0 : ticks;
                    ex.sendResponseHeaders(200, n == 0 ? -1 : 0);
                    try (OutputStream out = ex.getResponseBody()) {
                        for (int i = 0; i < n; i++) {
                            out.write("tick\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            TimeUnit.MILLISECONDS.sleep(500); // an event source, not a wait
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        ExecutorService clients = Executors.newCachedThreadPool();
        try {
            int port = server.getAddress().getPort();
            Future<Long> silent = clients.submit(() -> secondsUntilClosed(port, ""));
            Future<Long> halfSent =
                    clients.submit(
                            () -> secondsUntilClosed(port, "GET /stream HTTP/1.1\r\nHost: x\r\n"));
            Future<Long> keptAlive =
                    clients.submit(
                            () ->
                                    secondsUntilClosed(
                                            port, "GET /stream?n=0 HTTP/1.1\r\nHost: x\r\n\r\n"));
            Future<String> stream =
                    clients.submit(
                            () -> {
                                try (Socket s = new Socket("127.0.0.1", port)) {
                                    s.getOutputStream()
                                            .write(
                                                    ("GET /stream HTTP/1.1\r\nHost: x\r\n"
                                                                    + "Connection: close\r\n\r\n")
                                                            .getBytes(StandardCharsets.US_ASCII));
                                    return new String(
                                            s.getInputStream().readAllBytes(),
                                            StandardCharsets.US_ASCII);
                                }
                            });

            assertThat(silent.get(longest + 10, TimeUnit.SECONDS))
                    .isBetween(
                            HttpEndpoints.REQUEST_TIMEOUT_SECONDS - 1L,
                            HttpEndpoints.REQUEST_TIMEOUT_SECONDS + 2L);
            assertThat(halfSent.get(longest + 10, TimeUnit.SECONDS))
                    .isBetween(
                            HttpEndpoints.REQUEST_TIMEOUT_SECONDS - 1L,
                            HttpEndpoints.REQUEST_TIMEOUT_SECONDS + 2L);
            assertThat(keptAlive.get(longest + 10, TimeUnit.SECONDS))
                    .isBetween(
                            HttpEndpoints.IDLE_TIMEOUT_SECONDS - 1L,
                            HttpEndpoints.IDLE_TIMEOUT_SECONDS + 2L);
            String body = stream.get(ticks + 20, TimeUnit.SECONDS);
            assertThat(body.split("tick", -1))
                    .as("every event of a %d s response arrived", ticks / 2)
                    .hasSize(ticks + 1);
        } finally {
            clients.shutdownNow();
            server.stop(0);
        }
    }

    /** Seconds until the server closes a connection on which {@code sent} was written. */
    private static long secondsUntilClosed(int port, String sent) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            try {
                s.getInputStream().readAllBytes();
            } catch (SocketException e) {
                // reset by the server: closed as well
            }
            return Math.round((System.nanoTime() - t0) / 1e9);
        }
    }
}
