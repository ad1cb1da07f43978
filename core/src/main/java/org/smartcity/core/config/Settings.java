package org.smartcity.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The resolved values of a runnable's {@link ConfigOption}s. Each value comes from the first of: a
 * command-line flag, an environment variable, the properties file given by {@code --config} (or
 * {@code SMARTCITY_CONFIG}), the option's default. Every value is parsed once, here, so a mistake
 * is reported at start with the flag that sets it.
 */
public final class Settings {
    /** The flag that names a properties file. */
    public static final String CONFIG_FLAG = "--config";

    private final Map<ConfigOption<?>, Object> values;
    private final Map<ConfigOption<?>, String> sources;

    private Settings(Map<ConfigOption<?>, Object> values, Map<ConfigOption<?>, String> sources) {
        this.values = values;
        this.sources = sources;
    }

    /**
     * Resolves options from command-line flags over the defaults, with no environment: no {@code
     * SMARTCITY_*} variable and no {@code SMARTCITY_CONFIG} file is read, so a runnable embedded in
     * the local platform or a test does not pick up the host's settings. Each runnable's {@code
     * fromFlags} is this and its {@code from(Settings)}.
     *
     * @throws ConfigException naming the flag, when a value is wrong or a flag unknown
     */
    public static Settings fromFlags(List<ConfigOption<?>> options, String... flags) {
        return load(options, List.of(flags), Map.of());
    }

    /**
     * Resolves options from flags, environment and an optional file.
     *
     * @throws ConfigException naming the flag, when a value is wrong, a flag unknown or a file
     *     unreadable
     */
    public static Settings load(
            List<ConfigOption<?>> options, List<String> args, Map<String, String> environment) {
        Map<String, ConfigOption<?>> byFlag =
                options.stream().collect(Collectors.toMap(ConfigOption::flag, o -> o));
        Map<String, ConfigOption<?>> byKey =
                options.stream().collect(Collectors.toMap(ConfigOption::key, o -> o));

        Map<ConfigOption<?>, String> raw = new LinkedHashMap<>();
        Map<ConfigOption<?>, String> sources = new LinkedHashMap<>();
        String configFile = environment.get("SMARTCITY_CONFIG");
        Map<ConfigOption<?>, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!name.equals(CONFIG_FLAG) && !byFlag.containsKey(name)) {
                throw new ConfigException(
                        (name.startsWith("-") ? "Unknown flag " : "Unexpected argument ")
                                + name
                                + ". Run with --help to list the flags.");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new ConfigException("Flag " + name + " needs a value.");
                }
                value = args.get(++i);
            }
            if (name.equals(CONFIG_FLAG)) {
                configFile = value;
            } else {
                flags.put(byFlag.get(name), value);
            }
        }

        for (ConfigOption<?> option : options) {
            if (option.defaultValue() != null) {
                raw.put(option, option.defaultValue());
                sources.put(option, "default");
            }
        }
        if (configFile != null) {
            Properties file = readProperties(Path.of(configFile));
            for (String key : file.stringPropertyNames()) {
                ConfigOption<?> option = byKey.get(key);
                if (option == null) {
                    throw new ConfigException(
                            "Unknown key '"
                                    + key
                                    + "' in "
                                    + configFile
                                    + ". Known keys: "
                                    + String.join(", ", byKey.keySet()));
                }
                raw.put(option, file.getProperty(key));
                sources.put(option, configFile);
            }
        }
        for (ConfigOption<?> option : options) {
            String env = environment.get(option.environmentVariable());
            if (env != null) {
                raw.put(option, env);
                sources.put(option, "environment " + option.environmentVariable());
            }
        }
        flags.forEach(
                (option, value) -> {
                    raw.put(option, value);
                    sources.put(option, "flag");
                });

        Map<ConfigOption<?>, Object> values = new LinkedHashMap<>();
        for (ConfigOption<?> option : options) {
            String value = raw.get(option);
            if (value != null) {
                values.put(option, option.parse(value, sources.get(option)));
            }
        }
        return new Settings(values, sources);
    }

    /**
     * Settings given as typed values in code, the defaults for the rest: how the local platform and
     * tests embed a runnable without writing its flags and parsing them again. A value passes the
     * option's range check as a parsed one does; the runnable's {@code from(Settings)} then checks
     * how the values fit together, as at a start from the command line.
     */
    public static Builder builder(List<ConfigOption<?>> options) {
        return new Builder(options);
    }

    /** Collects typed values for {@link #builder}. */
    public static final class Builder {
        /** The source {@link #describe()} names for a value given in code. */
        static final String SOURCE = "set in code";

        private final List<ConfigOption<?>> options;
        private final Map<ConfigOption<?>, Object> given = new LinkedHashMap<>();

        private Builder(List<ConfigOption<?>> options) {
            this.options = List.copyOf(options);
        }

        /**
         * Sets {@code option} to {@code value}; {@code null} for "not given" (the default, or no
         * value for an option without one).
         *
         * @throws IllegalArgumentException when the option is not one of this runnable's
         * @throws ConfigException naming the flag, when the value is out of the option's range
         */
        public <T> Builder put(ConfigOption<T> option, T value) {
            if (!options.contains(option)) {
                throw new IllegalArgumentException(
                        option.key() + " is not an option of this runnable");
            }
            if (value == null) {
                given.remove(option);
            } else {
                given.put(option, option.check(value, SOURCE));
            }
            return this;
        }

        public Settings build() {
            Settings defaults = load(options, List.of(), Map.of());
            Map<ConfigOption<?>, Object> values = new LinkedHashMap<>(defaults.values);
            Map<ConfigOption<?>, String> sources = new LinkedHashMap<>(defaults.sources);
            given.forEach(
                    (option, value) -> {
                        values.put(option, value);
                        sources.put(option, SOURCE);
                    });
            return new Settings(values, sources);
        }
    }

    private static Properties readProperties(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new ConfigException(
                    "Cannot read the configuration file " + file + " (" + CONFIG_FLAG + "): " + e);
        }
        return p;
    }

    /** The value of an option with a default, or one that was given. */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigOption<T> option) {
        T value = (T) values.get(option);
        if (value == null) {
            throw new ConfigException(
                    "Missing value for "
                            + option.flag()
                            + " (or "
                            + option.environmentVariable()
                            + "): "
                            + option.description());
        }
        return value;
    }

    /** The value of an option without a default, or {@code null} when it was not given. */
    @SuppressWarnings("unchecked")
    public <T> T getOrNull(ConfigOption<T> option) {
        return (T) values.get(option);
    }

    /** One line per setting, {@code key = value (source)}, secrets masked: for the startup log. */
    public String describe() {
        return values.entrySet().stream()
                .map(
                        e ->
                                "  "
                                        + e.getKey().key()
                                        + " = "
                                        + (e.getKey().isSecret()
                                                ? Secrets.MASK
                                                : Secrets.mask(String.valueOf(e.getValue())))
                                        + " ("
                                        + sources.get(e.getKey())
                                        + ")")
                .collect(Collectors.joining("\n"));
    }

    /** The {@code --help} text: usage, summary and every flag with its default and variable. */
    public static String help(String usage, String summary, List<ConfigOption<?>> options) {
        StringBuilder b = new StringBuilder();
        b.append("Usage: ").append(usage).append("\n\n").append(summary).append("\n\nOptions:\n");
        int width =
                options.stream().mapToInt(o -> o.flag().length()).max().orElse(10)
                        + " VALUE".length();
        for (ConfigOption<?> o : options) {
            b.append(String.format("  %-" + width + "s  %s", o.flag() + " VALUE", o.description()));
            if (o.defaultValue() != null && !o.isSecret()) {
                b.append(" [default: ").append(o.defaultValue()).append(']');
            }
            b.append("\n  ")
                    .append(" ".repeat(width))
                    .append("  env ")
                    .append(o.environmentVariable())
                    .append(", key ")
                    .append(o.key())
                    .append('\n');
        }
        b.append(
                String.format(
                        "  %-" + width + "s  %s%n",
                        CONFIG_FLAG + " FILE",
                        "a properties file of key=value settings (env SMARTCITY_CONFIG)"));
        b.append(String.format("  %-" + width + "s  %s%n", "--help", "print this help"));
        b.append("\nPrecedence: flag > environment > file > default.\n");
        return b.toString();
    }
}
