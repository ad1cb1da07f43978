package org.smartcity.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
}
