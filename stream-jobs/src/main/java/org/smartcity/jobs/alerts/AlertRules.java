package org.smartcity.jobs.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.config.ConfigException;

/**
 * The alert rules the job evaluates: read from a file ({@code --alert-rules FILE}, YAML or JSON),
 * or the default set that ships in the jar ({@value #DEFAULT_RESOURCE}, with the source of every
 * threshold), or none. Rules are checked completely when they are read: a file with mistakes gives
 * one error per mistake, each naming the rule and the field, and the job does not start.
 *
 * @param rules the rules, in file order, ids unique
 */
public record AlertRules(List<AlertRule> rules) implements Serializable {

    /** The value of {@code --alert-rules} that turns alerts off. */
    public static final String NONE = "none";

    /** The value of {@code --alert-rules} that selects the rules shipped in the jar. */
    public static final String DEFAULT = "default";

    /** Where the default rules are in the jar. */
    public static final String DEFAULT_RESOURCE =
            "/org/smartcity/jobs/alerts/default-alert-rules.yaml";

    public AlertRules {
        rules = List.copyOf(rules);
    }

    /** No rules: the alert stage is left out of the job. */
    public static AlertRules none() {
        return new AlertRules(List.of());
    }

    /** The rules shipped in the jar. */
    public static AlertRules defaults() {
        try (InputStream in = AlertRules.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the jar");
            }
            return parse(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    true,
                    "the default rules");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rules an {@code --alert-rules} value names: {@value #NONE}, {@value #DEFAULT}, or a file
     * ({@code .json}: JSON; anything else: YAML, of which JSON is a subset).
     *
     * @throws ConfigException listing every mistake, each with rule and field
     */
    public static AlertRules load(String value) {
        String v = value.trim();
        if (v.isEmpty() || v.equalsIgnoreCase(NONE)) {
            return none();
        }
        if (v.equalsIgnoreCase(DEFAULT)) {
            return defaults();
        }
        Path file = Path.of(v);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("Cannot read the alert rules file " + file + ": " + e);
        }
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        return parse(text, !json, file.toString());
    }

    /**
     * Reads rules from text.
     *
     * @param yaml YAML if true, JSON otherwise
     * @param origin what the text is, for the error message
     * @throws ConfigException listing every mistake, each with rule and field
     */
    public static AlertRules parse(String text, boolean yaml, String origin) {
        RulesReader reader = new RulesReader();
        List<AlertRule> rules = reader.read(text, yaml);
        if (!reader.errors().isEmpty()) {
            throw invalid(origin, reader.errors());
        }
        return new AlertRules(rules);
    }

    /**
     * Checks that every threshold rule watches a window length the job computes.
     *
     * @throws ConfigException naming each rule whose window the job does not have
     */
    public AlertRules checkWindows(List<Duration> windowLengths, String origin, String flag) {
        List<String> errors = new ArrayList<>();
        String lengths =
                windowLengths.stream()
                        .map(d -> ZoneAggregate.windowLabel(d.toMillis()))
                        .collect(Collectors.joining(", "));
        for (ThresholdRule rule : thresholds()) {
            if (windowLengths.stream().noneMatch(d -> d.toMillis() == rule.windowMillis())) {
                errors.add(
                        RulesReader.where(rule.id(), "window")
                                + ": "
                                + ZoneAggregate.windowLabel(rule.windowMillis())
                                + " is not one of the job's window lengths ("
                                + lengths
                                + "; "
                                + flag
                                + ")");
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(origin, errors);
        }
        return this;
    }

    /** Whether there is no rule: the job then has no alert stage. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The threshold rules, in file order. */
    public List<ThresholdRule> thresholds() {
        return rules.stream()
                .filter(ThresholdRule.class::isInstance)
                .map(ThresholdRule.class::cast)
                .toList();
    }

    /** The silent-sensor rules, in file order. */
    public List<SilentSensorRule> silentSensors() {
        return rules.stream()
                .filter(SilentSensorRule.class::isInstance)
                .map(SilentSensorRule.class::cast)
                .toList();
    }

    /** The rules on each sensor's readings (levels, rises), in file order. */
    public List<SensorRule> sensorRules() {
        return rules.stream()
                .filter(SensorRule.class::isInstance)
                .map(SensorRule.class::cast)
                .toList();
    }

    /** The coverage rules, in file order. */
    public List<CoverageRule> coverage() {
        return rules.stream()
                .filter(CoverageRule.class::isInstance)
                .map(CoverageRule.class::cast)
                .toList();
    }

    /** One line per rule, for the job's start-up log. */
    public String describe() {
        if (rules.isEmpty()) {
            return "no alert rules";
        }
        return rules.stream()
                .map(r -> "  " + r.id() + " (" + kindOf(r) + "): " + r.source())
                .collect(Collectors.joining("\n", rules.size() + " alert rules:\n", ""));
    }

    static String kindOf(AlertRule rule) {
        if (rule instanceof SensorRule s) {
            return s.mode() == SensorRule.Mode.RISE
                    ? RulesReader.RATE_OF_RISE
                    : RulesReader.SENSOR_LEVEL;
        }
        if (rule instanceof CoverageRule) {
            return RulesReader.COVERAGE_LOW;
        }
        return rule instanceof ThresholdRule ? RulesReader.THRESHOLD : RulesReader.SILENT;
    }

    private static ConfigException invalid(String origin, List<String> errors) {
        return new ConfigException(
                "Invalid alert rules in "
                        + origin
                        + " ("
                        + errors.size()
                        + (errors.size() == 1 ? " mistake" : " mistakes")
                        + "):\n  "
                        + String.join("\n  ", errors));
    }
}
