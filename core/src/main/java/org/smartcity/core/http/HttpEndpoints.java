package org.smartcity.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP plumbing every service shares, on the JDK's HTTP server (a service this small needs no
 * web framework): binding a port with a clear error when it is taken, writing a response, and the
 * operational endpoints {@code /metrics} (Prometheus text format) and {@code /health} (200 UP or
 * 503 DOWN, JSON).
 *
 * <p>An instance is a server with just those two endpoints (the bridge's); a service with more
 * routes (the dashboard) binds its own server with {@link #bind} and mounts {@link #metrics} and
 * {@link #health} among them.
 */
public final class HttpEndpoints implements AutoCloseable {
    /** Content type of the Prometheus text exposition format. */
    public static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private HttpEndpoints(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves {@code /metrics} and {@code /health} on {@code port} (0 picks a free one).
     *
     * @throws IllegalStateException when the port is taken, naming {@code --http-port}
     */
    public static HttpEndpoints start(
            int port, Supplier<String> prometheusText, BooleanSupplier healthy) {
        HttpServer server = bind(port);
        server.createContext("/metrics", metrics(prometheusText));
        server.createContext("/health", health(healthy));
        server.start();
        return new HttpEndpoints(server);
    }

    /**
     * A server bound to {@code port} on all interfaces (0 picks a free one), not yet started.
     *
     * @throws IllegalStateException when the port is taken, naming {@code --http-port}, the flag of
     *     every service's HTTP port
     */
    public static HttpServer bind(int port) {
        try {
            return HttpServer.create(new InetSocketAddress(port), 0);
        } catch (BindException e) {
            throw new IllegalStateException(
                    "HTTP port " + port + " is already in use (set another with --http-port)");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serve HTTP on port " + port + ": " + e, e);
        }
    }

    /** {@code /metrics}: the meters in Prometheus text format. */
    public static HttpHandler metrics(Supplier<String> prometheusText) {
        return ex -> respond(ex, 200, PROMETHEUS_TYPE, prometheusText.get());
    }

    /** {@code /health}: 200 {@code {"status":"UP"}} or 503 {@code {"status":"DOWN"}}. */
    public static HttpHandler health(BooleanSupplier healthy) {
        return ex -> {
            boolean up = healthy.getAsBoolean();
            respond(
                    ex,
                    up ? 200 : 503,
                    "application/json",
                    "{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}");
        };
    }

    /** Sends a complete text response (UTF-8) and closes the exchange. */
    public static void respond(HttpExchange ex, int status, String type, String body)
            throws IOException {
        respond(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a complete response and closes the exchange; a {@code HEAD} request gets the headers
     * only.
     */
    public static void respond(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
