package org.smartcity.core.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.smartcity.core.Metric;

/**
 * The JSON form of an {@link Alert}, as DESIGN.md shows it: the value of a record in the alerts
 * topic (keyed by the alert id), and what the dashboard serves. Field names are snake case, times
 * RFC 3339 in UTC, {@code cleared_at} is {@code null} while the alert is active. A district roll-up
 * of cell alerts ({@link Alert#isRollup()}) also has {@code cells}, the array of its cells.
 */
public final class AlertJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private AlertJson() {}

    /** The alert as UTF-8 JSON. */
    public static byte[] encode(Alert a) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(512);
                JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", a.id());
            g.writeStringField("rule", a.rule());
            g.writeStringField("status", a.status().id());
            g.writeStringField("severity", a.severity().id());
            g.writeStringField("metric", a.metric().id());
            g.writeStringField("subject_kind", a.subjectKind().id());
            g.writeStringField("subject_id", a.subjectId());
            g.writeStringField("subject_name", a.subjectName());
            g.writeStringField("opened_at", time(a.openedAtMillis()));
            g.writeStringField("updated_at", time(a.updatedAtMillis()));
            if (a.clearedAtMillis() == null) {
                g.writeNullField("cleared_at");
            } else {
                g.writeStringField("cleared_at", time(a.clearedAtMillis()));
            }
            g.writeNumberField("value", a.value());
            g.writeNumberField("peak", a.peak());
            g.writeNumberField("threshold", a.threshold());
            g.writeStringField("unit", a.unit());
            g.writeStringField("message", a.message());
            g.writeNumberField("revision", a.revision());
            if (a.isRollup()) {
                g.writeArrayFieldStart("cells");
                for (String cell : a.cells()) {
                    g.writeString(cell);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode alert " + a.id(), e);
        }
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws IllegalArgumentException naming the field, for anything else
     */
    public static Alert decode(byte[] json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode cleared = n.get("cleared_at");
        return new Alert(
                text(n, "id"),
                text(n, "rule"),
                AlertStatus.byId(text(n, "status"))
                        .orElseThrow(() -> invalid("status", "active or cleared")),
                Severity.byId(text(n, "severity"))
                        .orElseThrow(() -> invalid("severity", Severity.ids())),
                Metric.byId(text(n, "metric")).orElseThrow(() -> invalid("metric", Metric.ids())),
                SubjectKind.byId(text(n, "subject_kind"))
                        .orElseThrow(() -> invalid("subject_kind", "h3, district, city, sensor")),
                text(n, "subject_id"),
                text(n, "subject_name"),
                millis(n, "opened_at"),
                millis(n, "updated_at"),
                cleared == null || cleared.isNull() ? null : millis(n, "cleared_at"),
                number(n, "value"),
                number(n, "peak"),
                number(n, "threshold"),
                text(n, "unit"),
                text(n, "message"),
                (int) number(n, "revision"),
                cells(n));
    }

    /** {@code cells}: absent (no roll-up) or an array of strings. */
    private static List<String> cells(JsonNode n) {
        JsonNode v = n.get("cells");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw invalid("cells", "an array of H3 cell addresses");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : v) {
            if (!c.isTextual()) {
                throw invalid("cells", "an array of H3 cell addresses");
            }
            out.add(c.asText());
        }
        return out;
    }

    /** An RFC 3339 UTC time, with milliseconds only where they are not zero. */
    public static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw invalid(field, "a string");
        }
        return v.asText();
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw invalid(field, "a number");
        }
        return v.asDouble();
    }

    private static long millis(JsonNode n, String field) {
        try {
            return Instant.parse(text(n, field)).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw invalid(field, "an RFC 3339 time");
        }
    }

    private static IllegalArgumentException invalid(String field, String expected) {
        return new IllegalArgumentException("field '" + field + "': expected " + expected);
    }
}
