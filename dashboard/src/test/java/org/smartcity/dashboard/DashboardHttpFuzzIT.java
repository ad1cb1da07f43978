package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.smartcity.core.http.SlowClients.secondsUntilClosed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.http.HttpService;
import org.smartcity.store.AggregateSchema;

/**
 * Seeded HTTP fuzzing of a real dashboard (set up as {@link DashboardApiIT} does: an embedded Kafka
 * broker, the FileSystem history store, the Kafka live layer): every path, parameter and method,
 * with one mutation per request (a bad value of one parameter, bad or non-UTF-8 escapes, a
 * repeated, unknown or missing parameter, a wrong method, an unknown collection or feature id). The
 * test knows what it mutated, so it checks the exact answer: no 5xx ever; a 400 is an OGC API
 * exception in JSON whose description starts with the mutated parameter's name; a 405 has {@code
 * Allow}; a 404 is JSON too.
 *
 * <p>Requests go through a raw socket, so that the fuzzer can send what an HTTP client library
 * refuses to (malformed escapes, unescaped non-ASCII bytes). A request target that is not a valid
 * URI at all ({@code %zz} in the path) is refused by Jetty before any route runs (with a JSON
 * document of the server's, see HttpServiceTest); those are checked for the 400 only.
 *
 * <p>Alongside, with the same server: a client that connects and sends nothing, and one that sends
 * half a request, are dropped after the request timeout, while a live event stream opened before
 * the fuzzing stays open through it. Seed and count: {@code -Dfuzz.seed=...} {@code
 * -Dfuzz.requests=...}.
 */
class DashboardHttpFuzzIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("fuzz.seed", 20261204L);
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 1500);

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir static Path fuzzDir;

    @BeforeAll
    static void start() throws Exception {
        DashboardApiIT.start(KAFKA, fuzzDir);
        // The live layer is read from its topic in the background; fuzz once it is there.
        String liveItem =
                "/collections/city_live/items/" + encode(AggregateSchema.liveId(DashboardApiIT.L2));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> send(DashboardApiIT.server.port(), "GET", liveItem).status() == 200);
    }

    @AfterAll
    static void stop() {
        DashboardApiIT.stop();
    }

    /**
     * What kind of value a parameter takes, with values that must pass and values that must not.
     */
    enum Kind {
        METRIC(
                List.of("pm25", "no2", "noise", "pm10"),
                List.of("pm1", "", "PM 2.5", "x".repeat(3000), "pm25%00", "%D9%A3")),
        ZONE_KIND(List.of("h3", "district", "city"), List.of("county", "", "h3%00", "%E5%8C%BA")),
        ZONE_ID(
                List.of(
                        DashboardApiIT.WUHUA,
                        DashboardApiIT.CELL,
                        "kunming",
                        "%E4%BA%94%E5%8D%8E",
                        "no-such-zone",
                        "z".repeat(2000)),
                List.of("", "%20%20")),
        WINDOW_LENGTH(
                List.of("1m", "15m", "1h", "999999999d"),
                List.of("soon", "0m", "1y", "15min", "1000000000d", "-1m", "%D9%A1m", "")),
        DATETIME(
                List.of(
                        "2026-11-24T05:00:00Z",
                        "2026-11-24T05:00:00Z/..",
                        "../2026-11-24T06:00:00Z",
                        "2026-11-24T13:00:00%2B08:00",
                        "0000-01-01T00:00:00Z/9999-12-31T23:59:59.999999999Z",
                        "2026-11-24T05:00:00.123456789Z"),
                List.of(
                        "today",
                        "%2B999999999-12-31T23:59:59Z",
                        "-999999999-01-01T00:00:00Z",
                        "%2B10000-01-01T00:00:00Z/..",
                        "../%2B275760-09-13T00:00:00Z",
                        "0000-01-01T00:00:00%2B01:00",
                        "2026-11-24T05:00:00",
                        "2026-13-01T00:00:00Z",
                        "..",
                        "../..",
                        "2026-11-24T06:00:00Z/2026-11-24T05:00:00Z",
                        "%D9%A2%D9%A0%D9%A2%D9%A6-11-24T05:00:00Z",
                        "2026-11-24T05:00:00Z/2026-11-24T06:00:00Z/..",
                        "1e10",
                        "9".repeat(4000))),
        BBOX(
                List.of(
                        "102.6,24.9,102.8,25.1",
                        "-180,-90,180,90",
                        "102.7,25,102.7,25",
                        "102,24,0,103,26,100",
                        "-.5,-1.,0.5,1"),
                List.of(
                        "1,2,3",
                        "0x1p3,24,103,25",
                        "102d,24,103,25",
                        "1e2,0,2,1",
                        "NaN,0,1,1",
                        "Infinity,0,1,1",
                        "102.8,25,102.6,25.1",
                        "170,0,-170,10",
                        "25,102,25.1,102.8",
                        "-181,0,0,1",
                        "%D9%A1%D9%A0%D9%A2,24,103,25",
                        "1,2,3,4,5",
                        ",,,",
                        "1,,3,4",
                        "9".repeat(400) + ",0,1,1",
                        "")),
        LIMIT(
                List.of("1", "100", "10000", "10001", "99999999999999999999", "007"),
                List.of(
                        "0",
                        "-5",
                        "ten",
                        "1.5",
                        "",
                        "%2B5",
                        "%D9%A1%D9%A0",
                        "%EF%BC%95",
                        "1e3",
                        "0x10",
                        "-0",
                        "9".repeat(3000) + "x")),
        OFFSET(
                List.of("0", "1", "5", "999999999"),
                List.of("-1", "1.0", "%D9%A1", "1000000000", "99999999999999999999", "abc", "")),
        F_JSON(List.of("json", "JSON"), List.of("xml", "", "csv", "x".repeat(2000))),
        F_JSON_CSV(List.of("json", "csv", "CSV"), List.of("xml", "", "html", "geojson")),
        F_JSON_HTML(List.of("json", "html"), List.of("xml", "", "csv")),
        STATUS(List.of("active", "silent"), List.of("dead", "", "ACTIVE")),
        ALERT_STATUS(List.of("active", "cleared"), List.of("open", "", "ACTIVE", "x".repeat(3000))),
        SEVERITY(
                List.of("minor", "moderate", "severe", "extreme"),
                List.of("dire", "", "Severe", "%00")),
        SUBJECT_KIND(
                List.of("h3", "district", "city", "sensor"), List.of("county", "", "%E5%8C%BA")),
        NAME(List.of("pm25-high", "no-such-rule", "%E4%BA%94", "z".repeat(2000)), List.of("")),
        POLLUTANT(List.of("pm25", "pm10"), List.of("no2", "noise", "", "pm1", "x".repeat(3000))),
        INDICATOR_ZONE_KIND(List.of("district", "city"), List.of("h3", "county", "")),
        PERIOD_KIND(List.of("day", "month", "year"), List.of("week", "", "DAY", "%D9%A1")),
        INDICATOR(List.of("sdg-11.6.2"), List.of("sdg-11.6.1", "", "x".repeat(3000)));

        final List<String> good;
        final List<String> bad;

        Kind(List<String> good, List<String> bad) {
            this.good = good;
            this.bad = bad;
        }
    }

    /**
     * A path and its parameters.
     *
     * @param strict whether it refuses unknown parameters (the OGC items and the page's API do; the
     *     landing, conformance and operational endpoints ignore them)
     * @param status what a request with valid parameters gets
     */
    record Endpoint(
            String path,
            Map<String, Kind> params,
            Set<String> required,
            boolean strict,
            int status) {}

    private static final Map<String, Kind> AGGREGATE_ITEMS =
            items(
                    "metric", Kind.METRIC,
                    "zone_kind", Kind.ZONE_KIND,
                    "zone_id", Kind.ZONE_ID,
                    "window_length", Kind.WINDOW_LENGTH);

    /** The filters of the indicators' items and of their CSV download. */
    private static final Map<String, Kind> INDICATOR_FILTERS =
            ordered(
                    "indicator", Kind.INDICATOR,
                    "metric", Kind.POLLUTANT,
                    "zone_kind", Kind.INDICATOR_ZONE_KIND,
                    "zone_id", Kind.ZONE_ID,
                    "period_kind", Kind.PERIOD_KIND);

    /**
     * What every collection's items take (bbox, datetime, limit, offset, f as JSON or CSV), then
     * the collection's own {@code filters}, in that order.
     */
    private static Map<String, Kind> items(Object... filters) {
        Map<String, Kind> m =
                ordered(
                        "bbox", Kind.BBOX,
                        "datetime", Kind.DATETIME,
                        "limit", Kind.LIMIT,
                        "offset", Kind.OFFSET,
                        "f", Kind.F_JSON_CSV);
        m.putAll(ordered(filters));
        return m;
    }

    /** An endpoint that answers 200 with every parameter optional and rejects unknown ones. */
    private static Endpoint strict(String path, Map<String, Kind> params) {
        return new Endpoint(path, params, Set.of(), true, 200);
    }

    private static List<Endpoint> endpoints() {
        String historyId = DashboardApiIT.W1_R2.featureId();
        String liveId = AggregateSchema.liveId(DashboardApiIT.L2);
        List<Endpoint> all = new ArrayList<>();
        all.add(new Endpoint("/", ordered("f", Kind.F_JSON_HTML), Set.of(), false, 200));
        all.add(new Endpoint("/conformance", ordered("f", Kind.F_JSON), Set.of(), false, 200));
        all.add(new Endpoint("/collections", ordered("f", Kind.F_JSON), Set.of(), false, 200));
        for (String c :
                List.of("city_aggregates", "city_live", "sensors", "alerts", "indicators")) {
            all.add(
                    new Endpoint(
                            "/collections/" + c, ordered("f", Kind.F_JSON), Set.of(), false, 200));
        }
        all.add(strict("/collections/city_aggregates/items", AGGREGATE_ITEMS));
        all.add(strict("/collections/city_live/items", AGGREGATE_ITEMS));
        all.add(
                strict(
                        "/collections/sensors/items",
                        items("metric", Kind.METRIC, "status", Kind.STATUS)));
        all.add(
                strict(
                        "/collections/city_aggregates/items/" + encode(historyId),
                        ordered("f", Kind.F_JSON)));
        all.add(
                strict(
                        "/collections/city_live/items/" + encode(liveId),
                        ordered("f", Kind.F_JSON)));
        all.add(
                new Endpoint(
                        "/api/timeseries",
                        ordered(
                                "metric", Kind.METRIC,
                                "zone_kind", Kind.ZONE_KIND,
                                "zone_id", Kind.ZONE_ID,
                                "window_length", Kind.WINDOW_LENGTH,
                                "datetime", Kind.DATETIME),
                        Set.of("metric", "zone_kind", "zone_id"),
                        true,
                        200));
        all.add(
                strict(
                        "/api/live",
                        ordered(
                                "metric", Kind.METRIC,
                                "zone_kind", Kind.ZONE_KIND,
                                "zone_id", Kind.ZONE_ID,
                                "window_length", Kind.WINDOW_LENGTH)));
        all.add(
                strict(
                        "/api/live/stream",
                        ordered(
                                "metric", Kind.METRIC,
                                "zone_kind", Kind.ZONE_KIND,
                                "window_length", Kind.WINDOW_LENGTH)));
        // Issues 11 and 12: the alerts and indicators collections, their CSV and the CAP feed.
        all.add(
                strict(
                        "/collections/alerts/items",
                        items(
                                "status", Kind.ALERT_STATUS,
                                "rule", Kind.NAME,
                                "severity", Kind.SEVERITY,
                                "subject_kind", Kind.SUBJECT_KIND,
                                "subject_id", Kind.NAME)));
        Map<String, Kind> indicatorItems = items();
        indicatorItems.putAll(INDICATOR_FILTERS);
        all.add(strict("/collections/indicators/items", indicatorItems));
        Map<String, Kind> indicatorCsv = ordered("bbox", Kind.BBOX, "datetime", Kind.DATETIME);
        indicatorCsv.putAll(INDICATOR_FILTERS);
        all.add(strict(IndicatorCollection.CSV_PATH, indicatorCsv));
        all.add(new Endpoint("/cap/alerts.atom", Map.of(), Set.of(), false, 200));
        for (String p : List.of("/api/status", "/api/config", "/api/zones/districts")) {
            all.add(new Endpoint(p, Map.of(), Set.of(), true, 200));
        }
        for (String p :
                List.of(
                        "/metrics",
                        "/health",
                        "/webjars/leaflet/1.9.4/dist/leaflet.js",
                        "/static/app.js",
                        "/app.css")) {
            all.add(new Endpoint(p, Map.of(), Set.of(), false, 200));
        }
        return all;
    }

    private static final List<String> WRONG_METHODS =
            List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO");

    private static final List<String> UNKNOWN_PATHS =
            List.of(
                    "/collections/nope",
                    "/collections/nope/items",
                    "/collections/city_aggregates/items/pm25%7Cdistrict%7C530102%7C99999999999999999%7C15m",
                    "/collections/city_aggregates/items/pm25%7Cdistrict%7C530102%7C%D9%A1%7C15m",
                    "/collections/city_aggregates/items/x",
                    "/collections/city_live/items/pm25%7Cdistrict%7Cnope%7C15m",
                    "/collections/sensors/items/km-nobody",
                    "/collections/%FF",
                    "/collections/%C3%28/items",
                    "/api/nothing",
                    "/static/../pom.xml",
                    "/webjars/leaflet/9.9.9/dist/leaflet.js",
                    "/a/b/c/d",
                    "/" + "n".repeat(3000));

    /** What the test expects of one request. */
    private record Expect(int status, String parameter, boolean jdkRejects) {
        static Expect ok(int status) {
            return new Expect(status, null, false);
        }

        static Expect badParameter(String parameter) {
            return new Expect(400, parameter, false);
        }
    }

    private record Reply(int status, Map<String, String> headers, String body) {}

    @Test
    void noBadRequestGetsA5xxAndEveryRefusalSaysWhy() throws Exception {
        int port = DashboardApiIT.server.port();
        ExecutorService side = Executors.newCachedThreadPool();
        long t0 = System.nanoTime();
        Future<String> stream = side.submit(() -> liveStreamUntilClosedBy(port, t0));
        Future<Long> silent = side.submit(() -> secondsUntilClosed(port, ""));
        Future<Long> halfSent =
                side.submit(
                        () -> secondsUntilClosed(port, "GET /api/status HTTP/1.1\r\nHost: x\r\n"));

        Random random = new Random(SEED);
        List<Endpoint> endpoints = endpoints();
        Map<String, Integer> byMutation = new TreeMap<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int refusedByJdk = 0;
        for (int i = 0; i < REQUESTS; i++) {
            Endpoint e = endpoints.get(random.nextInt(endpoints.size()));
            Map<String, String> query = new LinkedHashMap<>();
            for (Map.Entry<String, Kind> p : e.params().entrySet()) {
                if (e.required().contains(p.getKey()) || random.nextInt(3) == 0) {
                    query.put(p.getKey(), pick(random, p.getValue().good));
                }
            }
            String method = random.nextInt(10) == 0 ? "HEAD" : "GET";
            String path = e.path();
            String extra = null; // a raw name=value pair appended as is
            Expect expect = Expect.ok(e.status());
            String mutation;
            int m = random.nextInt(100);
            if (m < 10) {
                mutation = "none";
            } else if (m < 45 && !e.params().isEmpty()) {
                List<String> names = new ArrayList<>(e.params().keySet());
                String name = pick(random, names);
                query.put(name, pick(random, e.params().get(name).bad));
                mutation = "bad-value";
                expect = Expect.badParameter(name);
            } else if (m < 52) {
                String name = query.isEmpty() ? "x" : pick(random, new ArrayList<>(query.keySet()));
                String value = query.getOrDefault(name, "1");
                extra = name + "=" + value + (query.isEmpty() ? "&" + name + "=" + value : "");
                mutation = "repeated";
                expect = Expect.badParameter(name);
            } else if (m < 60) {
                String name = pick(random, List.of("colour", "LIMIT", "datetme", "q", "%E5%8C%BA"));
                extra = name + "=1";
                mutation = "unknown-parameter";
                if (e.strict()) {
                    expect = Expect.badParameter(decode(name));
                }
            } else if (m < 66) {
                String name =
                        e.params().isEmpty()
                                ? "x"
                                : pick(random, new ArrayList<>(e.params().keySet()));
                query.remove(name);
                extra = name + "=" + pick(random, List.of("%C3%28", "%FF", "%ED%A0%80", "a%C0%AF"));
                mutation = "non-utf8-escape";
                expect = Expect.badParameter(name);
            } else if (m < 70) {
                String rawName = pick(random, List.of("lim%FFit", "%C3%28"));
                extra = rawName + "=1";
                mutation = "non-utf8-name";
                expect = Expect.badParameter(rawName);
            } else if (m < 74) {
                String name =
                        e.params().isEmpty()
                                ? "x"
                                : pick(random, new ArrayList<>(e.params().keySet()));
                query.remove(name);
                extra = name + "=" + pick(random, List.of("%zz", "abc%", "%4", "%%", "%G0"));
                mutation = "malformed-escape";
                expect = new Expect(400, null, true);
            } else if (m < 78 && !e.required().isEmpty()) {
                String name = pick(random, new ArrayList<>(e.required()));
                query.remove(name);
                mutation = "missing-required";
                expect = Expect.badParameter(name);
            } else if (m < 88) {
                method = pick(random, WRONG_METHODS);
                mutation = "wrong-method";
                expect = Expect.ok(405);
            } else if (m < 96) {
                path = pick(random, UNKNOWN_PATHS);
                query.clear();
                mutation = "unknown-path";
                expect = Expect.ok(404);
            } else {
                path = pick(random, List.of("/collections/%zz", "/api/live%", "/%C3%2"));
                query.clear();
                mutation = "malformed-path-escape";
                expect = new Expect(400, null, true);
            }
            StringBuilder target = new StringBuilder(path);
            char sep = '?';
            for (Map.Entry<String, String> q : query.entrySet()) {
                target.append(sep).append(q.getKey()).append('=').append(q.getValue());
                sep = '&';
            }
            if (extra != null) {
                target.append(sep).append(extra);
            }
            byMutation.merge(mutation, 1, Integer::sum);
            if (expect.jdkRejects()) {
                refusedByJdk++;
            }
            Reply reply = send(port, method, target.toString());
            byStatus.merge(reply.status(), 1, Integer::sum);
            String problem = check(expect, method, reply);
            if (problem != null) {
                failures.add(
                        method + " " + cut(target.toString()) + " (" + mutation + "): " + problem);
            }
        }
        System.out.printf(
                "HTTP fuzz, seed %d: %d requests, mutations %s, statuses %s; %d refused by the"
                        + " server before routing (not a URI)%n",
                SEED, REQUESTS, byMutation, byStatus, refusedByJdk);
        assertThat(failures).as("requests answered wrongly").isEmpty();
        assertThat(byStatus.keySet()).allMatch(s -> s < 500);

        long closedAfter = silent.get(60, TimeUnit.SECONDS);
        assertThat(closedAfter)
                .as("a client that connects and sends nothing is dropped")
                .isBetween(
                        HttpService.REQUEST_TIMEOUT_SECONDS - 1L,
                        HttpService.REQUEST_TIMEOUT_SECONDS + 2L);
        assertThat(halfSent.get(60, TimeUnit.SECONDS))
                .as("a client that sends half a request is dropped")
                .isBetween(
                        HttpService.REQUEST_TIMEOUT_SECONDS - 1L,
                        HttpService.REQUEST_TIMEOUT_SECONDS + 2L);
        // The stream has outlived both timeouts; the test closes it now.
        String events = stream.get(60, TimeUnit.SECONDS);
        assertThat(events).startsWith("HTTP/1.1 200").contains("event: status");
        side.shutdownNow();
    }

    /** Why {@code reply} is not what {@code expect} asks for, or null. */
    private static String check(Expect expect, String method, Reply reply) throws IOException {
        if (reply.status() >= 500) {
            return "server error " + reply.status() + ": " + cut(reply.body());
        }
        if (reply.status() != expect.status()) {
            return "expected "
                    + expect.status()
                    + ", got "
                    + reply.status()
                    + ": "
                    + cut(reply.body());
        }
        String type = reply.headers().getOrDefault("content-type", "");
        if (reply.status() == 405 && !"GET, HEAD".equals(reply.headers().get("allow"))) {
            return "405 without Allow: GET, HEAD";
        }
        if (expect.jdkRejects() || method.equals("HEAD") || reply.status() == 200) {
            return null;
        }
        if (!type.equals("application/json")) {
            return reply.status() + " is " + type + ", not JSON: " + cut(reply.body());
        }
        JsonNode error = JSON.readTree(reply.body());
        String code = error.path("code").asText();
        String description = error.path("description").asText();
        String wantCode =
                switch (reply.status()) {
                    case 400 -> "InvalidParameterValue";
                    case 404 -> "NotFound";
                    case 405 -> "MethodNotAllowed";
                    default -> "?";
                };
        if (!code.equals(wantCode)) {
            return "code " + code + " instead of " + wantCode;
        }
        if (expect.parameter() != null && !description.startsWith(expect.parameter() + ": ")) {
            return "the description does not name " + expect.parameter() + ": " + cut(description);
        }
        return null;
    }

    /** One request on its own connection, through a raw socket: the target is sent as given. */
    private static Reply send(int port, String method, String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(target.getBytes(StandardCharsets.UTF_8));
            request.writeBytes(
                    (" HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            boolean withBody = method.equals("POST") || method.equals("PUT");
            request.writeBytes(
                    (withBody
                                    ? "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                                    : "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(request.toByteArray());
            InputStream in = s.getInputStream();
            String head = readHead(in);
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(
                            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            String body = "";
            boolean stream =
                    headers.getOrDefault("content-type", "").startsWith("text/event-stream");
            if (!method.equals("HEAD") && !stream) {
                try {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (SocketException e) {
                    // the server may reset after answering an unread request body
                }
            }
            return new Reply(status, headers, body);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException(
                        "connection closed before the response headers ended: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads the live stream until both connection timeouts have passed since {@code t0} and a
     * status event has come, then closes it; the text read.
     */
    private static String liveStreamUntilClosedBy(int port, long t0) throws IOException {
        long until =
                t0
                        + TimeUnit.SECONDS.toNanos(
                                HttpService.REQUEST_TIMEOUT_SECONDS
                                        + HttpService.IDLE_TIMEOUT_SECONDS
                                        + 2);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            s.getOutputStream()
                    .write(
                            ("GET /api/live/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder text = new StringBuilder();
            byte[] buffer = new byte[8192];
            while (System.nanoTime() < until || text.indexOf("event: status") < 0) {
                int n = in.read(buffer);
                if (n < 0) {
                    text.append("\n[closed by the server]");
                    break;
                }
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            return text.toString();
        }
    }

    private static Map<String, Kind> ordered(Object... pairs) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Kind) pairs[i + 1]);
        }
        return m;
    }

    private static <T> T pick(Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8);
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    private static String cut(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
