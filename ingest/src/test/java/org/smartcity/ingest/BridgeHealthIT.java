package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge's {@code /health} is honest (issue 8, defect 4): 503 naming the dependency while the
 * MQTT broker or Kafka is gone, with no reading flowing, and 200 again by itself once it is back.
 * Before the fix it stayed 200 through a Kafka outage.
 */
class BridgeHealthIT {
    @RegisterExtension static final Brokers brokers = new Brokers();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthIsDownNamingTheMissingDependencyAndUpAgainByItself() throws Exception {
        int port = freePort();
        try (IngestService bridge =
                IngestService.start(
                        brokers.bridgeConfig(
                                "bridge-health",
                                "--http-port",
                                Integer.toString(port),
                                "--kafka-health-interval",
                                "1s"))) {
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            awaitStatus(health, 200, "\"status\":\"UP\"");

            brokers.kafka.stop();
            String down = awaitStatus(health, 503, "\"kafka\":{\"status\":\"DOWN\"");
            assertThat(down).contains("\"mqtt\":{\"status\":\"UP\"");
            brokers.kafka.restart();
            awaitStatus(health, 200, "\"status\":\"UP\"");

            brokers.mqtt.kill();
            down = awaitStatus(health, 503, "\"mqtt\":{\"status\":\"DOWN\"");
            assertThat(down).contains("\"kafka\":{\"status\":\"UP\"");
            brokers.mqtt.restart();
            awaitStatus(health, 200, "\"status\":\"UP\"");
        }
    }

    /** Waits for the status, and returns the body, which contains {@code expected}. */
    private String awaitStatus(URI uri, int status, String expected) {
        String[] body = new String[1];
        await("GET " + uri + " answering " + status + " with " + expected)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            HttpResponse<String> r =
                                    http.send(
                                            HttpRequest.newBuilder(uri).build(),
                                            HttpResponse.BodyHandlers.ofString());
                            body[0] = r.body();
                            return r.statusCode() == status && r.body().contains(expected);
                        });
        return body[0];
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
