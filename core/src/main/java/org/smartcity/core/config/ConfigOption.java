package org.smartcity.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.smartcity.core.BoundingBox;

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
    private final UnaryOperator<T> check;
    private final boolean secret;

    private ConfigOption(
            String key,
            String defaultValue,
            String description,
            Function<String, T> parser,
            boolean secret) {
        this(key, defaultValue, description, parser, UnaryOperator.identity(), secret);
    }

    /**
     * @param parser reads the text of a value (and may check it all, as {@link #custom} does)
     * @param check checks a parsed value; a value given in code ({@link Settings#builder}) passes
     *     through it too, so ranges hold whichever way a value arrives
     */
    private ConfigOption(
            String key,
            String defaultValue,
            String description,
            Function<String, T> parser,
            UnaryOperator<T> check,
            boolean secret) {
        this.key = Objects.requireNonNull(key);
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description);
        this.parser = Objects.requireNonNull(parser);
        this.check = Objects.requireNonNull(check);
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
                    try {
                        return Integer.parseInt(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("expected an integer");
                    }
                },
                v -> {
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
                    try {
                        return Double.parseDouble(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("expected a number");
                    }
                },
                v -> {
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
                key,
                defaultValue,
                description,
                ConfigOption::parseDuration,
                d -> {
                    if (d.isNegative()) {
                        throw new IllegalArgumentException("expected a positive duration");
                    }
                    return d;
                },
                false);
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
     * A bounding box written latitude first, {@code minLat,minLon,maxLat,maxLon} (the order of
     * {@code --city-bbox}; {@link BoundingBox#parseLatLon}); its value names its edges, so no
     * caller reads them in the wrong order.
     */
    public static ConfigOption<BoundingBox> boundingBox(
            String key, BoundingBox defaultValue, String description) {
        return new ConfigOption<>(
                key, defaultValue.toLatLonText(), description, BoundingBox::parseLatLon, false);
    }

    /** Any value a function can parse; it throws {@link IllegalArgumentException} to reject. */
    public static <T> ConfigOption<T> custom(
            String key, String defaultValue, String description, Function<String, T> parser) {
        return new ConfigOption<>(key, defaultValue, description, parser, false);
    }

    /**
     * This option with another default and description, for a runnable where the default means
     * something else (e.g. {@code --mqtt-url} of the local platform, unset: start a broker): the
     * key, and so the flag and the variable, and the validation stay the same.
     */
    public ConfigOption<T> withDefault(String newDefault, String newDescription) {
        return new ConfigOption<>(key, newDefault, newDescription, parser, check, secret);
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
            return check.apply(parser.apply(raw));
        } catch (IllegalArgumentException e) {
            throw invalid(raw, source, e);
        }
    }

    /** A value given in code, checked as a parsed one is. */
    T check(T value, String source) {
        try {
            return check.apply(value);
        } catch (IllegalArgumentException e) {
            throw invalid(String.valueOf(value), source, e);
        }
    }

    private ConfigException invalid(String raw, String source, IllegalArgumentException e) {
        return new ConfigException(
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
