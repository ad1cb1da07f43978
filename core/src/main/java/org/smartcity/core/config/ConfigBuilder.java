package org.smartcity.core.config;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The builder of a runnable's configuration in code (the local platform, tests, embedding
 * programs): typed values for what the program decides, the defaults for the rest; {@link #build()}
 * checks them with the runnable's {@code from(Settings)}, as a start from flags would.
 *
 * <p>A runnable's builder extends this class, adds a setter for each of its own options it lets a
 * program decide (one line: {@code return put(OPTION, value);}), and takes the setters of the
 * option groups it lists from the group: {@link KafkaOptions.Setter}, {@link MqttOptions.Setter},
 * {@link CityOptions.Setter}. A group's values are thus put into settings in one place, for every
 * runnable that lists it.
 *
 * @param <C> the runnable's configuration
 * @param <B> the runnable's builder, which every setter returns
 */
public abstract class ConfigBuilder<C, B extends ConfigBuilder<C, B>> implements OptionSetter<B> {

    /** The values set so far, for the runnable's own setters. */
    protected final Settings.Builder settings;

    private final Function<Settings, C> from;

    /**
     * @param options every option of the runnable (its {@code OPTIONS})
     * @param from the runnable's {@code from(Settings)}
     */
    protected ConfigBuilder(List<ConfigOption<?>> options, Function<Settings, C> from) {
        this.settings = Settings.builder(options);
        this.from = Objects.requireNonNull(from, "from");
    }

    /**
     * Sets {@code option} to {@code value}; {@code null} for "not given".
     *
     * @throws IllegalArgumentException when the option is not one of this runnable's
     * @throws ConfigException naming the flag, when the value is out of the option's range
     */
    @Override
    public final <T> B put(ConfigOption<T> option, T value) {
        settings.put(option, value);
        return self();
    }

    /**
     * The configuration: the values set, the defaults for the rest.
     *
     * @throws ConfigException naming the flag, when values do not fit together
     */
    public final C build() {
        return from.apply(settings.build());
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
