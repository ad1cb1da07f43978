package org.smartcity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadingJsonTest {
    private static final String EXAMPLE_JSON =
            "{\"sensorId\":\"km-pm25-0042\",\"metric\":\"pm25\",\"city\":\"kunming\","
                    + "\"ts\":1795496400250,\"lat\":25.0406,\"lon\":102.7123,\"value\":38.5,"
                    + "\"unit\":\"ug/m3\",\"seq\":1234}";

    @Test
    void encodesTheCanonicalForm() {
        assertThat(json(ReadingJson.encode(TestReadings.example()))).isEqualTo(EXAMPLE_JSON);
    }

    @Test
    void leavesSeqOutWhenTheDeviceSendsNone() {
        Reading withoutSeq = TestReadings.at("2026-11-24T05:00:00.250Z", Metric.NOISE, 62.5, null);

        assertThat(json(ReadingJson.encode(withoutSeq)))
                .isEqualTo(
                        "{\"sensorId\":\"km-pm25-0042\",\"metric\":\"noise\",\"city\":\"kunming\","
                                + "\"ts\":1795496400250,\"lat\":25.0406,\"lon\":102.7123,"
                                + "\"value\":62.5,\"unit\":\"dB(A)\"}");
    }

    static Stream<Arguments> readings() {
        return Arrays.stream(Metric.values())
                .flatMap(
                        metric ->
                                Stream.of(
                                        TestReadings.at(
                                                "2026-11-24T05:00:00.250Z",
                                                metric,
                                                metric.minValue(),
                                                null),
                                        TestReadings.at(
                                                "2026-11-17T05:00:00Z",
                                                metric,
                                                metric.maxValue(),
                                                0L),
                                        TestReadings.at(
                                                "2026-11-24T04:59:59.999Z",
                                                metric,
                                                (metric.minValue() + metric.maxValue()) / 3,
                                                Long.MAX_VALUE)))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("readings")
    void roundTrips(Reading reading) {
        assertThat(ReadingJson.decode(ReadingJson.encode(reading))).isEqualTo(reading);
    }

    @Test
    void decodesFieldsInAnyOrderAndIgnoresOthers() {
        String reordered =
                "{\"seq\":1234,\"firmware\":{\"v\":[1,2]},\"value\":38.5,\"lon\":102.7123,"
                        + "\"lat\":25.0406,\"ts\":1795496400250,\"city\":\"kunming\","
                        + "\"metric\":\"pm25\",\"sensorId\":\"km-pm25-0042\"}";

        assertThat(ReadingJson.decode(utf8(reordered))).isEqualTo(TestReadings.example());
    }

    static Stream<Arguments> notCanonical() {
        return Stream.of(
                arguments("empty", "", "not a JSON object"),
                arguments("an array", "[" + EXAMPLE_JSON + "]", "not a JSON object"),
                arguments("truncated", EXAMPLE_JSON.substring(0, 40), "not a canonical reading"),
                arguments("no ts", without("\"ts\":1795496400250,"), "a field is missing"),
                arguments("no city", without("\"city\":\"kunming\","), "a field is missing"),
                arguments("no lat", without("\"lat\":25.0406,"), "a field is missing"),
                arguments("no value", without("\"value\":38.5,"), "a field is missing"),
                arguments(
                        "ts as ISO-8601",
                        replace("1795496400250", "\"2026-11-24T05:00:00.250Z\""),
                        "not a canonical reading"),
                arguments(
                        "value as a string",
                        replace("38.5", "\"38.5\""),
                        "not a canonical reading"),
                arguments(
                        "sensorId null",
                        replace("\"km-pm25-0042\"", "null"),
                        "not a canonical reading"),
                arguments("unknown metric", replace("\"pm25\"", "\"pm1\""), "unknown metric pm1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notCanonical")
    void rejectsWhatIsNotACanonicalReading(String name, String json, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ReadingJson.decode(utf8(json)))
                .withMessageContaining(message);
    }

    private static String without(String field) {
        return replace(field, "");
    }

    private static String replace(String part, String replacement) {
        assertThat(EXAMPLE_JSON).contains(part);
        return EXAMPLE_JSON.replace(part, replacement);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String json(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
