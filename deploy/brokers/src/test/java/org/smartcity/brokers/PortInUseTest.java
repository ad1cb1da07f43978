package org.smartcity.brokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortInUseTest {

    @TempDir Path dir;

    @ParameterizedTest(name = "listener on {0}")
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0"})
    void refusesATakenPortBeforeSpawningAnything(String address) throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(address, 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> KafkaBroker.start(port, dir.resolve("kafka")))
                    .isInstanceOfSatisfying(
                            PortInUseException.class, e -> assertThat(e.port()).isEqualTo(port))
                    .hasMessageContaining("Port " + port + " ");
            assertThatThrownBy(() -> MqttBroker.startAnonymous(port, dir.resolve("mqtt")))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("Port " + port + " ");
            assertThat(dir.resolve("kafka")).doesNotExist();
            assertThat(dir.resolve("mqtt")).doesNotExist();
        }
    }
}
