package org.smartcity.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP plumbing every service shares, on the JDK's HTTP server (a service this small needs no
 * web framework): binding an address with a clear error when the port is taken, writing a response,
 * and the operational endpoints {@code /metrics} (Prometheus text format) and {@code /health} (200
 * UP or 503 DOWN naming the dependency that is down, JSON: {@link Health}).
 *
 * <p>Services listen on loopback unless told otherwise ({@link #LOOPBACK}). Held-open connections
 * cannot pile up: a client that connects and sends nothing, or starts a request and does not finish
 * it, is dropped after {@link #REQUEST_TIMEOUT_SECONDS}; a keep-alive connection with no request in
 * progress is closed after {@link #IDLE_TIMEOUT_SECONDS}; both to within a second. Responses have
 * no time limit: a server-sent event stream is a long response by design.
 *
 * <p>The JDK's server reads these limits from system properties once per JVM, when the first server
 * is created; this class sets them (unless already set) before it creates one, and {@link #bind}
 * warns when a server created earlier by other code froze the JDK's defaults (no request limit).
 *
 * <p>An instance is a server with just those two endpoints (the bridge's); a service with more
 * routes (the dashboard) binds its own server with {@link #bind} and mounts {@link #metrics} and
 * {@link #health} among them.
 */
public final class HttpEndpoints implements AutoCloseable {
    /** Content type of the Prometheus text exposition format. */
    public static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The address services bind to unless a {@code --bind} option says otherwise. */
    public static final String LOOPBACK = "127.0.0.1";

    /** Seconds a client has to send a complete request after connecting or starting one. */
    public static final int REQUEST_TIMEOUT_SECONDS = 10;

    /** Seconds a keep-alive connection between requests is kept open. */
    public static final int IDLE_TIMEOUT_SECONDS = 15;

    /** Name of the JDK 17 server's thread that enforces the request time limit. */
    private static final String REQUEST_TIMER_THREAD = "req-rsp-timeout-task";

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);

    static {
        // A value set by the user (-D...) wins. clockTick is how often idle connections are
        // looked at (the JDK's default, 10 s, would make the idle limit up to 10 s longer).
        System.getProperties()
                .putIfAbsent(
                        "sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_TIMEOUT_SECONDS));
        System.getProperties()
                .putIfAbsent(
                        "sun.net.httpserver.idleInterval", Integer.toString(IDLE_TIMEOUT_SECONDS));
        System.getProperties().putIfAbsent("sun.net.httpserver.clockTick", "1000");
    }

    private final HttpServer server;

    private HttpEndpoints(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves {@code /metrics} and {@code /health} on {@code host:port} (port 0 picks a free one);
     * other paths get 404, other methods than GET and HEAD 405.
     *
     * @param host the address to listen on, e.g. {@link #LOOPBACK}, or {@code 0.0.0.0} for all
     * @throws IllegalStateException when the port is taken, naming {@code --http-port}
     */
    public static HttpEndpoints start(
            String host, int port, Supplier<String> prometheusText, Supplier<Health> health) {
        HttpServer server = bind(host, port);
        server.createContext("/", ex -> respondError(ex, 404, "no such path"));
        server.createContext("/metrics", readOnly(metrics(prometheusText)));
        server.createContext("/health", readOnly(health(health)));
        server.start();
        return new HttpEndpoints(server);
    }

    /**
     * A server bound to {@code host:port} (port 0 picks a free one), not yet started.
     *
     * @throws IllegalStateException when the port is taken, naming {@code --http-port}, the flag of
     *     every service's HTTP port
     */
    public static HttpServer bind(String host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            if (!requestTimeoutInEffect()) {
                LOG.warn(
                        "HTTP requests on {}:{} have no time limit: another JDK HTTP server was"
                                + " created in this JVM before the limits were set; start the"
                                + " JVM with -Dsun.net.httpserver.maxReqTime={}",
                        host,
                        port,
                        REQUEST_TIMEOUT_SECONDS);
            }
            return server;
        } catch (BindException e) {
            throw new IllegalStateException(
                    "HTTP port " + port + " is already in use (set another with --http-port)");
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot serve HTTP on " + host + ":" + port + ": " + e, e);
        }
    }

    /**
     * Whether the JDK's server enforces a request time limit in this JVM (its timer thread runs
     * while a server with a limit exists).
     */
    static boolean requestTimeoutInEffect() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> REQUEST_TIMER_THREAD.equals(t.getName()));
    }

    /** {@code handler} for GET and HEAD; any other method gets 405 with an {@code Allow} header. */
    public static HttpHandler readOnly(HttpHandler handler) {
        return ex -> {
            String method = ex.getRequestMethod();
            if ("GET".equals(method) || "HEAD".equals(method)) {
                handler.handle(ex);
            } else {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                respondError(ex, 405, "method " + method + " not allowed; use GET");
            }
        };
    }

    /** {@code /metrics}: the meters in Prometheus text format. */
    public static HttpHandler metrics(Supplier<String> prometheusText) {
        return ex -> respond(ex, 200, PROMETHEUS_TYPE, prometheusText.get());
    }

    /** {@code /health}: 200 when every dependency is up, else 503; the body is {@link Health}. */
    public static HttpHandler health(Supplier<Health> health) {
        return ex -> {
            Health h = health.get();
            respond(ex, h.httpStatus(), "application/json", h.toJson());
        };
    }

    /** A JSON error {@code {"code":"...","description":"..."}}, as OGC API exceptions look. */
    private static void respondError(HttpExchange ex, int status, String description)
            throws IOException {
        String code = status == 404 ? "NotFound" : status == 405 ? "MethodNotAllowed" : "Error";
        respond(
                ex,
                status,
                "application/json",
                "{\"code\":\"" + code + "\",\"description\":\"" + description + "\"}");
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
