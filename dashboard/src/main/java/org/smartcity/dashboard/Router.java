package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.http.HttpEndpoints;

/**
 * Dispatches requests to handlers by path template ({@code /collections/{collectionId}/items}; a
 * {@code {name*}} segment matches the rest of the path), turns {@link ApiException}s into error
 * documents and anything unexpected into a 500 without details, and records every request's
 * template, method and status in the metrics.
 */
final class Router implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final Pattern VARIABLE = Pattern.compile("\\{([a-zA-Z]+)(\\*?)}");

    /** Handles one matched request. */
    @FunctionalInterface
    interface Handler {
        void handle(Request request) throws IOException;
    }

    private record Route(String template, Pattern pattern, List<String> names, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();
    private final DashboardMetrics metrics;

    Router(DashboardMetrics metrics) {
        this.metrics = metrics;
    }

    /** Adds a GET (and HEAD) route; earlier routes win. */
    Router get(String template, Handler handler) {
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        Matcher m = VARIABLE.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            regex.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        routes.add(new Route(template, Pattern.compile(regex.toString()), names, handler));
        return this;
    }

    @Override
    public void handle(HttpExchange ex) {
        long start = System.nanoTime();
        String template = "other";
        try {
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            String path = ex.getRequestURI().getRawPath();
            Route route = null;
            Map<String, String> vars = new LinkedHashMap<>();
            for (Route r : routes) {
                Matcher m = r.pattern().matcher(path);
                if (m.matches()) {
                    route = r;
                    for (int i = 0; i < r.names().size(); i++) {
                        vars.put(r.names().get(i), decodePath(m.group(i + 1)));
                    }
                    break;
                }
            }
            if (route == null) {
                throw ApiException.notFound("nothing at " + Params.echo(path));
            }
            template = route.template();
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                throw ApiException.methodNotAllowed(method);
            }
            Params params = Params.parse(ex.getRequestURI().getRawQuery());
            route.handler().handle(new Request(ex, vars, params));
        } catch (ApiException e) {
            sendError(ex, e.status(), e.code(), e.description());
        } catch (IOException e) {
            if (ex.getResponseCode() == -1) {
                // Nothing sent yet: a store failed, not the client's connection.
                LOG.warn("Request {} failed: {}", template, e.toString());
                sendError(ex, 503, "ServiceUnavailable", "a store did not answer; try again");
            } else {
                LOG.debug("Client went away: {}", e.toString());
            }
        } catch (RuntimeException e) {
            LOG.error("Request {} failed", ex.getRequestURI(), e);
            sendError(ex, 500, "InternalError", "the server failed; see its log");
        } finally {
            metrics.request(
                    template,
                    ex.getRequestMethod(),
                    ex.getResponseCode(),
                    System.nanoTime() - start);
            ex.close();
        }
    }

    private static void sendError(HttpExchange ex, int status, String code, String description) {
        if (ex.getResponseCode() != -1) {
            return; // a response was already started; the client sees it cut short
        }
        ObjectNode body = Json.object();
        body.put("code", code);
        body.put("description", description);
        try {
            HttpEndpoints.respond(ex, status, "application/json", Json.bytes(body));
        } catch (IOException e) {
            LOG.debug("Could not send the error: {}", e.toString());
        }
    }

    /** Percent-decoding of a path segment ({@code +} stays a plus sign, unlike in queries). */
    static String decodePath(String raw) {
        try {
            return PercentDecoding.decode(raw, false);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("nothing at this path: " + e.getMessage());
        }
    }

    /** One request: the exchange, the path variables, the query parameters. */
    static final class Request {
        private final HttpExchange ex;
        private final Map<String, String> vars;
        private final Params params;

        Request(HttpExchange ex, Map<String, String> vars, Params params) {
            this.ex = ex;
            this.vars = vars;
            this.params = params;
        }

        HttpExchange exchange() {
            return ex;
        }

        String var(String name) {
            return vars.get(name);
        }

        Params params() {
            return params;
        }

        String header(String name) {
            return ex.getRequestHeaders().getFirst(name);
        }

        /** Scheme, host and port as the client addressed this server, for absolute links. */
        String baseUrl() {
            String host = header("Host");
            if (host == null || host.isBlank()) {
                host = "localhost:" + ex.getLocalAddress().getPort();
            }
            return "http://" + host;
        }

        /**
         * An absolute link to {@code path} with this request's parameters, where {@code changes}
         * replace (or, with a null value, remove) some; changed ones go last.
         */
        String link(String path, Map<String, String> changes) {
            Map<String, String> query = new LinkedHashMap<>(params.asMap());
            changes.keySet().forEach(query::remove);
            changes.forEach(
                    (k, v) -> {
                        if (v != null) {
                            query.put(k, v);
                        }
                    });
            StringBuilder b = new StringBuilder(baseUrl()).append(path);
            char sep = '?';
            for (Map.Entry<String, String> e : query.entrySet()) {
                b.append(sep)
                        .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                sep = '&';
            }
            return b.toString();
        }

        void send(int status, String contentType, byte[] body) throws IOException {
            HttpEndpoints.respond(ex, status, contentType, body);
        }

        void json(Object node) throws IOException {
            send(200, "application/json", Json.bytes(node));
        }

        void geoJson(Object node) throws IOException {
            send(200, "application/geo+json", Json.bytes(node));
        }

        void csv(String text) throws IOException {
            send(200, "text/csv; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
