package org.smartcity.core.validation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;

/**
 * Readable test data for the validator: one valid PM2.5 reading of the contract's example sensor,
 * varied one field at a time, and the {@link Reading} it should become.
 */
final class TestPayloads {
    /** The bridge's clock in every test. */
    static final Instant NOW = Instant.parse("2026-11-24T05:00:00Z");

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final String CITY = "kunming";
    static final String SENSOR = "km-pm25-0042";
    static final String TOPIC = "city/kunming/pm25/km-pm25-0042";

    /** A minute before {@link #NOW}: what the example payloads are stamped with. */
    static final String TS = "2026-11-24T04:59:00.250Z";

    /** A point in central Kunming. */
    static final double LAT = 25.0406;

    static final double LON = 102.7123;

    private TestPayloads() {}

    /** A valid PM2.5 payload with every field of the contract, stamped {@link #TS}. */
    static Payload pm25(double value) {
        return new Payload()
                .with("sensorId", SENSOR)
                .with("metric", "pm25")
                .with("ts", TS)
                .with("lat", LAT)
                .with("lon", LON)
                .with("value", value)
                .with("unit", "ug/m3")
                .with("seq", 1234);
    }

    /** A valid payload of another metric on {@link #topic(String)}: no unit, no seq. */
    static Payload minimal(String ts, double value) {
        return new Payload().with("ts", ts).with("lat", LAT).with("lon", LON).with("value", value);
    }

    /** The topic of the example sensor for a metric id (which may not be in the catalogue). */
    static String topic(String metric) {
        return "city/" + CITY + "/" + metric + "/" + SENSOR;
    }

    /** The reading the validator should produce for a payload of the example sensor. */
    static Reading reading(Metric metric, String ts, double value, Long seq) {
        return new Reading(
                SENSOR, metric, CITY, Instant.parse(ts).toEpochMilli(), LAT, LON, value, seq);
    }

    /** A gateway's array of elements, each given as its JSON text. */
    static String array(String... elements) {
        return Arrays.stream(elements).collect(Collectors.joining(",", "[", "]"));
    }

    static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON object built field by field, in order; each change returns a new payload. */
    static final class Payload {
        private final Map<String, String> fields;

        private Payload() {
            this(new LinkedHashMap<>());
        }

        private Payload(Map<String, String> fields) {
            this.fields = fields;
        }

        /** Sets a field to a string, number or boolean. */
        Payload with(String name, Object value) {
            return withJson(
                    name, value instanceof String s ? '"' + s + '"' : String.valueOf(value));
        }

        /** Sets a field to raw JSON text, such as {@code null} or a nested object. */
        Payload withJson(String name, String json) {
            Map<String, String> copy = new LinkedHashMap<>(fields);
            copy.put(name, json);
            return new Payload(copy);
        }

        Payload without(String name) {
            Map<String, String> copy = new LinkedHashMap<>(fields);
            copy.remove(name);
            return new Payload(copy);
        }

        /** Pads the payload with an ignored field to exactly {@code size} bytes of UTF-8. */
        Payload paddedTo(int size) {
            int unpadded = with("padding", "").bytes().length;
            return with("padding", "x".repeat(size - unpadded));
        }

        String json() {
            return fields.entrySet().stream()
                    .map(e -> '"' + e.getKey() + "\":" + e.getValue())
                    .collect(Collectors.joining(",", "{", "}"));
        }

        byte[] bytes() {
            return utf8(json());
        }

        @Override
        public String toString() {
            return json();
        }
    }
}
