package org.smartcity.core.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletApiResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server every service runs (Javalin on Jetty 12), with what they share: binding with a
 * clear error when the port is taken, GET and HEAD only (405 with {@code Allow} otherwise), every
 * refusal as an OGC API exception document in JSON ({@link HttpErrors}) including the ones Jetty
 * makes before any route runs, strictly decoded query parameters ({@link #query}), time limits on
 * held-open connections, and the operational endpoints {@code /metrics} (Prometheus text) and
 * {@code /health} (200 UP or 503 DOWN naming the dependency that is down: {@link Health}).
 *
 * <p>Services listen on loopback unless told otherwise ({@link #LOOPBACK}). A connection on which
 * nothing moves for {@link #IDLE_TIMEOUT_SECONDS} is closed: a client that connects and sends
 * nothing, one that starts a request and does not finish it, an idle keep-alive connection, or a
 * client that stopped reading a response. Jetty measures all of these with the one idle timeout of
 * the connection, so {@link #REQUEST_TIMEOUT_SECONDS} is the same number. A long response that
 * keeps writing, such as a server-sent event stream with its heartbeats, is never cut.
 *
 * <p>Anything a handler throws becomes a JSON answer: Javalin's {@link HttpResponseException}s
 * (from {@link HttpErrors}) their status, an {@link IOException} before anything was sent a 503 (a
 * store did not answer), anything else a 500 without details (logged).
 */
public final class HttpService implements AutoCloseable {
    /** Content type of the Prometheus text exposition format. */
    public static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The address services bind to unless a {@code --http-bind} option says otherwise. */
    public static final String LOOPBACK = "127.0.0.1";

    /** Seconds without any traffic after which a connection is closed. */
    public static final int IDLE_TIMEOUT_SECONDS = 10;

    /** Seconds a client has to send a complete request: the idle timeout, as Jetty applies it. */
    public static final int REQUEST_TIMEOUT_SECONDS = IDLE_TIMEOUT_SECONDS;

    /** The methods every route accepts, as the {@code Allow} header lists them. */
    public static final String ALLOW = "GET, HEAD";

    /** Request threads unless {@link Options#maxThreads} says otherwise. */
    static final int DEFAULT_MAX_THREADS = 50;

    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);
    private static final String QUERY = HttpService.class.getName() + ".query";

    /**
     * What a service configures; the rest is shared.
     *
     * @param host the address to listen on, e.g. {@link #LOOPBACK}, or {@code 0.0.0.0} for all
     * @param port the port (0 picks a free one)
     * @param maxThreads request threads at most; a handler that streams (server-sent events) holds
     *     one for as long as it streams
     * @param requests told about every request when it is done, e.g. to time it
     */
    public record Options(String host, int port, int maxThreads, RequestListener requests) {
        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(requests, "requests");
        }

        /** {@code host:port} with the default thread limit and no request listener. */
        public static Options of(String host, int port) {
            return new Options(host, port, DEFAULT_MAX_THREADS, RequestListener.NONE);
        }

        public Options maxThreads(int n) {
            return new Options(host, port, n, requests);
        }

        public Options requests(RequestListener listener) {
            return new Options(host, port, maxThreads, listener);
        }
    }

    /** Told about each request once it has been answered. */
    @FunctionalInterface
    public interface RequestListener {
        RequestListener NONE = (route, method, status, nanos) -> {};

        /**
         * @param route the matched route's path template ({@code /collections/{collectionId}}), or
         *     {@code other} when none matched: never the raw path, whose ids are unbounded
         */
        void request(String route, String method, int status, long nanos);
    }

    private final Javalin app;

    private HttpService(Javalin app) {
        this.app = app;
    }

    /**
     * Starts serving the routes {@code routes} adds to Javalin's configuration (after the shared
     * settings, which it should leave alone).
     *
     * @throws IllegalStateException when the port is taken, naming {@code --http-port}, the flag of
     *     every service's HTTP port
     */
    public static HttpService start(Options options, Consumer<JavalinConfig> routes) {
        Javalin app = Javalin.create(config -> configure(config, options, routes));
        try {
            app.start(options.host(), options.port());
        } catch (JavalinBindException e) {
            app.stop();
            throw new IllegalStateException(
                    "HTTP port "
                            + options.port()
                            + " is already in use (set another with --http-port)");
        } catch (RuntimeException e) {
            app.stop();
            if (e.getCause() instanceof BindException) {
                throw new IllegalStateException(
                        "HTTP port "
                                + options.port()
                                + " is already in use (set another with --http-port)");
            }
            throw new IllegalStateException(
                    "Cannot serve HTTP on " + options.host() + ":" + options.port() + ": " + e, e);
        }
        if (app.jettyServer().server().getConnectors().length != 1) {
            // Javalin added a default connector beside ours: refuse rather than serve twice.
            app.stop();
            throw new IllegalStateException("unexpected Jetty connectors; expected exactly one");
        }
        return new HttpService(app);
    }

    /**
     * A server with just {@code /metrics} and {@code /health} (the bridge's); other paths get 404,
     * other methods than GET and HEAD 405.
     */
    public static HttpService startOperational(
            String host, int port, Supplier<String> prometheusText, Supplier<Health> health) {
        return start(
                Options.of(host, port),
                config -> addOperationalRoutes(config, prometheusText, health));
    }

    /**
     * Adds a route for GET and HEAD. Javalin would answer a HEAD itself with an empty 200 without
     * running the GET handler; a HEAD must get the status and headers the GET would (a 400 for a
     * bad parameter, a 503 for a service that is down), so the handler runs for both and Jetty
     * drops the body of a HEAD.
     */
    public static void get(JavalinConfig config, String path, Handler handler) {
        config.routes.get(path, handler);
        config.routes.head(path, handler);
    }

    /** Adds {@code /metrics} and {@code /health} to a service's routes. */
    public static void addOperationalRoutes(
            JavalinConfig config, Supplier<String> prometheusText, Supplier<Health> health) {
        get(
                config,
                "/metrics",
                ctx ->
                        send(
                                ctx,
                                200,
                                PROMETHEUS_TYPE,
                                prometheusText.get().getBytes(StandardCharsets.UTF_8)));
        get(
                config,
                "/health",
                ctx -> {
                    Health h = health.get();
                    send(
                            ctx,
                            h.httpStatus(),
                            "application/json",
                            h.toJson().getBytes(StandardCharsets.UTF_8));
                });
    }

    /** The request's query parameters, decoded strictly before the handler ran. */
    public static QueryParameters query(Context ctx) {
        QueryParameters q = ctx.attribute(QUERY);
        return q != null ? q : QueryParameters.parse(ctx.queryString());
    }

    /**
     * Sends a complete response with exactly this {@code Content-Type} header.
     *
     * <p>Jetty's servlet layer rewrites the types it knows to its own spelling ({@code text/html;
     * charset=utf-8} becomes {@code text/html;charset=utf-8}); the header is put on the response
     * beneath it, so clients see what the service has always sent. A HEAD request gets the headers
     * only (Jetty drops the body).
     */
    public static void send(Context ctx, int status, String contentType, byte[] body)
            throws IOException {
        ctx.status(status);
        putContentType(ctx, contentType);
        ctx.res().setContentLength(body.length);
        var out = ctx.res().getOutputStream();
        out.write(body);
        out.flush();
    }

    /**
     * Starts a streamed 200 response with exactly this {@code Content-Type} (as {@link #send}), its
     * headers sent now; the handler then writes to {@code ctx.res().getOutputStream()}.
     */
    public static void startStream(Context ctx, String contentType) throws IOException {
        ctx.status(200);
        putContentType(ctx, contentType);
        ctx.res().flushBuffer();
    }

    private static void putContentType(Context ctx, String contentType) {
        Response.getOriginalResponse(
                        ((ServletApiResponse) ctx.res()).getServletResponseInfo().getResponse())
                .getHeaders()
                .put(new HttpField(HttpHeader.CONTENT_TYPE, contentType));
    }

    private static void configure(
            JavalinConfig config, Options options, Consumer<JavalinConfig> routes) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.generateEtags = false;
        // Responses go out as written, as they always have: a compressed event stream would reach
        // the client in bursts, and the documents are small.
        config.http.compressionStrategy = CompressionStrategy.NONE;
        QueuedThreadPool threads = new QueuedThreadPool(options.maxThreads(), 2, 60_000);
        threads.setName("http");
        threads.setDaemon(true);
        config.jetty.threadPool = threads;
        config.jetty.modifyServer(
                server -> {
                    server.setErrorHandler(new JsonErrorHandler());
                    server.setStopTimeout(0);
                });
        config.jetty.modifyHttpConfiguration(
                http -> {
                    // A path segment that is not UTF-8 once decoded names nothing: a 404 from the
                    // routes, not a 400 from Jetty (a malformed % escape stays a 400).
                    http.setUriCompliance(
                            UriCompliance.DEFAULT.with(
                                    "smartcity", UriCompliance.Violation.BAD_UTF8_ENCODING));
                    http.setSendServerVersion(false);
                });
        config.jetty.addConnector(
                (server, http) -> {
                    ServerConnector connector =
                            new ServerConnector(server, new TolerantHttpConnectionFactory(http));
                    connector.setHost(options.host());
                    connector.setPort(options.port());
                    connector.setIdleTimeout(TimeUnit.SECONDS.toMillis(IDLE_TIMEOUT_SECONDS));
                    return connector;
                });
        config.routes.before(
                ctx -> {
                    ctx.header("Access-Control-Allow-Origin", "*");
                    if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
                        throw HttpErrors.methodNotAllowed(ctx.req().getMethod());
                    }
                    ctx.attribute(QUERY, QueryParameters.parse(ctx.queryString()));
                });
        config.routes.exception(
                HttpResponseException.class,
                (e, ctx) -> {
                    String description =
                            e instanceof EndpointNotFound
                                    ? "nothing at " + HttpErrors.echo(ctx.path())
                                    : e.getMessage();
                    error(ctx, e.getStatus(), description);
                });
        config.routes.exception(
                IOException.class,
                (e, ctx) -> {
                    if (ctx.res().isCommitted()) {
                        LOG.debug("Client went away: {}", e.toString());
                        return;
                    }
                    LOG.warn("Request {} failed: {}", ctx.path(), e.toString());
                    error(ctx, 503, "a store did not answer; try again");
                });
        config.routes.exception(
                Exception.class,
                (e, ctx) -> {
                    LOG.error("Request {} failed", ctx.path(), e);
                    error(ctx, 500, "the server failed; see its log");
                });
        config.requestLogger.http(
                (ctx, millis) -> {
                    var endpoint = ctx.endpoints().lastHttpEndpoint();
                    options.requests()
                            .request(
                                    endpoint == null ? "other" : endpoint.path,
                                    ctx.req().getMethod(),
                                    ctx.statusCode(),
                                    (long) (millis * 1_000_000));
                });
        routes.accept(config);
    }

    private static void error(Context ctx, int status, String description) {
        if (ctx.res().isCommitted()) {
            return; // a response was already started; the client sees it cut short
        }
        if (status == 405) {
            ctx.header("Allow", ALLOW);
        }
        ctx.status(status)
                .contentType("application/json")
                .result(HttpErrors.document(status, description));
    }

    /** The port the service listens on (the bound one when configured with 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    /**
     * Jetty's answers to requests it refuses before any route runs (a request target that is not a
     * URI, a CONNECT, headers too large), as JSON exception documents instead of its HTML page.
     */
    private static final class JsonErrorHandler extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus();
            Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
            String description = describe(status, cause);
            // Jetty refuses a CONNECT aimed at a path (not host:port) as a bad request; to the
            // client it is a method this server does not have.
            String method =
                    TolerantHttpConnectionFactory.methodOf(
                            request.getConnectionMetaData().getConnection());
            if (status == 400 && "CONNECT".equals(method)) {
                status = 405;
                description = "method CONNECT is not allowed; use GET";
                response.setStatus(405);
                response.getHeaders().put(HttpHeader.ALLOW, ALLOW);
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.write(
                    true, ByteBuffer.wrap(HttpErrors.document(status, description)), callback);
            return true;
        }

        private static String describe(int status, Throwable cause) {
            if (status == 400 && malformedEscape(cause)) {
                return "path: malformed percent-encoding (a % must be followed by two"
                        + " hexadecimal digits)";
            }
            if (status == 400) {
                return "the request is not valid HTTP or its target is not a valid URI";
            }
            if (status == 404) {
                return "nothing at this path";
            }
            if (status == 408) {
                return "the request was not sent in time";
            }
            if (status == 431 || status == 414) {
                return "the request's target or headers are too large";
            }
            return "the request could not be handled (" + status + ")";
        }

        /** Whether Jetty refused the target for a % not followed by two hexadecimal digits. */
        private static boolean malformedEscape(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof NumberFormatException
                        || (c.getMessage() != null && c.getMessage().contains("% encoding"))) {
                    return true;
                }
            }
            return false;
        }
    }
}
