package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.http.Health;

/**
 * {@code /health} tells the truth without costing a request anything: with Kafka unreachable and
 * then the history store's directory gone, it is 503 naming each, answered at once from the
 * background probes; a dependency the embedding platform adds is reported too. And the dashboard
 * listens on loopback unless {@code --http-bind} says otherwise.
 */
class DashboardHealthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path dir;

    @Test
    void downNamingEachUnreachableDependencyAndAnsweredAtOnce() throws Exception {
        Path history = dir.resolve("history");
        try (DashboardServer server =
                DashboardServer.start(
                        DashboardConfig.fromFlags(
                                "--http-port",
                                "0",
                                "--kafka-bootstrap",
                                "127.0.0.1:" + closedPort(),
                                "--store-history",
                                history.toString(),
                                "--store-live-catalog",
                                "none"))) {
            server.addHealth(() -> Health.Dependency.down("mqtt-broker", "restarting (restart 2)"));
            String url = "http://127.0.0.1:" + server.port() + "/health";

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !status(get(url), "kafka").equals("pending"));
            long t0 = System.nanoTime();
            HttpResponse<String> down = get(url);
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .as("answered from the last probe, not by asking Kafka now")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(down.statusCode()).isEqualTo(503);
            JsonNode body = JSON.readTree(down.body());
            assertThat(body.get("status").asText()).isEqualTo("DOWN");
            assertThat(fieldNames(body.get("dependencies")))
                    .containsExactly(
                            "server",
                            "kafka",
                            "history",
                            "readings-monitor",
                            "alerts-feed",
                            "mqtt-broker");
            assertThat(body.at("/dependencies/kafka/status").asText()).isEqualTo("DOWN");
            assertThat(body.at("/dependencies/kafka/detail").asText()).isNotBlank();
            assertThat(body.at("/dependencies/history/status").asText()).isEqualTo("UP");
            assertThat(body.at("/dependencies/mqtt-broker").toString())
                    .isEqualTo("{\"status\":\"DOWN\",\"detail\":\"restarting (restart 2)\"}");

            deleteTree(history);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> status(get(url), "history").equals("DOWN"));
            assertThat(JSON.readTree(get(url).body()).at("/dependencies/history/detail").asText())
                    .startsWith("IOException: directory " + history + " is gone; last answered ");
        }
    }

    @Test
    void listensOnLoopbackUnlessToldOtherwise() throws Exception {
        Optional<InetAddress> lan = nonLoopbackAddress();
        org.junit.jupiter.api.Assumptions.assumeTrue(lan.isPresent(), "no non-loopback address");
        for (String bind : List.of("default", "0.0.0.0")) {
            List<String> flags =
                    new java.util.ArrayList<>(
                            List.of(
                                    "--http-port", "0",
                                    "--kafka-bootstrap", "127.0.0.1:" + closedPort(),
                                    "--store-history", "none",
                                    "--store-live-catalog", "none"));
            if (!bind.equals("default")) {
                flags.addAll(List.of("--http-bind", bind));
            }
            try (DashboardServer server =
                    DashboardServer.start(
                            DashboardConfig.fromFlags(flags.toArray(String[]::new)))) {
                assertThat(connects(InetAddress.getLoopbackAddress(), server.port())).isTrue();
                assertThat(connects(lan.get(), server.port()))
                        .as("reachable on %s with bind %s", lan.get(), bind)
                        .isEqualTo(!bind.equals("default"));
            }
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A dependency's status, or "pending" while its first probe has not finished. */
    private static String status(HttpResponse<String> health, String dependency)
            throws IOException {
        JsonNode d = JSON.readTree(health.body()).at("/dependencies/" + dependency);
        return "first check not finished yet".equals(d.path("detail").asText())
                ? "pending"
                : d.path("status").asText();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        return NetworkInterface.networkInterfaces()
                .filter(
                        i -> {
                            try {
                                return i.isUp() && !i.isLoopback();
                            } catch (IOException e) {
                                return false;
                            }
                        })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
