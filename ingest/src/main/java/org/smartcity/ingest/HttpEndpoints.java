package org.smartcity.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text format) and {@code /health} (200 UP or 503 DOWN, JSON) on the
 * JDK's HTTP server: a service this small needs no web framework.
 */
public final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;

    private HttpEndpoints(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves the endpoints on {@code port} (0 picks a free one).
     *
     * @throws IllegalStateException when the port is taken
     */
    public static HttpEndpoints start(
            int port, Supplier<String> prometheusText, BooleanSupplier healthy) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (BindException e) {
            throw new IllegalStateException(
                    "HTTP port " + port + " is already in use (set another with --http-port)");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serve HTTP on port " + port + ": " + e, e);
        }
        server.createContext(
                "/metrics",
                ex ->
                        respond(
                                ex,
                                200,
                                "text/plain; version=0.0.4; charset=utf-8",
                                prometheusText.get()));
        server.createContext(
                "/health",
                ex -> {
                    boolean up = healthy.getAsBoolean();
                    respond(
                            ex,
                            up ? 200 : 503,
                            "application/json",
                            "{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}");
                });
        server.start();
        return new HttpEndpoints(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
