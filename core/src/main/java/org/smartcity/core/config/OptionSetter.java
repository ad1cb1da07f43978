package org.smartcity.core.config;

/**
 * The one method an option group's setter ({@link KafkaOptions.Setter}, {@link MqttOptions.Setter},
 * {@link CityOptions.Setter}) builds its default methods on; {@link ConfigBuilder} implements it,
 * so a runnable's builder gets a group's setters by naming the group's {@code Setter}.
 *
 * @param <B> the builder, which {@link #put} returns
 */
public interface OptionSetter<B> {
    /**
     * Sets {@code option} to {@code value}; {@code null} for "not given". See {@link
     * ConfigBuilder#put}.
     */
    <T> B put(ConfigOption<T> option, T value);
}
