package org.smartcity.core.config;

import java.util.List;

/**
 * The MQTT connection options, declared once for the bridge, the simulator and the local platform:
 * the broker URL and the login. What a runnable does with its connection (the bridge's client id
 * and shared subscription, the simulator's connections) stays its own option.
 */
public final class MqttOptions {

    public static final ConfigOption<String> URL =
            ConfigOption.custom(
                    "mqtt.url",
                    "tcp://localhost:1883",
                    "MQTT 5 broker: tcp://host:port, or ssl://, ws://, wss://",
                    MqttConfig::checkUrl);
    public static final ConfigOption<String> USERNAME =
            ConfigOption.string(
                    "mqtt.username", null, "MQTT user name, when the broker requires one");
    public static final ConfigOption<String> PASSWORD =
            ConfigOption.secret("mqtt.password", "MQTT password");

    /** The group, in the order {@code --help} lists it. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(URL, USERNAME, PASSWORD);

    private MqttOptions() {}

    /** The group's values. */
    public static MqttConfig from(Settings s) {
        return new MqttConfig(s.get(URL), s.getOrNull(USERNAME), s.getOrNull(PASSWORD));
    }

    /** Puts {@code mqtt} into settings made in code, for a runnable that lists the group. */
    public static Settings.Builder put(Settings.Builder settings, MqttConfig mqtt) {
        return settings.put(URL, mqtt.url())
                .put(USERNAME, mqtt.username())
                .put(PASSWORD, mqtt.password());
    }
}
