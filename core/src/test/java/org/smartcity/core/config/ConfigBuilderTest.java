package org.smartcity.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.smartcity.core.config.TestOptions.ALL;
import static org.smartcity.core.config.TestOptions.MQTT_PORT;
import static org.smartcity.core.config.TestOptions.WINDOW;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smartcity.core.BoundingBox;

class ConfigBuilderTest {

    @Test
    void whatIsNotSetIsTheDefault() {
        Settings s = new TestBuilder(ALL).put(MQTT_PORT, 11883).build();

        assertThat(s.get(MQTT_PORT)).isEqualTo(11883);
        assertThat(s.get(WINDOW)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aValueIsCheckedWhenItIsSet() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new TestBuilder(ALL).put(MQTT_PORT, 70000));
    }

    @Test
    void theGroupsSetTheirOptions() {
        List<ConfigOption<?>> options = new ArrayList<>(KafkaOptions.OPTIONS);
        options.addAll(MqttOptions.OPTIONS);
        options.addAll(CityOptions.OPTIONS);
        KafkaConfig kafka = new KafkaConfig("127.0.0.1:19092", "r", "rejected", "late", "alerts");
        MqttConfig mqtt = new MqttConfig("tcp://127.0.0.1:11883", "bridge", "pw");
        CityConfig city =
                new CityConfig(
                        "dali", BoundingBox.ofEdges(25.5, 100.1, 25.8, 100.4), ZoneId.of("UTC"));

        Settings s = new TestBuilder(options).kafka(kafka).mqtt(mqtt).city(city).build();

        assertThat(KafkaOptions.from(s)).isEqualTo(kafka);
        assertThat(MqttOptions.from(s)).isEqualTo(mqtt);
        assertThat(CityOptions.from(s)).isEqualTo(city);
    }

    @Test
    void aGroupTheRunnableDoesNotListIsRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(
                        () -> new TestBuilder(CityOptions.OPTIONS).kafka(KafkaOptions.defaults()))
                .withMessage("kafka.bootstrap is not an option of this runnable");
    }
}
