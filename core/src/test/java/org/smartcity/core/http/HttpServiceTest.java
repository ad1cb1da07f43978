package org.smartcity.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartcity.core.http.SlowClients.secondsUntilClosed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.smartcity.core.http.Health.Dependency;

/**
 * The shared HTTP home, over raw sockets (so that requests an HTTP client library refuses to send
 * can be sent): the operational endpoints, JSON refusals for everything a client can get wrong, and
 * the time limits on held-open connections.
 */
class HttpServiceTest {

    private record Reply(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    @Test
    void servesMetricsAndHealth() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(true);
        try (HttpService http =
                HttpService.startOperational(
                        HttpService.LOOPBACK,
                        0,
                        () -> "up 1\n",
                        () ->
                                Health.of(
                                        Dependency.up("mqtt"),
                                        Dependency.of("kafka", healthy.get(), "unreachable")))) {
            Reply metrics = send(http.port(), "GET /metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).isEqualTo("up 1\n");
            assertThat(metrics.header("Content-Type")).isEqualTo(HttpService.PROMETHEUS_TYPE);

            Reply up = send(http.port(), "GET /health");
            assertThat(up.status()).isEqualTo(200);
            assertThat(up.header("Content-Type")).isEqualTo("application/json");
            assertThat(up.body())
                    .isEqualTo(
                            "{\"status\":\"UP\",\"dependencies\":{\"mqtt\":{\"status\":\"UP\"},"
                                    + "\"kafka\":{\"status\":\"UP\"}}}");

            healthy.set(false);
            Reply down = send(http.port(), "GET /health");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body())
                    .isEqualTo(
                            "{\"status\":\"DOWN\",\"dependencies\":{\"mqtt\":{\"status\":\"UP\"},"
                                    + "\"kafka\":{\"status\":\"DOWN\",\"detail\":\"unreachable\"}}}");

            Reply head = send(http.port(), "HEAD /health");
            assertThat(head.status()).isEqualTo(503);
            assertThat(head.body()).isEmpty();

            Reply nothing = send(http.port(), "GET /nothing");
            assertThat(nothing.status()).isEqualTo(404);
            assertThat(nothing.body())
                    .isEqualTo("{\"code\":\"NotFound\",\"description\":\"nothing at /nothing\"}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO"})
    void everyOtherMethodIs405WithAllow(String method) throws Exception {
        try (HttpService http =
                HttpService.startOperational(HttpService.LOOPBACK, 0, () -> "", Health::of)) {
            assertThat(send(http.port(), method + " /health?x=1&y=../2").status()).isEqualTo(405);
            Reply reply = send(http.port(), method + " /health");
            assertThat(reply.status()).isEqualTo(405);
            assertThat(reply.header("Allow")).isEqualTo("GET, HEAD");
            assertThat(reply.header("Content-Type")).isEqualTo("application/json");
            assertThat(reply.body())
                    .isEqualTo(
                            "{\"code\":\"MethodNotAllowed\",\"description\":\"method "
                                    + method
                                    + " is not allowed; use GET\"}");
        }
    }

    /** What the JDK's server answered with an HTML page of its own is now JSON naming the part. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/health?x=%zz | x: malformed percent-encoding at character 1 (a % must be followed"
                        + " by two hexadecimal digits)",
                "/metrics?limit=5% | limit: malformed percent-encoding at character 2 (a % must be"
                        + " followed by two hexadecimal digits)",
                "/health?lim%t=5 | lim%t: malformed percent-encoding at character 4 (a % must be"
                        + " followed by two hexadecimal digits)",
                "/health?zone_id=%C3%28 | zone_id: not valid UTF-8 once percent-decoded",
                "/health?f&f=json | f: given more than once; give it once",
                "/health%zz | path: malformed percent-encoding (a % must be followed by two"
                        + " hexadecimal digits)",
            })
    void aMalformedRequestIsAJson400NamingTheParameter(String target, String description)
            throws Exception {
        try (HttpService http =
                HttpService.startOperational(HttpService.LOOPBACK, 0, () -> "", Health::of)) {
            Reply reply = send(http.port(), "GET " + target);
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.header("Content-Type")).isEqualTo("application/json");
            assertThat(reply.body())
                    .isEqualTo(
                            "{\"code\":\"InvalidParameterValue\",\"description\":\""
                                    + description
                                    + "\"}");
        }
    }

    @Test
    void pathParametersArePercentDecodedWithPlusAsItselfAndQueriesStrictly() throws Exception {
        try (HttpService http =
                HttpService.start(
                        HttpService.Options.of(HttpService.LOOPBACK, 0),
                        config ->
                                config.routes.get(
                                        "/echo/{id}",
                                        ctx ->
                                                ctx.result(
                                                        ctx.pathParam("id")
                                                                + " "
                                                                + HttpService.query(ctx)
                                                                        .asMap())))) {
            assertThat(
                            send(
                                            http.port(),
                                            "GET /echo/pm25%7Cdistrict%7C530102+x"
                                                    + "?zone_id=a+b%C3%A9&d=2026-11-24T05%3A00%3A00Z%2F..")
                                    .body())
                    .isEqualTo(
                            "pm25|district|530102+x {zone_id=a b\u00e9, d=2026-11-24T05:00:00Z/..}");
            assertThat(send(http.port(), "GET /echo/x?zone_id=\u00e9").body())
                    .as("unescaped UTF-8 in the request target")
                    .isEqualTo("x {zone_id=\u00e9}");
            assertThat(send(http.port(), "GET /echo/x?zone_id=PM 2.5&f=a b").body())
                    .as("spaces in a hand-typed target, as the JDK server took them")
                    .isEqualTo("x {zone_id=PM 2.5, f=a b}");
            assertThat(send(http.port(), "GET /echo/a%2").body())
                    .isEqualTo(
                            "{\"code\":\"InvalidParameterValue\",\"description\":\"path: malformed"
                                    + " percent-encoding (a % must be followed by two hexadecimal"
                                    + " digits)\"}");
            assertThat(send(http.port(), "GET /echo/%C0%AF").status())
                    .as("a segment that is not UTF-8 names nothing; a route decides")
                    .isEqualTo(200);
        }
    }

    @Test
    void aTakenPortIsReportedWithTheFlagThatChangesIt() {
        try (HttpService first =
                HttpService.startOperational(HttpService.LOOPBACK, 0, () -> "", Health::of)) {
            assertThatThrownBy(
                            () ->
                                    HttpService.startOperational(
                                            HttpService.LOOPBACK,
                                            first.port(),
                                            () -> "",
                                            Health::of))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                            "HTTP port "
                                    + first.port()
                                    + " is already in use (set another with --http-port)");
        }
    }

    /**
     * A client that connects and sends nothing, one that sends half a request and a keep-alive
     * connection after its response are dropped after the idle timeout; a long response that keeps
     * writing, such as a server-sent event stream, is not.
     */
    @Test
    void heldOpenConnectionsAreClosedButLongResponsesAreNot() throws Exception {
        int ticks = 2 * (HttpService.IDLE_TIMEOUT_SECONDS + 4);
        try (HttpService http =
                HttpService.start(
                        HttpService.Options.of(HttpService.LOOPBACK, 0),
                        config ->
                                config.routes.get(
                                        "/stream",
                                        ctx -> {
                                            int n =
                                                    "0".equals(HttpService.query(ctx).get("n"))
                                                            ? 0
                                                            : ticks;
                                            OutputStream out = ctx.res().getOutputStream();
                                            for (int i = 0; i < n; i++) {
                                                out.write(
                                                        "tick\n"
                                                                .getBytes(
                                                                        StandardCharsets.US_ASCII));
                                                out.flush();
                                                // an event source, not a wait
                                                TimeUnit.MILLISECONDS.sleep(500);
                                            }
                                        }))) {
            ExecutorService clients = Executors.newCachedThreadPool();
            try {
                int port = http.port();
                Future<Long> silent = clients.submit(() -> secondsUntilClosed(port, ""));
                Future<Long> halfSent =
                        clients.submit(
                                () ->
                                        secondsUntilClosed(
                                                port, "GET /stream HTTP/1.1\r\nHost: x\r\n"));
                Future<Long> keptAlive =
                        clients.submit(
                                () ->
                                        secondsUntilClosed(
                                                port,
                                                "GET /stream?n=0 HTTP/1.1\r\nHost: x\r\n\r\n"));
                Future<String> stream = clients.submit(() -> send(port, "GET /stream").body());
                long limit = HttpService.IDLE_TIMEOUT_SECONDS;
                assertThat(silent.get(limit + 10, TimeUnit.SECONDS))
                        .isBetween(limit - 1, limit + 2);
                assertThat(halfSent.get(limit + 10, TimeUnit.SECONDS))
                        .isBetween(limit - 1, limit + 2);
                assertThat(keptAlive.get(limit + 10, TimeUnit.SECONDS))
                        .isBetween(limit - 1, limit + 2);
                String body = stream.get(ticks + 20, TimeUnit.SECONDS);
                assertThat(body.split("tick", -1))
                        .as("every event of a %d s response arrived", ticks / 2)
                        .hasSize(ticks + 1);
            } finally {
                clients.shutdownNow();
            }
        }
    }

    /** One request on its own connection; the target is sent as given, in UTF-8. */
    private static Reply send(int port, String requestLine) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            s.getOutputStream()
                    .write(
                            (requestLine
                                            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                in.transferTo(all);
            } catch (SocketException e) {
                // reset after the answer
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = text.substring(0, end);
            return new Reply(Integer.parseInt(head.split(" ")[1]), head, text.substring(end + 4));
        }
    }
}
