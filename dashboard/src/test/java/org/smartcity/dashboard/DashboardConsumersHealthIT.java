package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;

/**
 * {@code /health} of a running dashboard (set up as {@link DashboardApiIT} does) tells when one of
 * its background consumers is gone: the live layer's reader closed, the readings monitor stopped.
 * (A monitor thread killed by an error is ReadingsMonitorTest's.)
 */
class DashboardConsumersHealthIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        DashboardApiIT.start(KAFKA, dir);
    }

    @AfterAll
    static void stop() {
        DashboardApiIT.stop();
    }

    @Test
    void aClosedConsumerIsDownWithTheReason() throws Exception {
        DashboardServer server = DashboardApiIT.server;
        String url = "http://127.0.0.1:" + server.port() + "/health";
        await().atMost(Duration.ofSeconds(30)).until(() -> get(url).statusCode() == 200);

        server.liveLayer().close();
        HttpResponse<String> liveGone = get(url);
        assertThat(liveGone.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(liveGone.body());
        assertThat(body.at("/dependencies/live-layer").toString())
                .isEqualTo("{\"status\":\"DOWN\",\"detail\":\"live layer not open\"}");
        assertThat(body.at("/dependencies/readings-monitor/status").asText()).isEqualTo("UP");

        server.readingsMonitor().close();
        JsonNode both = JSON.readTree(get(url).body());
        assertThat(both.at("/dependencies/readings-monitor").toString())
                .isEqualTo("{\"status\":\"DOWN\",\"detail\":\"closed\"}");
        assertThat(both.get("status").asText()).isEqualTo("DOWN");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
