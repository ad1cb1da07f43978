package org.smartcity.brokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The broker's flags and the HiveMQ config.xml written from them. */
class MqttBrokerMainTest {

    private static MqttBrokerMain.Options parse(String... args) {
        return MqttBrokerMain.Options.parse(args);
    }

    @Test
    void filePersistenceIsTheDefaultAndQueuesAMillionMessagesOnDisk() {
        MqttBrokerMain.Options options = parse("--allow-anonymous");
        assertThat(options.persistence()).isEqualTo(MqttBroker.Persistence.FILE);
        String config = MqttBrokerMain.config("127.0.0.1", 1884, options);
        assertThat(config)
                .contains("<mode>file</mode>")
                .contains("<max-queue-size>1000000</max-queue-size>");
    }

    @Test
    void memoryPersistenceIsHiveMqsInMemoryModeWithAQueueBoundedForTheHeap() {
        MqttBrokerMain.Options options = parse("--persistence", "memory", "--port", "1884");
        assertThat(options.persistence()).isEqualTo(MqttBroker.Persistence.MEMORY);
        assertThat(options.rest()).containsExactly("--port", "1884");
        String config = MqttBrokerMain.config("127.0.0.1", 1884, options);
        assertThat(config)
                .contains("<mode>in-memory</mode>")
                .contains("<max-queue-size>100000</max-queue-size>");
    }

    @Test
    void anUnknownPersistenceIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> parse("--persistence", "disk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--persistence: expected file or memory: disk");
    }

    @Test
    void theFlagValuesNameHiveMqsModes() {
        assertThat(MqttBroker.Persistence.parse("memory").value()).isEqualTo("memory");
        assertThat(MqttBroker.Persistence.parse("file").hivemqMode()).isEqualTo("file");
    }
}
