package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.brokers.KafkaBrokerExtension;

/**
 * The OpenAPI document a running dashboard serves at {@code /api} (set up as {@link DashboardApiIT}
 * does, so all three collections are in it) passes an OpenAPI 3.0 validator nobody here wrote:
 * {@code @apidevtools/swagger-parser}, run with Node. CI installs it ({@code .ci/run}: {@code npm
 * install --prefix target/openapi-validator @apidevtools/swagger-parser@13.1.0}); where Node or the
 * package is missing the test is skipped. {@code -Dopenapi.validator=DIR} points elsewhere.
 */
class DashboardOpenApiIT {
    private static final Path VALIDATOR =
            Path.of(System.getProperty("openapi.validator", "../target/openapi-validator"))
                    .toAbsolutePath()
                    .normalize();

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
    void theApiDefinitionValidates() throws Exception {
        Path module = VALIDATOR.resolve("node_modules/@apidevtools/swagger-parser");
        Assumptions.assumeTrue(
                Files.isDirectory(module), "no OpenAPI validator at " + module + " (see .ci/run)");
        HttpResponse<String> api =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + DashboardApiIT.server.port()
                                                                + "/api"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("/collections/city_live/items");
        Path document = dir.resolve("openapi.json");
        Files.writeString(document, api.body());

        String script =
                "require(process.argv[1]).validate(process.argv[2])"
                        + ".then(a => console.log('valid: ' + a.info.title))"
                        + ".catch(e => { console.log(e.message); process.exit(1); });";
        Process node;
        try {
            node =
                    new ProcessBuilder("node", "-e", script, module.toString(), document.toString())
                            .redirectErrorStream(true)
                            .start();
        } catch (java.io.IOException e) {
            Assumptions.abort("no node: " + e.getMessage());
            return;
        }
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("the validator finished").isTrue();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as("swagger-parser says: %s", output).isZero();
        assertThat(output).startsWith("valid: Smart-city sensor platform");
    }
}
