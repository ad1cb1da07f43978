package org.smartcity.core.config;

import java.util.List;

/** The builder of a runnable that lists {@code options}; what it builds is the settings. */
final class TestBuilder extends ConfigBuilder<Settings, TestBuilder>
        implements KafkaOptions.Setter<TestBuilder>,
                MqttOptions.Setter<TestBuilder>,
                CityOptions.Setter<TestBuilder> {

    TestBuilder(List<ConfigOption<?>> options) {
        super(options, s -> s);
    }
}
