package org.smartcity.core.validation;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.Rejection;
import org.smartcity.core.RejectionReason;
import org.smartcity.core.SensorTopic;
import org.smartcity.core.validation.PayloadParser.Element;
import org.smartcity.core.validation.PayloadParser.MalformedPayloadException;
import org.smartcity.core.validation.PayloadParser.Parsed;

/**
 * Turns an MQTT message (topic and payload) into readings or rejections with one of the contract's
 * reason codes. Stateless apart from the clock, and thread-safe.
 *
 * <p>Checks run from the cheapest and most fundamental to the most specific, so a payload gets the
 * reason an operator would look for first: size, JSON shape, topic, presence and types of fields,
 * agreement with the topic, then the meaning of the values.
 */
public final class ReadingValidator {
    private final ValidationPolicy policy;
    private final Clock clock;

    public ReadingValidator(ValidationPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ValidationPolicy policy() {
        return policy;
    }

    /**
     * Validates one message.
     *
     * @return one verdict per element, in payload order; a single verdict for an object or for a
     *     payload rejected as a whole
     */
    public List<Verdict> validate(String topic, byte[] payload) {
        if (payload.length > policy.maxPayloadBytes()) {
            return whole(
                    RejectionReason.OVERSIZED,
                    "payload of "
                            + payload.length
                            + " bytes exceeds the limit of "
                            + policy.maxPayloadBytes(),
                    payload);
        }
        SensorTopic address = SensorTopic.parse(topic);
        if (address == null) {
            return whole(
                    RejectionReason.TOPIC_MISMATCH,
                    "topic '" + topic + "' is not of the form city/{city}/{metric}/{sensorId}",
                    payload);
        }
        Parsed parsed;
        try {
            parsed = PayloadParser.parse(payload);
        } catch (MalformedPayloadException e) {
            return whole(RejectionReason.MALFORMED, e.getMessage(), payload);
        }
        Rejection topicProblem = checkTopic(address);
        if (topicProblem != null) {
            return whole(topicProblem.reason(), topicProblem.detail(), payload);
        }
        Metric metric = Metric.byId(address.metric()).orElseThrow();
        long now = clock.millis();
        if (!parsed.array()) {
            return List.of(verdict(parsed.elements().get(0), -1, address, metric, now, payload));
        }
        List<Verdict> verdicts = new ArrayList<>(parsed.elements().size());
        for (int i = 0; i < parsed.elements().size(); i++) {
            verdicts.add(verdict(parsed.elements().get(i), i, address, metric, now, payload));
        }
        return verdicts;
    }

    private Rejection checkTopic(SensorTopic address) {
        if (!address.city().equals(policy.area().city())) {
            return new Rejection(
                    RejectionReason.TOPIC_MISMATCH,
                    "city '"
                            + address.city()
                            + "' in the topic is not served here (this bridge serves '"
                            + policy.area().city()
                            + "')");
        }
        if (!address.hasValidSensorId()) {
            return new Rejection(
                    RejectionReason.TOPIC_MISMATCH,
                    "sensor id '"
                            + address.sensorId()
                            + "' in the topic does not match "
                            + SensorTopic.SENSOR_ID.pattern());
        }
        if (Metric.byId(address.metric()).isEmpty()) {
            return new Rejection(
                    RejectionReason.UNKNOWN_METRIC,
                    "metric '"
                            + address.metric()
                            + "' in the topic is not in the catalogue ("
                            + Metric.ids()
                            + ")");
        }
        return null;
    }

    private Verdict verdict(
            Element element,
            int index,
            SensorTopic address,
            Metric metric,
            long now,
            byte[] payload) {
        Object result =
                element.fields() == null
                        ? new Rejection(RejectionReason.MALFORMED, element.notAnObject())
                        : check(element.fields(), address, metric, now);
        if (result instanceof Reading reading) {
            return new Verdict.Accepted(reading);
        }
        Rejection rejection = (Rejection) result;
        if (index >= 0) {
            rejection =
                    new Rejection(
                            rejection.reason(), "element " + index + ": " + rejection.detail());
        }
        byte[] original =
                index < 0 ? payload : Arrays.copyOfRange(payload, element.start(), element.end());
        return new Verdict.Rejected(rejection, index, original);
    }

    /** Returns a {@link Reading} or a {@link Rejection}. */
    private Object check(RawReading raw, SensorTopic address, Metric metric, long now) {
        List<String> missing = new ArrayList<>(0);
        for (String field : new String[] {"ts", "lat", "lon", "value"}) {
            Object v = raw.get(field);
            if (v == null || v == RawReading.NULL) {
                missing.add(field);
            }
        }
        if (!missing.isEmpty()) {
            return new Rejection(
                    RejectionReason.MISSING_FIELD,
                    "missing field(s): " + String.join(", ", missing));
        }
        Rejection wrongType =
                firstOf(
                        expectString(raw, "sensorId"),
                        expectString(raw, "metric"),
                        expectString(raw, "city"),
                        expectString(raw, "unit"),
                        expectNumber(raw, "lat"),
                        expectNumber(raw, "lon"),
                        expectNumber(raw, "value"),
                        expectSequence(raw));
        if (wrongType != null) {
            return wrongType;
        }
        Object tsField = raw.get("ts");
        long ts;
        if (tsField instanceof Number n && isIntegral(n)) {
            ts = n.longValue();
        } else if (tsField instanceof String s) {
            try {
                ts = parseTimestamp(s);
            } catch (DateTimeParseException e) {
                return new Rejection(
                        RejectionReason.WRONG_TYPE,
                        "ts '"
                                + s
                                + "' is not ISO-8601 with an offset (e.g. 2026-11-24T05:00:00Z)");
            }
        } else {
            return new Rejection(
                    RejectionReason.WRONG_TYPE,
                    "ts must be an ISO-8601 string with offset or integer epoch milliseconds");
        }

        Rejection mismatch =
                firstOf(
                        agrees(raw, "sensorId", address.sensorId()),
                        agrees(raw, "metric", address.metric()),
                        agrees(raw, "city", address.city()));
        if (mismatch != null) {
            return mismatch;
        }
        if (raw.get("unit") instanceof String unit && !metric.acceptsUnit(unit)) {
            return new Rejection(
                    RejectionReason.UNIT_MISMATCH,
                    "unit '"
                            + unit
                            + "' given, "
                            + metric.id()
                            + " is measured in "
                            + metric.unit());
        }
        double lat = ((Number) raw.get("lat")).doubleValue();
        double lon = ((Number) raw.get("lon")).doubleValue();
        if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
            return new Rejection(
                    RejectionReason.BAD_COORDINATES,
                    "position (" + lat + ", " + lon + ") is not a WGS 84 latitude/longitude");
        }
        if (lat == 0 && lon == 0) {
            return new Rejection(
                    RejectionReason.BAD_COORDINATES,
                    "position (0, 0) is what a receiver reports without a fix");
        }
        if (!policy.area().contains(lat, lon)) {
            return new Rejection(
                    RejectionReason.OUT_OF_AREA,
                    "position ("
                            + lat
                            + ", "
                            + lon
                            + ") is outside the area of "
                            + policy.area().city()
                            + " ("
                            + policy.area().bbox()
                            + ")");
        }
        double value = ((Number) raw.get("value")).doubleValue();
        if (!metric.inRange(value)) {
            return new Rejection(
                    RejectionReason.OUT_OF_RANGE,
                    String.format(
                            Locale.ROOT,
                            "value %s is outside [%s, %s] %s for %s",
                            value,
                            metric.minValue(),
                            metric.maxValue(),
                            metric.unit(),
                            metric.id()));
        }
        if (ts > now + policy.maxFutureSkew().toMillis()) {
            return new Rejection(
                    RejectionReason.FUTURE_TIMESTAMP,
                    "ts "
                            + Instant.ofEpochMilli(ts)
                            + " is more than "
                            + policy.maxFutureSkew()
                            + " ahead of the bridge clock "
                            + Instant.ofEpochMilli(now));
        }
        if (ts < now - policy.maxAge().toMillis()) {
            return new Rejection(
                    RejectionReason.STALE_TIMESTAMP,
                    "ts "
                            + Instant.ofEpochMilli(ts)
                            + " is older than "
                            + policy.maxAge()
                            + " before the bridge clock "
                            + Instant.ofEpochMilli(now));
        }
        Long seq = raw.get("seq") instanceof Number n ? n.longValue() : null;
        return new Reading(address.sensorId(), metric, address.city(), ts, lat, lon, value, seq);
    }

    /** Parses ISO-8601 with an offset ({@code Z} or {@code +08:00}). */
    static long parseTimestamp(String s) {
        // Instant.parse is the fast path for the common 'Z' form.
        Instant instant =
                s.endsWith("Z") || s.endsWith("z")
                        ? Instant.parse(s)
                        : OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                                .toInstant();
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            // Beyond epoch milliseconds (some 292 million years away): saturate, so the reading
            // is rejected as future or stale instead of the overflow escaping the validator.
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static List<Verdict> whole(RejectionReason reason, String detail, byte[] payload) {
        return List.of(new Verdict.Rejected(new Rejection(reason, detail), -1, payload));
    }

    private static Rejection firstOf(Rejection... candidates) {
        for (Rejection r : candidates) {
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private static Rejection expectString(RawReading raw, String field) {
        Object v = raw.get(field);
        if (v == null || v == RawReading.NULL || v instanceof String) {
            return null;
        }
        return wrongType(field, "a string", v);
    }

    private static Rejection expectNumber(RawReading raw, String field) {
        Object v = raw.get(field);
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return null;
        }
        return wrongType(field, "a number", v);
    }

    private static Rejection expectSequence(RawReading raw) {
        Object v = raw.get("seq");
        if (v == null || v == RawReading.NULL) {
            return null;
        }
        if (v instanceof Number n && isIntegral(n) && n.longValue() >= 0) {
            return null;
        }
        return wrongType("seq", "a non-negative integer", v);
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
    }

    private static Rejection wrongType(String field, String expected, Object actual) {
        String found =
                actual == RawReading.NESTED
                        ? "an object or array"
                        : actual instanceof String s
                                ? "the string \"" + s + "\""
                                : String.valueOf(actual);
        return new Rejection(
                RejectionReason.WRONG_TYPE, field + " must be " + expected + ", found " + found);
    }

    private static Rejection agrees(RawReading raw, String field, String fromTopic) {
        if (raw.get(field) instanceof String s && !s.equals(fromTopic)) {
            return new Rejection(
                    RejectionReason.TOPIC_MISMATCH,
                    field
                            + " '"
                            + s
                            + "' in the payload differs from '"
                            + fromTopic
                            + "' in the topic");
        }
        return null;
    }
}
