package org.smartcity.jobs.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.jobs.alerts.ThresholdRule.Level;

/**
 * Reads a rules file into rules, checking every field and collecting one message per mistake
 * instead of stopping at the first: whoever edits the file sees everything to fix at once. A
 * message names the rule (by id, or by position when the id is missing) and the field.
 */
final class RulesReader {
    static final String THRESHOLD = "threshold";
    static final String SILENT = "silent";
    static final String RATE_OF_RISE = "rate_of_rise";
    static final String SENSOR_LEVEL = "sensor_level";
    static final String COVERAGE_LOW = "coverage_low";
    private static final String KINDS =
            String.join(", ", THRESHOLD, SILENT, RATE_OF_RISE, SENSOR_LEVEL, COVERAGE_LOW);

    /** Rule ids end up in alert ids, between {@code |} separators. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final Set<String> COMMON = Set.of("id", "kind", "source");
    private static final Set<String> THRESHOLD_FIELDS =
            Set.of(
                    "title",
                    "metric",
                    "zone_kind",
                    "window",
                    "statistic",
                    "levels",
                    "clear_below",
                    "raise_after",
                    "clear_after",
                    "standard",
                    "flap_limit",
                    "rollup_cells");
    private static final Set<String> SILENT_FIELDS = Set.of("metric", "after", "severity");
    private static final Set<String> RISE_FIELDS =
            Set.of(
                    "title",
                    "metric",
                    "within",
                    "min_readings",
                    "levels",
                    "clear_below",
                    "standard");
    private static final Set<String> SENSOR_LEVEL_FIELDS =
            Set.of("title", "metric", "levels", "clear_below", "gauges", "standard");
    private static final Set<String> GAUGE_FIELDS = Set.of("levels", "clear_below");
    private static final Set<String> COVERAGE_FIELDS =
            Set.of("metric", "min_share", "after", "severity");

    /** The span of a rate-of-rise rule when it gives none (issue 11's example: 15 minutes). */
    static final Duration DEFAULT_RISE_SPAN = Duration.ofMinutes(15);

    /** Readings in the span a rise needs when the rule gives no number (issue 11: 3). */
    static final int DEFAULT_MIN_READINGS = 3;

    /** The silent-sensor limit when a rule gives none (issue 11: 10 minutes). */
    static final Duration DEFAULT_SILENCE = Duration.ofMinutes(10);

    /** An upper bound on consecutive windows, against a typo such as 1000 for 10. */
    static final int MAX_WINDOWS = 100;

    private final List<String> errors = new ArrayList<>();

    List<String> errors() {
        return errors;
    }

    List<AlertRule> read(String text, boolean yaml) {
        ObjectMapper mapper = yaml ? new YAMLMapper() : new ObjectMapper();
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            errors.add(
                    "not valid "
                            + (yaml ? "YAML" : "JSON")
                            + " at line "
                            + e.getLocation().getLineNr()
                            + ", column "
                            + e.getLocation().getColumnNr()
                            + ": "
                            + e.getOriginalMessage());
            return List.of();
        }
        if (root == null || !root.isObject() || !root.path("rules").isArray()) {
            errors.add("the file needs a top-level 'rules' list");
            return List.of();
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("rules")) {
                errors.add("unknown top-level field '" + field + "' (expected only 'rules')");
            }
        }
        List<AlertRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int position = 0;
        for (JsonNode node : root.get("rules")) {
            position++;
            new RuleNode(node, position, ids).read().ifPresent(rules::add);
        }
        return rules;
    }

    /** How a message names a rule and a field. */
    static String where(String ruleId, String field) {
        return "rule '" + ruleId + "', field '" + field + "'";
    }

    /** One rule of the file, read field by field. */
    private final class RuleNode {
        private final JsonNode node;
        private final String name;
        private final int before = errors.size();

        RuleNode(JsonNode node, int position, Set<String> ids) {
            this.node = node;
            JsonNode id = node.get("id");
            if (id != null && id.isTextual() && !id.asText().isBlank()) {
                this.name = id.asText();
                if (!ID.matcher(name).matches()) {
                    errors.add(where(name, "id") + ": use 1 to 64 of A-Z a-z 0-9 . _ -");
                } else if (!ids.add(name)) {
                    errors.add(where(name, "id") + ": another rule has the same id");
                }
            } else {
                this.name = "#" + position;
                if (node.isObject()) {
                    errors.add(where(name, "id") + ": required, a string");
                }
            }
        }

        Optional<AlertRule> read() {
            if (!node.isObject()) {
                errors.add("rule " + name + ": expected an object with id, kind and source");
                return Optional.empty();
            }
            String kind = text("kind", null);
            String source = text("source", null);
            if (source != null && source.isBlank()) {
                error("source", "must name where the rule's numbers come from");
            }
            AlertRule rule = null;
            if (kind == null) {
                // reported by text()
            } else if (kind.equals(THRESHOLD)) {
                unknownFields(THRESHOLD_FIELDS);
                rule = threshold(source);
            } else if (kind.equals(SILENT)) {
                unknownFields(SILENT_FIELDS);
                rule = silent(source);
            } else if (kind.equals(RATE_OF_RISE)) {
                unknownFields(RISE_FIELDS);
                rule = sensorRule(source, SensorRule.Mode.RISE);
            } else if (kind.equals(SENSOR_LEVEL)) {
                unknownFields(SENSOR_LEVEL_FIELDS);
                rule = sensorRule(source, SensorRule.Mode.LEVEL);
            } else if (kind.equals(COVERAGE_LOW)) {
                unknownFields(COVERAGE_FIELDS);
                rule = coverage(source);
            } else {
                error("kind", "'" + kind + "' is not a rule kind (" + KINDS + ")");
            }
            return errors.size() == before ? Optional.ofNullable(rule) : Optional.empty();
        }

        private ThresholdRule threshold(String source) {
            Metric metric = choice("metric", null, Metric::byId, Metric.ids());
            ZoneKind zoneKind = choice("zone_kind", null, ZoneKind::byId, "h3, district, city");
            Duration window = duration("window", null);
            Statistic statistic = choice("statistic", null, Statistic::byId, Statistic.ids());
            List<Level> levels = levels(node, "");
            Double clearBelow = clearBelow(node, "", levels);
            int raiseAfter = windows("raise_after");
            int clearAfter = windows("clear_after");
            int flapLimit = 0;
            JsonNode flap = node.get("flap_limit");
            if (flap != null) {
                if (!flap.isIntegralNumber() || flap.asInt() < 0 || flap.asInt() > MAX_WINDOWS) {
                    error(
                            "flap_limit",
                            "expected episodes per hour from 0 (off) to "
                                    + MAX_WINDOWS
                                    + ", got "
                                    + flap);
                } else {
                    flapLimit = flap.asInt();
                }
            }
            int rollupCells = 0;
            JsonNode rollup = node.get("rollup_cells");
            if (rollup != null) {
                if (zoneKind != null && zoneKind != ZoneKind.H3) {
                    error("rollup_cells", "only for zone_kind h3 (cells roll up into districts)");
                } else if (!rollup.isIntegralNumber()
                        || rollup.asInt() < 2
                        || rollup.asInt() > MAX_WINDOWS) {
                    error(
                            "rollup_cells",
                            "expected a number of cells from 2 to "
                                    + MAX_WINDOWS
                                    + ", got "
                                    + rollup);
                } else {
                    rollupCells = rollup.asInt();
                }
            }
            String title = text("title", "");
            String standard = text("standard", "");
            if (errors.size() > before || levels.isEmpty()) {
                return null;
            }
            return new ThresholdRule(
                    name,
                    title.isBlank()
                            ? metric.id()
                                    + " "
                                    + ZoneAggregate.windowLabel(window.toMillis())
                                    + " "
                                    + statistic.id()
                            : title,
                    metric,
                    zoneKind,
                    window.toMillis(),
                    statistic,
                    levels,
                    clearBelow,
                    raiseAfter,
                    clearAfter,
                    standard,
                    source,
                    flapLimit,
                    rollupCells);
        }

        private SensorRule sensorRule(String source, SensorRule.Mode mode) {
            Metric metric = choice("metric", null, Metric::byId, Metric.ids());
            boolean rise = mode == SensorRule.Mode.RISE;
            Duration within = rise ? duration("within", DEFAULT_RISE_SPAN) : Duration.ZERO;
            int minReadings = DEFAULT_MIN_READINGS;
            if (rise && node.has("min_readings")) {
                JsonNode v = node.get("min_readings");
                if (!v.isIntegralNumber() || v.asInt() < 2 || v.asInt() > 1_000) {
                    error("min_readings", "expected a whole number from 2 to 1000, got " + v);
                } else {
                    minReadings = v.asInt();
                }
            }
            List<Level> levels = levels(node, "");
            Double clearBelow = clearBelow(node, "", levels);
            Map<String, SensorRule.Gauge> gauges = new LinkedHashMap<>();
            JsonNode g = node.get("gauges");
            if (g != null && !g.isObject()) {
                error("gauges", "expected sensor ids with their levels and clear_below");
            } else if (g != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String prefix = "gauges." + e.getKey() + ".";
                    JsonNode gauge = e.getValue();
                    if (!gauge.isObject()) {
                        error("gauges." + e.getKey(), "expected levels and clear_below");
                        continue;
                    }
                    for (Iterator<String> f = gauge.fieldNames(); f.hasNext(); ) {
                        String field = f.next();
                        if (!GAUGE_FIELDS.contains(field)) {
                            error(
                                    prefix + field,
                                    "unknown field for a gauge (levels, clear_below)");
                        }
                    }
                    List<Level> own = levels(gauge, prefix);
                    Double ownClear = clearBelow(gauge, prefix, own);
                    if (!own.isEmpty() && ownClear != null) {
                        gauges.put(e.getKey(), new SensorRule.Gauge(own, ownClear));
                    }
                }
            }
            String title = text("title", "");
            String standard = text("standard", "");
            if (errors.size() > before || levels.isEmpty()) {
                return null;
            }
            return new SensorRule(
                    name,
                    mode,
                    title.isBlank() ? metric.id() + (rise ? " rise" : "") : title,
                    metric,
                    within.toMillis(),
                    minReadings,
                    levels,
                    clearBelow,
                    gauges,
                    standard,
                    source);
        }

        /** The clear level at {@code prefix + "clear_below"}: at most the lowest level. */
        private Double clearBelow(JsonNode at, String prefix, List<Level> levels) {
            JsonNode v = at.get("clear_below");
            String field = prefix + "clear_below";
            if (v == null) {
                error(field, "required, a number");
                return null;
            }
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                error(field, "expected a number, got " + v);
                return null;
            }
            double clear = v.asDouble();
            if (!levels.isEmpty() && clear > levels.get(0).value()) {
                error(
                        field,
                        clear
                                + " is above the lowest level ("
                                + levels.get(0).value()
                                + "): an alert would clear while still above it");
            }
            return clear;
        }

        private CoverageRule coverage(String source) {
            Metric metric = choice("metric", null, Metric::byId, Metric.ids());
            JsonNode share = node.get("min_share");
            double minShare = 0;
            if (share == null
                    || !share.isNumber()
                    || share.asDouble() <= 0
                    || share.asDouble() > 1) {
                error("min_share", "required, a share above 0 and at most 1, got " + share);
            } else {
                minShare = share.asDouble();
            }
            Duration after = duration("after", DEFAULT_SILENCE);
            Severity severity =
                    choice("severity", Severity.MODERATE.id(), Severity::byId, Severity.ids());
            if (errors.size() > before) {
                return null;
            }
            return new CoverageRule(name, metric, minShare, after.toMillis(), severity, source);
        }

        private SilentSensorRule silent(String source) {
            Metric metric =
                    node.has("metric") ? choice("metric", null, Metric::byId, Metric.ids()) : null;
            Duration after = duration("after", DEFAULT_SILENCE);
            if (after != null && after.toMillis() < 1_000) {
                error("after", "at least 1s");
            } else if (after != null && after.toMillis() >= AlertRule.HEARD_WITHIN_MILLIS) {
                // Such a rule could never raise: the sensor would be forgotten first.
                error("after", "less than 24h (a sensor not heard for 24 h is no longer watched)");
            }
            Severity severity =
                    choice("severity", Severity.MINOR.id(), Severity::byId, Severity.ids());
            if (errors.size() > before) {
                return null;
            }
            return new SilentSensorRule(name, metric, after.toMillis(), severity, source);
        }

        /** {@code levels: {moderate: 75, severe: 150}}: severities rise with the values. */
        private List<Level> levels(JsonNode at, String prefix) {
            JsonNode levels = at.get("levels");
            if (levels == null || !levels.isObject() || levels.isEmpty()) {
                error(
                        prefix + "levels",
                        "required, e.g. {moderate: 75, severe: 150}, severities " + Severity.ids());
                return List.of();
            }
            List<Level> found = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = levels.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Optional<Severity> severity = Severity.byId(e.getKey());
                if (severity.isEmpty()) {
                    error(
                            prefix + "levels." + e.getKey(),
                            "not a severity (" + Severity.ids() + ")");
                } else if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().asDouble())) {
                    error(
                            prefix + "levels." + e.getKey(),
                            "expected a number, got " + e.getValue());
                } else {
                    found.add(new Level(severity.get(), e.getValue().asDouble()));
                }
            }
            found.sort((a, b) -> a.severity().compareTo(b.severity()));
            for (int i = 1; i < found.size(); i++) {
                Level lower = found.get(i - 1);
                Level higher = found.get(i);
                if (higher.value() <= lower.value()) {
                    error(
                            prefix + "levels." + higher.severity().id(),
                            higher.value()
                                    + " must be above the "
                                    + lower.severity().id()
                                    + " level ("
                                    + lower.value()
                                    + "): a worse severity needs a higher value");
                }
            }
            return found;
        }

        private int windows(String field) {
            JsonNode v = node.get(field);
            if (v == null) {
                return 1;
            }
            if (!v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > MAX_WINDOWS) {
                error(
                        field,
                        "expected a whole number of windows from 1 to "
                                + MAX_WINDOWS
                                + ", got "
                                + v);
                return 1;
            }
            return v.asInt();
        }

        private Duration duration(String field, Duration fallback) {
            String v = text(field, fallback == null ? null : fallback.toString());
            if (v == null) {
                return null;
            }
            if (fallback != null && !node.has(field)) {
                return fallback;
            }
            try {
                List<Duration> d = ConfigOption.parseDurations(v);
                if (d.size() != 1 || d.get(0).isZero()) {
                    error(field, "expected one duration such as 10m or 1h, got '" + v + "'");
                    return null;
                }
                return d.get(0);
            } catch (IllegalArgumentException e) {
                error(field, "expected a duration such as 10m or 1h, got '" + v + "'");
                return null;
            }
        }

        private <T> T choice(
                String field, String fallback, Function<String, Optional<T>> byId, String allowed) {
            String v = text(field, fallback);
            if (v == null) {
                return null;
            }
            Optional<T> found = byId.apply(v);
            if (found.isEmpty()) {
                error(field, "'" + v + "' is not one of " + allowed);
                return null;
            }
            return found.get();
        }

        /** A string field; {@code fallback} when absent, or an error when that is null too. */
        private String text(String field, String fallback) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                if (fallback == null) {
                    error(field, "required");
                }
                return fallback;
            }
            if (!v.isTextual()) {
                error(field, "expected a string, got " + v);
                return null;
            }
            return v.asText().trim();
        }

        private void unknownFields(Set<String> allowed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!COMMON.contains(field) && !allowed.contains(field)) {
                    error(field, "unknown field for a " + text("kind", "") + " rule (typo?)");
                }
            }
        }

        private void error(String field, String message) {
            errors.add(where(name, field) + ": " + message);
        }
    }
}
