package org.smartcity.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void servesMetricsAndHealth() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(true);
        try (HttpEndpoints http = HttpEndpoints.start(0, () -> "up 1\n", healthy::get)) {
            HttpResponse<String> metrics = get(http.port(), "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).isEqualTo("up 1\n");
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValue(HttpEndpoints.PROMETHEUS_TYPE);

            HttpResponse<String> up = get(http.port(), "/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).isEqualTo("{\"status\":\"UP\"}");

            healthy.set(false);
            HttpResponse<String> down = get(http.port(), "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\"}");
        }
    }

    @Test
    void aTakenPortIsReportedWithTheFlagThatChangesIt() {
        try (HttpEndpoints first = HttpEndpoints.start(0, () -> "", () -> true)) {
            assertThatThrownBy(() -> HttpEndpoints.bind(first.port()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                            "HTTP port "
                                    + first.port()
                                    + " is already in use (set another with --http-port)");
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
