package org.smartcity.core.config;

import java.time.Duration;
import java.util.List;

/** A small runnable's options, one of each kind the services use. */
final class TestOptions {
    static final ConfigOption<Integer> MQTT_PORT =
            ConfigOption.port("mqtt.port", 1883, false, "MQTT broker port");
    static final ConfigOption<String> KAFKA_BOOTSTRAP =
            ConfigOption.string("kafka.bootstrap", "localhost:9092", "Kafka bootstrap servers");
    static final ConfigOption<String> MQTT_PASSWORD =
            ConfigOption.secret("mqtt.password", "MQTT password");
    static final ConfigOption<Duration> WINDOW =
            ConfigOption.duration("window.length", "1m", "aggregation window");
    static final ConfigOption<String> CITY = ConfigOption.string("city.id", null, "city to serve");

    static final List<ConfigOption<?>> ALL =
            List.of(MQTT_PORT, KAFKA_BOOTSTRAP, MQTT_PASSWORD, WINDOW, CITY);

    /** A password that must never be printed. */
    static final String PASSWORD = "hunter2-s3cret";

    private TestOptions() {}
}
