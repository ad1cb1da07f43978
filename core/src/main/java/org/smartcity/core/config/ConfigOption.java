package org.smartcity.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.smartcity.core.CityArea;

/**
 * One setting of a runnable: its key ({@code kafka.bootstrap}), the command-line flag and the
 * environment variable derived from it ({@code --kafka-bootstrap}, {@code
 * SMARTCITY_KAFKA_BOOTSTRAP}), a default, a description for {@code --help}, and a parser that
 * rejects bad values with a message saying what is expected.
 *
 * @param <T> the type of the value
 */
public final class ConfigOption<T> {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final String key;
    private final String defaultValue;
    private final String description;
    private final Function<String, T> parser;
    private final boolean secret;

    private ConfigOption(
            String key,
            String defaultValue,
            String description,
            Function<String, T> parser,
            boolean secret) {
        this.key = Objects.requireNonNull(key);
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description);
        this.parser = Objects.requireNonNull(parser);
        this.secret = secret;
    }

    /** A free-form string; {@code defaultValue} null means "no value unless given". */
    public static ConfigOption<String> string(String key, String defaultValue, String description) {
        return new ConfigOption<>(key, defaultValue, description, s -> s, false);
    }

    /** A string that is masked wherever the configuration is printed. */
    public static ConfigOption<String> secret(String key, String description) {
        return new ConfigOption<>(key, null, description, s -> s, true);
    }

    /** A TCP port, 1 to 65535 (0 too when {@code allowZero}, meaning "off" or "any free"). */
    public static ConfigOption<Integer> port(
            String key, int defaultValue, boolean allowZero, String description) {
        return integer(key, defaultValue, allowZero ? 0 : 1, 65535, description);
    }

    /** An integer in {@code [min, max]}. */
    public static ConfigOption<Integer> integer(
            String key, int defaultValue, int min, int max, String description) {
        return new ConfigOption<>(
                key,
                Integer.toString(defaultValue),
                description,
                s -> {
                    int v;
                    try {
                        v = Integer.parseInt(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("expected an integer");
                    }
                    if (v < min || v > max) {
                        throw new IllegalArgumentException(
                                "expected an integer from " + min + " to " + max);
                    }
                    return v;
                },
                false);
    }

    /** A non-negative decimal number in {@code [min, max]}. */
    public static ConfigOption<Double> decimal(
            String key, double defaultValue, double min, double max, String description) {
        return new ConfigOption<>(
                key,
                Double.toString(defaultValue),
                description,
                s -> {
                    double v;
                    try {
                        v = Double.parseDouble(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("expected a number");
                    }
                    if (!(v >= min && v <= max)) {
                        throw new IllegalArgumentException(
                                "expected a number from " + min + " to " + max);
                    }
                    return v;
                },
                false);
    }

    /**
     * A duration, as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d} or ISO-8601.
     */
    public static ConfigOption<Duration> duration(
            String key, String defaultValue, String description) {
        return new ConfigOption<>(
                key, defaultValue, description, ConfigOption::parseDuration, false);
    }

    /**
     * A comma-separated list of durations, each as {@link #duration} reads it, e.g. {@code
     * 1m,15m,1h}; at least one, in the order given.
     */
    public static ConfigOption<List<Duration>> durations(
            String key, String defaultValue, String description) {
        return new ConfigOption<>(
                key, defaultValue, description, ConfigOption::parseDurations, false);
    }

    /**
     * Parses a comma-separated list of durations, each as {@link #duration} reads it.
     *
     * @throws IllegalArgumentException naming the part that is not a duration
     */
    public static List<Duration> parseDurations(String s) {
        List<Duration> out = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            try {
                if (part.isBlank()) {
                    throw new IllegalArgumentException("empty");
                }
                out.add(parseDuration(part));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "expected durations separated by commas, such as 1m,15m,1h; '"
                                + part.trim()
                                + "' is not one");
            }
        }
        return List.copyOf(out);
    }

    /** A true/false switch. */
    public static ConfigOption<Boolean> bool(String key, boolean defaultValue, String description) {
        return new ConfigOption<>(
                key,
                Boolean.toString(defaultValue),
                description,
                s -> {
                    String v = s.trim().toLowerCase(Locale.ROOT);
                    if (v.equals("true") || v.equals("false")) {
                        return Boolean.parseBoolean(v);
                    }
                    throw new IllegalArgumentException("expected true or false");
                },
                false);
    }

    /**
     * A bounding box {@code minLat,minLon,maxLat,maxLon}, checked as {@link CityArea#parse} reads
     * it; the value stays a string so the option can be combined with a city id.
     */
    public static ConfigOption<String> boundingBox(
            String key, String defaultValue, String description) {
        return new ConfigOption<>(
                key,
                defaultValue,
                description,
                bbox -> {
                    CityArea.parse("check", bbox);
                    return bbox;
                },
                false);
    }

    /** Any value a function can parse; it throws {@link IllegalArgumentException} to reject. */
    public static <T> ConfigOption<T> custom(
            String key, String defaultValue, String description, Function<String, T> parser) {
        return new ConfigOption<>(key, defaultValue, description, parser, false);
    }

    static Duration parseDuration(String s) {
        String v = s.trim();
        Matcher m = SHORT_DURATION.matcher(v);
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("expected a shorter duration");
            }
        }
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative()) {
                throw new IllegalArgumentException("expected a positive duration");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "expected a duration such as 250ms, 30s, 5m, 1h, 7d or PT5M");
        }
    }

    public String key() {
        return key;
    }

    /** The command-line flag: the key with dots turned to dashes. */
    public String flag() {
        return "--" + key.replace('.', '-');
    }

    /** The environment variable: {@code SMARTCITY_} and the key in upper snake case. */
    public String environmentVariable() {
        return "SMARTCITY_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return secret;
    }

    T parse(String raw, String source) {
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "Invalid value '"
                            + (secret ? Secrets.MASK : Secrets.mask(raw))
                            + "' for "
                            + flag()
                            + " ("
                            + source
                            + "): "
                            + (secret ? "not valid" : Secrets.mask(e.getMessage())));
        }
    }
}
