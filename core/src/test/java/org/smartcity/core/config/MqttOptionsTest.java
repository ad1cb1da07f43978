package org.smartcity.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttOptionsTest {

    private static MqttConfig load(String... flags) {
        return MqttOptions.from(Settings.load(MqttOptions.OPTIONS, List.of(flags), Map.of()));
    }

    @Test
    void defaultsToAnAnonymousLocalBroker() {
        assertThat(load()).isEqualTo(new MqttConfig("tcp://localhost:1883", null, null));
        assertThat(MqttConfig.anonymous("ssl://broker:8883"))
                .isEqualTo(new MqttConfig("ssl://broker:8883", null, null));
    }

    @Test
    void takesTheBrokerAndTheLogin() {
        MqttConfig mqtt =
                MqttOptions.from(
                        Settings.load(
                                MqttOptions.OPTIONS,
                                List.of("--mqtt-url", "wss://broker.example.org:443/mqtt"),
                                Map.of(
                                        "SMARTCITY_MQTT_USERNAME", "gateway",
                                        "SMARTCITY_MQTT_PASSWORD", "s3cret")));

        assertThat(mqtt)
                .isEqualTo(
                        new MqttConfig("wss://broker.example.org:443/mqtt", "gateway", "s3cret"));
        assertThat(mqtt.toString())
                .isEqualTo(
                        "MqttConfig[url=wss://broker.example.org:443/mqtt, username=gateway,"
                                + " password=****]");
    }

    @Test
    void aUrlWithoutAPahoSchemeNamesTheOption() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> load("--mqtt-url", "localhost:1883"))
                .withMessage(
                        "Invalid value 'localhost:1883' for --mqtt-url (flag): expected a broker URL"
                                + " such as tcp://localhost:1883 (or ssl://, ws://, wss://)");
    }

    @Test
    void aVariantWithAnotherDefaultKeepsTheFlagAndTheValidation() {
        ConfigOption<String> external = MqttOptions.URL.withDefault(null, "an external broker");

        assertThat(external.flag()).isEqualTo("--mqtt-url");
        assertThat(external.environmentVariable()).isEqualTo("SMARTCITY_MQTT_URL");
        assertThat(external.defaultValue()).isNull();
        assertThat(external.description()).isEqualTo("an external broker");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> external.parse("localhost:1883", "flag"))
                .withMessageContaining("expected a broker URL such as tcp://localhost:1883");
    }
}
