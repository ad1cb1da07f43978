package org.smartcity.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Mosquitto configuration {@code PlatformBenchmark --broker mosquitto} runs. */
class BenchMqttBrokerTest {

    /** The shipped file, from deploy/local (Maven) or the repository root (an IDE). */
    private static Path shipped() {
        for (Path p : List.of(Path.of("../mosquitto"), Path.of("deploy/mosquitto"))) {
            if (Files.isRegularFile(p.resolve("mosquitto.conf"))) {
                return p.resolve("mosquitto.conf");
            }
        }
        throw new IllegalStateException("deploy/mosquitto/mosquitto.conf not found");
    }

    @Test
    void theShippedFileRunsOnALoopbackPortWithTheBenchmarksPathsAndWindow() throws Exception {
        Path dir = Path.of("/tmp/bench-mqtt");
        Path passwd = Path.of("/tmp/credentials/passwd");
        String conf =
                BenchMqttBroker.mosquittoConfiguration(
                        Files.readString(shipped()), 41883, passwd, dir);
        List<String> settings =
                conf.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();

        assertThat(settings)
                .contains(
                        "listener 41883 127.0.0.1",
                        "password_file /tmp/credentials/passwd",
                        "acl_file /tmp/bench-mqtt/acl",
                        "persistence_location /tmp/bench-mqtt/data/",
                        "user " + System.getProperty("user.name"))
                // Kept from the shipped file: persistence, queue limits.
                .contains("persistence true", "max_queued_messages 1000000")
                .noneMatch(l -> l.startsWith("listener 1883"));
        // Mosquitto takes the last occurrence of a setting: these two come after the shipped ones.
        assertThat(settings.subList(settings.size() - 2, settings.size()))
                .containsExactly("allow_anonymous true", "max_inflight_messages 1000");
    }

    @Test
    void aShippedFileWithoutALineItRewritesIsRefused() {
        assertThatThrownBy(
                        () ->
                                BenchMqttBroker.mosquittoConfiguration(
                                        "listener 1883\npersistence true\n",
                                        41883,
                                        Path.of("/tmp/passwd"),
                                        Path.of("/tmp/dir")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("password_file");
    }

    @Test
    void anonymousClientsGetOnlyTheBridgesRights() {
        List<String> rules =
                BenchMqttBroker.anonymousBridgeRules()
                        .lines()
                        .filter(l -> !l.isBlank() && !l.startsWith("#"))
                        .toList();
        assertThat(rules)
                .containsExactly("topic read city/#", "topic write city/_ingest/heartbeat/#");
    }
}
