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

    /**
     * The group's setter, for the {@link ConfigBuilder} of a runnable that lists the group.
     *
     * @param <B> the builder
     */
    public interface Setter<B> extends OptionSetter<B> {
        /** The broker URL and the login. */
        default B mqtt(MqttConfig mqtt) {
            put(URL, mqtt.url());
            put(USERNAME, mqtt.username());
            return put(PASSWORD, mqtt.password());
        }
    }
}
