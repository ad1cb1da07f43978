package org.smartcity.core.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.smartcity.core.validation.TestPayloads.CLOCK;
import static org.smartcity.core.validation.TestPayloads.TOPIC;
import static org.smartcity.core.validation.TestPayloads.TS;
import static org.smartcity.core.validation.TestPayloads.array;
import static org.smartcity.core.validation.TestPayloads.minimal;
import static org.smartcity.core.validation.TestPayloads.pm25;
import static org.smartcity.core.validation.TestPayloads.reading;
import static org.smartcity.core.validation.TestPayloads.topic;
import static org.smartcity.core.validation.TestPayloads.utf8;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.smartcity.core.CityArea;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.RejectionReason;

class ReadingValidatorTest {
    private static final int LIMIT = ValidationPolicy.DEFAULT_MAX_PAYLOAD_BYTES;

    private final ReadingValidator validator =
            new ReadingValidator(ValidationPolicy.defaults(CityArea.KUNMING), CLOCK);

    static Stream<Arguments> validPayloads() {
        Reading example = reading(Metric.PM25, TS, 38.5, 1234L);
        return Stream.of(
                arguments("ts ISO-8601 in UTC", TOPIC, pm25(38.5), example),
                arguments(
                        "ts with a +08:00 offset",
                        TOPIC,
                        pm25(38.5).with("ts", "2026-11-24T12:59:00.250+08:00"),
                        example),
                arguments(
                        "ts as epoch milliseconds",
                        TOPIC,
                        pm25(38.5).with("ts", 1_795_496_340_250L),
                        example),
                arguments(
                        "sensorId and metric only in the topic",
                        TOPIC,
                        pm25(38.5).without("sensorId").without("metric"),
                        example),
                arguments(
                        "no seq",
                        TOPIC,
                        pm25(38.5).without("seq"),
                        reading(Metric.PM25, TS, 38.5, null)),
                arguments(
                        "seq null",
                        TOPIC,
                        pm25(38.5).withJson("seq", "null"),
                        reading(Metric.PM25, TS, 38.5, null)),
                arguments(
                        "seq 0",
                        TOPIC,
                        pm25(38.5).with("seq", 0),
                        reading(Metric.PM25, TS, 38.5, 0L)),
                arguments("no unit", TOPIC, pm25(38.5).without("unit"), example),
                arguments("unit alias µg/m³", TOPIC, pm25(38.5).with("unit", "µg/m³"), example),
                arguments(
                        "noise in dBA",
                        topic("noise"),
                        minimal(TS, 62.5).with("unit", "dBA"),
                        reading(Metric.NOISE, TS, 62.5, null)),
                arguments(
                        "noise in dB(A)",
                        topic("noise"),
                        minimal(TS, 62.5).with("unit", "dB(A)"),
                        reading(Metric.NOISE, TS, 62.5, null)),
                arguments(
                        "fields outside the contract ignored",
                        TOPIC,
                        pm25(38.5).with("battery", 3.7).withJson("firmware", "{\"v\":[1,2]}"),
                        example),
                arguments(
                        "value at the catalogue maximum",
                        TOPIC,
                        pm25(2000),
                        reading(Metric.PM25, TS, 2000, 1234L)),
                arguments(
                        "ts exactly 5 minutes ahead",
                        TOPIC,
                        pm25(38.5).with("ts", "2026-11-24T05:05:00Z"),
                        reading(Metric.PM25, "2026-11-24T05:05:00Z", 38.5, 1234L)),
                arguments(
                        "ts exactly 7 days old",
                        TOPIC,
                        pm25(38.5).with("ts", "2026-11-17T05:00:00Z"),
                        reading(Metric.PM25, "2026-11-17T05:00:00Z", 38.5, 1234L)),
                arguments(
                        "zero written with a huge negative exponent",
                        TOPIC,
                        pm25(38.5).withJson("value", "0.000e-400"),
                        reading(Metric.PM25, TS, 0, 1234L)),
                arguments(
                        "a tiny subnormal value is not an underflow",
                        TOPIC,
                        pm25(38.5).withJson("value", "4.9e-324"),
                        reading(Metric.PM25, TS, Double.MIN_VALUE, 1234L)),
                arguments(
                        "UTF-8 beyond ASCII in a field nobody reads",
                        TOPIC,
                        pm25(38.5).with("note", "昆明 µg/m³ 🌫"),
                        example),
                arguments("exactly 64 KiB", TOPIC, pm25(38.5).paddedTo(LIMIT), example));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPayloads")
    void acceptsAValidReading(
            String name, String topic, TestPayloads.Payload payload, Reading expected) {
        assertThat(validator.validate(topic, payload.bytes()))
                .containsExactly(new Verdict.Accepted(expected));
    }

    @Test
    void acceptsEveryReadingOfAGatewayArray() {
        String payload =
                array(
                        pm25(12.0).with("ts", "2026-11-24T04:58:00Z").with("seq", 1).json(),
                        pm25(13.5).with("ts", "2026-11-24T04:59:00Z").without("seq").json(),
                        pm25(15.25).with("ts", "2026-11-24T05:00:00Z").with("seq", 3).json());

        assertThat(validator.validate(TOPIC, utf8(payload)))
                .containsExactly(
                        new Verdict.Accepted(
                                reading(Metric.PM25, "2026-11-24T04:58:00Z", 12.0, 1L)),
                        new Verdict.Accepted(
                                reading(Metric.PM25, "2026-11-24T04:59:00Z", 13.5, null)),
                        new Verdict.Accepted(
                                reading(Metric.PM25, "2026-11-24T05:00:00Z", 15.25, 3L)));
    }

    static Stream<Arguments> badElements() {
        return Stream.of(
                arguments(
                        "out of range",
                        pm25(-1).json(),
                        RejectionReason.OUT_OF_RANGE,
                        "value -1.0 is outside [0.0, 2000.0] ug/m3 for pm25"),
                arguments(
                        "without a value",
                        pm25(38.5).without("value").json(),
                        RejectionReason.MISSING_FIELD,
                        "missing field(s): value"),
                arguments(
                        "a number",
                        "42",
                        RejectionReason.MALFORMED,
                        "array element is a number, not an object"),
                arguments(
                        "a string",
                        "\"pm25=38.5\"",
                        RejectionReason.MALFORMED,
                        "array element is a string, not an object"),
                arguments(
                        "an array",
                        "[38.5, 39.0]",
                        RejectionReason.MALFORMED,
                        "array element is an array, not an object"),
                arguments(
                        "null",
                        "null",
                        RejectionReason.MALFORMED,
                        "array element is null, not an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badElements")
    void rejectsOnlyTheBadElementOfAGatewayArrayWithItsOwnBytes(
            String name, String bad, RejectionReason reason, String detail) {
        // The first element's multi-byte unit checks that positions are counted in bytes.
        String first = pm25(12.0).with("unit", "µg/m³").json();
        String last = pm25(15.25).json();
        String payload = "[ " + first + " ,\n  " + bad + " , " + last + " ]";

        List<Verdict> verdicts = validator.validate(TOPIC, utf8(payload));

        assertThat(verdicts).hasSize(3);
        assertThat(verdicts.get(0))
                .isEqualTo(new Verdict.Accepted(reading(Metric.PM25, TS, 12.0, 1234L)));
        assertThat(verdicts.get(2))
                .isEqualTo(new Verdict.Accepted(reading(Metric.PM25, TS, 15.25, 1234L)));
        Verdict.Rejected rejected = rejected(verdicts.get(1));
        assertThat(rejected.elementIndex()).isEqualTo(1);
        assertThat(new String(rejected.original(), StandardCharsets.UTF_8)).isEqualTo(bad);
        assertThat(rejected.rejection().reason()).isEqualTo(reason);
        assertThat(rejected.rejection().detail()).isEqualTo("element 1: " + detail);
    }

    static Stream<Arguments> rejectedPayloads() {
        String valid = pm25(38.5).json();
        return Stream.of(
                // MALFORMED
                rejection(
                        "invalid JSON",
                        TOPIC,
                        utf8("{\"ts\":\"" + TS + "\",\"lat\":"),
                        RejectionReason.MALFORMED,
                        "not valid JSON: Unexpected end-of-input"),
                rejection(
                        "a number, not an object",
                        TOPIC,
                        utf8("42"),
                        RejectionReason.MALFORMED,
                        "expected a JSON object or an array of objects, found a number"),
                rejection(
                        "a string, not an object",
                        TOPIC,
                        utf8("\"pm25=38.5\""),
                        RejectionReason.MALFORMED,
                        "expected a JSON object or an array of objects, found a string"),
                rejection(
                        "empty payload",
                        TOPIC,
                        utf8(""),
                        RejectionReason.MALFORMED,
                        "empty payload"),
                rejection(
                        "empty array",
                        TOPIC,
                        utf8("[]"),
                        RejectionReason.MALFORMED,
                        "empty array: no readings"),
                rejection(
                        "invalid UTF-8",
                        TOPIC,
                        invalidUtf8(),
                        RejectionReason.MALFORMED,
                        "not valid JSON: Invalid UTF-8 start byte 0xff"),
                rejection(
                        "UTF-8 byte order mark",
                        TOPIC,
                        concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(valid)),
                        RejectionReason.MALFORMED,
                        "payload starts with a UTF-8 byte order mark; payloads must be UTF-8"
                                + " without one"),
                rejection(
                        "UTF-16 with a byte order mark",
                        TOPIC,
                        valid.getBytes(StandardCharsets.UTF_16),
                        RejectionReason.MALFORMED,
                        "payload starts with a UTF-16 byte order mark; payloads must be UTF-8"),
                rejection(
                        "UTF-16LE without a byte order mark",
                        TOPIC,
                        valid.getBytes(StandardCharsets.UTF_16LE),
                        RejectionReason.MALFORMED,
                        "NUL byte at offset 1: the payload looks like UTF-16 or UTF-32"),
                rejection(
                        "UTF-32 with a byte order mark",
                        TOPIC,
                        concat(
                                new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF},
                                valid.getBytes(Charset.forName("UTF-32BE"))),
                        RejectionReason.MALFORMED,
                        "payload starts with a UTF-32 byte order mark; payloads must be UTF-8"),
                rejection(
                        "UTF-32BE without a byte order mark",
                        TOPIC,
                        valid.getBytes(Charset.forName("UTF-32BE")),
                        RejectionReason.MALFORMED,
                        "NUL byte at offset 0: the payload looks like UTF-16 or UTF-32"),
                rejection(
                        "overlong UTF-8 in an ignored field",
                        TOPIC,
                        overlongUtf8(),
                        RejectionReason.MALFORMED,
                        "not valid UTF-8: byte 0xc0 at offset 6"),
                rejection(
                        "duplicate key",
                        TOPIC,
                        utf8(valid.substring(0, valid.length() - 1) + ",\"value\":3}"),
                        RejectionReason.MALFORMED,
                        "not valid JSON: Duplicate field 'value'"),
                rejection(
                        "duplicate key in a nested object",
                        TOPIC,
                        pm25(38.5).withJson("extra", "{\"a\":1,\"a\":2}").bytes(),
                        RejectionReason.MALFORMED,
                        "not valid JSON: Duplicate field 'a'"),
                rejection(
                        "trailing garbage",
                        TOPIC,
                        utf8(valid + " xyz"),
                        RejectionReason.MALFORMED,
                        "not valid JSON: Unrecognized token 'xyz'"),
                rejection(
                        "two JSON values",
                        TOPIC,
                        utf8(valid + " " + valid),
                        RejectionReason.MALFORMED,
                        "unexpected content after the JSON value"),
                // MISSING_FIELD
                rejection(
                        "no lat",
                        TOPIC,
                        pm25(38.5).without("lat").bytes(),
                        RejectionReason.MISSING_FIELD,
                        "missing field(s): lat"),
                rejection(
                        "value null",
                        TOPIC,
                        pm25(38.5).withJson("value", "null").bytes(),
                        RejectionReason.MISSING_FIELD,
                        "missing field(s): value"),
                rejection(
                        "empty object",
                        TOPIC,
                        utf8("{}"),
                        RejectionReason.MISSING_FIELD,
                        "missing field(s): ts, lat, lon, value"),
                // WRONG_TYPE
                rejection(
                        "value as a string",
                        TOPIC,
                        pm25(38.5).with("value", "38.5").bytes(),
                        RejectionReason.WRONG_TYPE,
                        "value must be a number, found the string \"38.5\""),
                rejection(
                        "boolean lat",
                        TOPIC,
                        pm25(38.5).with("lat", true).bytes(),
                        RejectionReason.WRONG_TYPE,
                        "lat must be a number, found true"),
                rejection(
                        "value a nested object",
                        TOPIC,
                        pm25(38.5).withJson("value", "{\"pm25\":38.5}").bytes(),
                        RejectionReason.WRONG_TYPE,
                        "value must be a number, found an object or array"),
                rejection(
                        "sensorId a number",
                        TOPIC,
                        pm25(38.5).with("sensorId", 42).bytes(),
                        RejectionReason.WRONG_TYPE,
                        "sensorId must be a string, found 42"),
                rejection(
                        "ts not a time",
                        TOPIC,
                        pm25(38.5).with("ts", "yesterday").bytes(),
                        RejectionReason.WRONG_TYPE,
                        "ts 'yesterday' is not ISO-8601 with an offset"),
                rejection(
                        "ts without an offset",
                        TOPIC,
                        pm25(38.5).with("ts", "2026-11-24T04:59:00").bytes(),
                        RejectionReason.WRONG_TYPE,
                        "ts '2026-11-24T04:59:00' is not ISO-8601 with an offset"),
                rejection(
                        "ts fractional epoch milliseconds",
                        TOPIC,
                        pm25(38.5).with("ts", 1_795_496_340_250.5).bytes(),
                        RejectionReason.WRONG_TYPE,
                        "ts must be an ISO-8601 string with offset or integer epoch milliseconds"),
                rejection(
                        "value overflowing a double",
                        TOPIC,
                        pm25(38.5).withJson("value", "1e400").bytes(),
                        RejectionReason.WRONG_TYPE,
                        "value must be a number, found 1e400, which overflows a double"),
                rejection(
                        "value underflowing to 0",
                        TOPIC,
                        pm25(38.5).withJson("value", "1e-400").bytes(),
                        RejectionReason.WRONG_TYPE,
                        "value must be a number, found 1e-400, which underflows a double to 0"),
                rejection(
                        "lat an integer beyond a double",
                        TOPIC,
                        pm25(38.5).withJson("lat", "1" + "0".repeat(400)).bytes(),
                        RejectionReason.WRONG_TYPE,
                        "lat must be a number, found 1"
                                + "0".repeat(39)
                                + "... (401 characters), which overflows a double"),
                rejection(
                        "negative lon underflowing",
                        TOPIC,
                        pm25(38.5).withJson("lon", "-0.5e-330").bytes(),
                        RejectionReason.WRONG_TYPE,
                        "lon must be a number, found -0.5e-330, which underflows a double to 0"),
                rejection(
                        "negative seq",
                        TOPIC,
                        pm25(38.5).with("seq", -1).bytes(),
                        RejectionReason.WRONG_TYPE,
                        "seq must be a non-negative integer, found -1"),
                rejection(
                        "fractional seq",
                        TOPIC,
                        pm25(38.5).with("seq", 12.5).bytes(),
                        RejectionReason.WRONG_TYPE,
                        "seq must be a non-negative integer, found 12.5"),
                // UNKNOWN_METRIC
                rejection(
                        "metric of the topic not in the catalogue",
                        topic("pm1"),
                        minimal(TS, 38.5).bytes(),
                        RejectionReason.UNKNOWN_METRIC,
                        "metric 'pm1' in the topic is not in the catalogue (" + Metric.ids() + ")"),
                // UNIT_MISMATCH
                rejection(
                        "unit not the catalogue's",
                        TOPIC,
                        pm25(38.5).with("unit", "mg/m3").bytes(),
                        RejectionReason.UNIT_MISMATCH,
                        "unit 'mg/m3' given, pm25 is measured in ug/m3"),
                // OUT_OF_RANGE
                rejection(
                        "humidity 101",
                        topic("humidity"),
                        minimal(TS, 101).bytes(),
                        RejectionReason.OUT_OF_RANGE,
                        "value 101.0 is outside [0.0, 100.0] % for humidity"),
                rejection(
                        "negative pm25",
                        TOPIC,
                        pm25(-0.5).bytes(),
                        RejectionReason.OUT_OF_RANGE,
                        "value -0.5 is outside [0.0, 2000.0] ug/m3 for pm25"),
                // BAD_COORDINATES
                rejection(
                        "lat 91",
                        TOPIC,
                        pm25(38.5).with("lat", 91).bytes(),
                        RejectionReason.BAD_COORDINATES,
                        "position (91.0, 102.7123) is not a WGS 84 latitude/longitude"),
                rejection(
                        "lon -181",
                        TOPIC,
                        pm25(38.5).with("lon", -181).bytes(),
                        RejectionReason.BAD_COORDINATES,
                        "position (25.0406, -181.0) is not a WGS 84 latitude/longitude"),
                rejection(
                        "(0, 0): no fix",
                        TOPIC,
                        pm25(38.5).with("lat", 0).with("lon", 0).bytes(),
                        RejectionReason.BAD_COORDINATES,
                        "position (0, 0) is what a receiver reports without a fix"),
                // OUT_OF_AREA
                rejection(
                        "in Beijing",
                        TOPIC,
                        pm25(38.5).with("lat", 39.9042).with("lon", 116.4074).bytes(),
                        RejectionReason.OUT_OF_AREA,
                        "position (39.9042, 116.4074) is outside the area of kunming"
                                + " (24.38,102.17,26.37,103.67)"),
                // FUTURE_TIMESTAMP
                rejection(
                        "5 minutes and 1 ms ahead",
                        TOPIC,
                        pm25(38.5).with("ts", "2026-11-24T05:05:00.001Z").bytes(),
                        RejectionReason.FUTURE_TIMESTAMP,
                        "ts 2026-11-24T05:05:00.001Z is more than PT5M ahead of the bridge clock"
                                + " 2026-11-24T05:00:00Z"),
                rejection(
                        "beyond the range of epoch milliseconds ahead",
                        TOPIC,
                        pm25(38.5).with("ts", "+999999999-01-01T00:00:00Z").bytes(),
                        RejectionReason.FUTURE_TIMESTAMP,
                        "ahead of the bridge clock 2026-11-24T05:00:00Z"),
                // STALE_TIMESTAMP
                rejection(
                        "7 days and 1 ms old",
                        TOPIC,
                        pm25(38.5).with("ts", "2026-11-17T04:59:59.999Z").bytes(),
                        RejectionReason.STALE_TIMESTAMP,
                        "ts 2026-11-17T04:59:59.999Z is older than PT168H before the bridge clock"
                                + " 2026-11-24T05:00:00Z"),
                rejection(
                        "beyond the range of epoch milliseconds behind",
                        TOPIC,
                        pm25(38.5).with("ts", "-999999999-01-01T00:00:00+08:00").bytes(),
                        RejectionReason.STALE_TIMESTAMP,
                        "before the bridge clock 2026-11-24T05:00:00Z"),
                // TOPIC_MISMATCH
                rejection(
                        "sensorId differs from the topic",
                        TOPIC,
                        pm25(38.5).with("sensorId", "km-pm25-0043").bytes(),
                        RejectionReason.TOPIC_MISMATCH,
                        "sensorId 'km-pm25-0043' in the payload differs from 'km-pm25-0042' in"
                                + " the topic"),
                rejection(
                        "metric differs from the topic",
                        TOPIC,
                        pm25(38.5).with("metric", "pm10").bytes(),
                        RejectionReason.TOPIC_MISMATCH,
                        "metric 'pm10' in the payload differs from 'pm25' in the topic"),
                rejection(
                        "city differs from the topic",
                        TOPIC,
                        pm25(38.5).with("city", "shanghai").bytes(),
                        RejectionReason.TOPIC_MISMATCH,
                        "city 'shanghai' in the payload differs from 'kunming' in the topic"),
                rejection(
                        "topic without a sensor id",
                        "city/kunming/pm25",
                        pm25(38.5).bytes(),
                        RejectionReason.TOPIC_MISMATCH,
                        "topic 'city/kunming/pm25' is not of the form"
                                + " city/{city}/{metric}/{sensorId}"),
                rejection(
                        "topic one level too deep",
                        TOPIC + "/pm25",
                        pm25(38.5).bytes(),
                        RejectionReason.TOPIC_MISMATCH,
                        "topic '" + TOPIC + "/pm25' is not of the form"),
                rejection(
                        "invalid sensor id in the topic",
                        "city/kunming/pm25/km pm25 #42",
                        pm25(38.5).without("sensorId").bytes(),
                        RejectionReason.TOPIC_MISMATCH,
                        "sensor id 'km pm25 #42' in the topic does not match [A-Za-z0-9._-]{1,64}"),
                rejection(
                        "topic of another city",
                        "city/beijing/pm25/km-pm25-0042",
                        minimal(TS, 38.5).bytes(),
                        RejectionReason.TOPIC_MISMATCH,
                        "city 'beijing' in the topic is not served here (this bridge serves"
                                + " 'kunming')"),
                rejection(
                        "gateway array on the topic of another city",
                        "city/beijing/pm25/km-pm25-0042",
                        utf8(array(minimal(TS, 38.5).json(), minimal(TS, 39.5).json())),
                        RejectionReason.TOPIC_MISMATCH,
                        "city 'beijing' in the topic is not served here"),
                // OVERSIZED
                rejection(
                        "64 KiB + 1",
                        TOPIC,
                        pm25(38.5).paddedTo(LIMIT + 1).bytes(),
                        RejectionReason.OVERSIZED,
                        "payload of 65537 bytes exceeds the limit of 65536"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedPayloads")
    void rejectsTheWholePayloadWithItsReasonAndOriginalBytes(
            String name, String topic, byte[] payload, RejectionReason reason, String detail) {
        List<Verdict> verdicts = validator.validate(topic, payload);

        assertThat(verdicts).hasSize(1);
        Verdict.Rejected rejected = rejected(verdicts.get(0));
        assertThat(rejected.rejection().reason()).isEqualTo(reason);
        assertThat(rejected.rejection().detail()).contains(detail);
        assertThat(rejected.elementIndex()).isEqualTo(-1);
        assertThat(rejected.original()).isEqualTo(payload);
    }

    /**
     * Every reason validation gives (UNDELIVERABLE is the bridge's, when Kafka refuses a record).
     */
    @Test
    void everyRejectionReasonHasACase() {
        assertThat(
                        rejectedPayloads()
                                .map(row -> (RejectionReason) row.get()[3])
                                .collect(
                                        Collectors.toCollection(
                                                () -> EnumSet.noneOf(RejectionReason.class))))
                .isEqualTo(EnumSet.complementOf(EnumSet.of(RejectionReason.UNDELIVERABLE)));
    }

    @Test
    void appliesTheLimitsOfItsPolicy() {
        var strict =
                new ReadingValidator(
                        new ValidationPolicy(
                                CityArea.KUNMING, Duration.ZERO, Duration.ofHours(1), 200),
                        CLOCK);

        assertThat(reasons(strict, pm25(38.5).with("ts", "2026-11-24T05:00:00.001Z")))
                .containsExactly(RejectionReason.FUTURE_TIMESTAMP);
        assertThat(reasons(strict, pm25(38.5).with("ts", "2026-11-24T03:59:59.999Z")))
                .containsExactly(RejectionReason.STALE_TIMESTAMP);
        assertThat(reasons(strict, pm25(38.5).paddedTo(201)))
                .containsExactly(RejectionReason.OVERSIZED);
        assertThat(strict.validate(TOPIC, pm25(38.5).with("ts", "2026-11-24T05:00:00Z").bytes()))
                .containsExactly(
                        new Verdict.Accepted(
                                reading(Metric.PM25, "2026-11-24T05:00:00Z", 38.5, 1234L)));
    }

    private static List<RejectionReason> reasons(
            ReadingValidator validator, TestPayloads.Payload payload) {
        return validator.validate(TOPIC, payload.bytes()).stream()
                .map(v -> rejected(v).rejection().reason())
                .toList();
    }

    private static Arguments rejection(
            String name, String topic, byte[] payload, RejectionReason reason, String detail) {
        return arguments(name, topic, payload, reason, detail);
    }

    /** The example payload with a byte that cannot start a UTF-8 sequence in the sensor id. */
    private static byte[] invalidUtf8() {
        byte[] bytes = pm25(38.5).with("sensorId", "km-pm25-00?2").bytes();
        bytes[new String(bytes, StandardCharsets.US_ASCII).indexOf('?')] = (byte) 0xFF;
        return bytes;
    }

    /** The example payload with a 2-byte overlong encoding of '/' in a field nobody reads. */
    private static byte[] overlongUtf8() {
        byte[] bytes = utf8("{\"x\":\"??\"," + pm25(38.5).json().substring(1));
        int at = new String(bytes, StandardCharsets.US_ASCII).indexOf('?');
        bytes[at] = (byte) 0xC0;
        bytes[at + 1] = (byte) 0xAF;
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static Verdict.Rejected rejected(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
        return (Verdict.Rejected) verdict;
    }
}
