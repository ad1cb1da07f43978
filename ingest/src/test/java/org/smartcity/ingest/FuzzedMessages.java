package org.smartcity.ingest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.smartcity.core.Metric;
import org.smartcity.core.RejectionReason;

/**
 * A seeded generator of hostile and unlucky MQTT messages, each with what must come of every one of
 * its readings: mutated valid readings, random bytes, deep nesting, huge and tiny numbers, wrong
 * encodings, wrong topics, gateway arrays mixing good and bad elements, oversized payloads.
 *
 * <p>The expectation comes from how a message was built (which one fault was put in), never from
 * the validator. Message {@code n} is about sensor {@code fz-n} only, and an accepted element of it
 * carries {@code seq} = its index, so every element has an identity in either topic.
 */
final class FuzzedMessages {
    /** Readings are stamped near the bridge's clock; the city's area, well inside its bbox. */
    private static final double MIN_LAT = 24.9, MAX_LAT = 25.1, MIN_LON = 102.6, MAX_LON = 102.8;

    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");

    /**
     * One message and what must come of it.
     *
     * @param expected one entry per element (or one for a payload rejected as a whole), from {@link
     *     #accepted} and {@link #rejected}
     */
    record Message(String topic, byte[] payload, List<String> expected) {}

    /** The identity of an accepted element in the readings topic. */
    static String accepted(String sensorId, long seq) {
        return "accepted " + sensorId + " seq " + seq;
    }

    /** The identity of a dead letter: MQTT topic, element index ({@code -1}: whole) and reason. */
    static String rejected(String mqttTopic, int elementIndex, RejectionReason reason) {
        return "rejected " + mqttTopic + " [" + elementIndex + "] " + reason;
    }

    /** A fault put into one otherwise valid reading, and the reason it must get. */
    private enum Fault {
        MISSING_TS(RejectionReason.MISSING_FIELD),
        MISSING_VALUE(RejectionReason.MISSING_FIELD),
        NULL_LAT(RejectionReason.MISSING_FIELD),
        VALUE_STRING(RejectionReason.WRONG_TYPE),
        VALUE_NESTED(RejectionReason.WRONG_TYPE),
        VALUE_DEEPLY_NESTED(RejectionReason.WRONG_TYPE),
        VALUE_OVERFLOWS(RejectionReason.WRONG_TYPE),
        VALUE_UNDERFLOWS(RejectionReason.WRONG_TYPE),
        LAT_HUGE_INTEGER(RejectionReason.WRONG_TYPE),
        TS_GARBAGE(RejectionReason.WRONG_TYPE),
        SEQ_NEGATIVE(RejectionReason.WRONG_TYPE),
        VALUE_TOO_HIGH(RejectionReason.OUT_OF_RANGE),
        VALUE_1E300(RejectionReason.OUT_OF_RANGE),
        WRONG_UNIT(RejectionReason.UNIT_MISMATCH),
        LAT_OFF_GLOBE(RejectionReason.BAD_COORDINATES),
        NO_FIX(RejectionReason.BAD_COORDINATES),
        IN_BEIJING(RejectionReason.OUT_OF_AREA),
        AN_HOUR_AHEAD(RejectionReason.FUTURE_TIMESTAMP),
        EIGHT_DAYS_OLD(RejectionReason.STALE_TIMESTAMP),
        OTHER_SENSOR(RejectionReason.TOPIC_MISMATCH),
        OTHER_METRIC(RejectionReason.TOPIC_MISMATCH),
        OTHER_CITY(RejectionReason.TOPIC_MISMATCH);

        final RejectionReason reason;

        Fault(RejectionReason reason) {
            this.reason = reason;
        }
    }

    private final Random random;
    private final Instant now;
    private final String city;

    FuzzedMessages(long seed, Instant now, String city) {
        this.random = new Random(seed);
        this.now = now;
        this.city = city;
    }

    /** Message number {@code n}. */
    Message next(int n) {
        String sensor = String.format(Locale.ROOT, "fz-%05d", n);
        Metric metric = Metric.values()[random.nextInt(Metric.values().length)];
        String topic = "city/" + city + "/" + metric.id() + "/" + sensor;
        int kind = random.nextInt(100);
        if (kind < 25) {
            return new Message(
                    topic, utf8(valid(metric, sensor, 0).json()), List.of(accepted(sensor, 0)));
        }
        if (kind < 50) {
            return faulty(topic, metric, sensor);
        }
        if (kind < 58) {
            return new Message(topic, randomBytes(), whole(topic, RejectionReason.MALFORMED));
        }
        if (kind < 62) {
            return nested(topic, metric, sensor);
        }
        if (kind < 68) {
            return encoded(topic, metric, sensor);
        }
        if (kind < 72) {
            return broken(topic, metric, sensor);
        }
        if (kind < 82) {
            return wrongTopic(metric, sensor);
        }
        if (kind < 99) {
            return gatewayArray(topic, metric, sensor);
        }
        return oversized(topic, metric, sensor);
    }

    private Message faulty(String topic, Metric metric, String sensor) {
        Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
        return new Message(
                topic,
                utf8(withFault(valid(metric, sensor, 0), fault, metric).json()),
                whole(topic, fault.reason));
    }

    /** Deep nesting: beyond the parser's limit (the whole payload), or within it. */
    private Message nested(String topic, Metric metric, String sensor) {
        int depth = 10 + random.nextInt(40);
        String shallow = "[".repeat(depth) + "1" + "]".repeat(depth);
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        return switch (random.nextInt(4)) {
            case 0 ->
                    new Message(
                            topic,
                            utf8(valid(metric, sensor, 0).raw("extra", shallow).json()),
                            List.of(accepted(sensor, 0)));
            case 1 ->
                    new Message(
                            topic,
                            utf8(valid(metric, sensor, 0).raw("value", shallow).json()),
                            whole(topic, RejectionReason.WRONG_TYPE));
            case 2 ->
                    new Message(
                            topic,
                            utf8(valid(metric, sensor, 0).raw("extra", deep).json()),
                            whole(topic, RejectionReason.MALFORMED));
            default -> new Message(topic, utf8(deep), whole(topic, RejectionReason.MALFORMED));
        };
    }

    /** A valid reading in anything but plain UTF-8. */
    private Message encoded(String topic, Metric metric, String sensor) {
        String json = valid(metric, sensor, 0).json();
        byte[] bytes =
                switch (random.nextInt(6)) {
                    case 0 ->
                            concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(json));
                    case 1 -> json.getBytes(StandardCharsets.UTF_16); // big endian, with a BOM
                    case 2 -> json.getBytes(StandardCharsets.UTF_16LE);
                    case 3 -> json.getBytes(StandardCharsets.UTF_16BE);
                    case 4 -> json.getBytes(UTF_32BE);
                    default ->
                            // Latin-1 in a field nobody reads: not UTF-8.
                            valid(metric, sensor, 0)
                                    .raw("place", "\"Kunming Dianchi lake café\"")
                                    .json()
                                    .getBytes(StandardCharsets.ISO_8859_1);
                };
        return new Message(topic, bytes, whole(topic, RejectionReason.MALFORMED));
    }

    /** JSON cut short, or with a key twice. */
    private Message broken(String topic, Metric metric, String sensor) {
        String json = valid(metric, sensor, 0).json();
        String payload =
                random.nextBoolean()
                        ? json.substring(0, 1 + random.nextInt(json.length() - 1))
                        : json.substring(0, json.length() - 1) + ",\"lat\":25.0}";
        return new Message(topic, utf8(payload), whole(topic, RejectionReason.MALFORMED));
    }

    /** A valid payload on a topic of the wrong shape, of another city or with a bad sensor id. */
    private Message wrongTopic(Metric metric, String sensor) {
        String good = "city/" + city + "/" + metric.id() + "/";
        String topic;
        RejectionReason reason = RejectionReason.TOPIC_MISMATCH;
        switch (random.nextInt(7)) {
            case 0 -> topic = good + sensor + "/extra";
            case 1 -> topic = "city/" + city + "/" + sensor;
            case 2 -> topic = "city/" + sensor;
            case 3 -> topic = "city/atlantis/" + metric.id() + "/" + sensor;
            case 4 -> topic = good + sensor.replace('-', ' ') + "!";
            case 5 -> topic = good + sensor + "-" + "x".repeat(64);
            default -> {
                topic = "city/" + city + "/radon/" + sensor;
                reason = RejectionReason.UNKNOWN_METRIC;
            }
        }
        Reading reading = valid(metric, sensor, 0).without("sensorId").without("metric");
        String payload =
                random.nextInt(3) == 0
                        ? "[" + reading.json() + "," + reading.json() + "]"
                        : reading.json();
        return new Message(topic, utf8(payload), whole(topic, reason));
    }

    /** A gateway's array: good elements, faulty ones and non-objects, each judged on its own. */
    private Message gatewayArray(String topic, Metric metric, String sensor) {
        int size = 1 + random.nextInt(8);
        List<String> elements = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int pick = random.nextInt(10);
            if (pick < 6) {
                elements.add(valid(metric, sensor, i).json());
                expected.add(accepted(sensor, i));
            } else if (pick < 9) {
                Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
                elements.add(withFault(valid(metric, sensor, i), fault, metric).json());
                expected.add(rejected(topic, i, fault.reason));
            } else {
                elements.add(
                        List.of("42", "\"pm25=3\"", "null", "[1,2]", "true")
                                .get(random.nextInt(5)));
                expected.add(rejected(topic, i, RejectionReason.MALFORMED));
            }
        }
        if (random.nextInt(20) == 0) {
            // A key twice in one element spoils the whole payload.
            int i = random.nextInt(size);
            elements.set(i, valid(metric, sensor, i).json().replace("{", "{\"lon\":102.7,"));
            expected = whole(topic, RejectionReason.MALFORMED);
        }
        return new Message(topic, utf8("[" + String.join(",", elements) + "]"), expected);
    }

    private Message oversized(String topic, Metric metric, String sensor) {
        String json = valid(metric, sensor, 0).json();
        int size = 65 * 1024 + random.nextInt(85 * 1024);
        byte[] payload = utf8(json + " ".repeat(size - json.length()));
        return new Message(topic, payload, whole(topic, RejectionReason.OVERSIZED));
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[1 + random.nextInt(2_048)];
        random.nextBytes(bytes);
        // Anything but the start of an object or array: those could, in theory, be valid.
        while (bytes[0] == '{' || bytes[0] == '[' || Character.isWhitespace(bytes[0])) {
            bytes[0] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** A valid reading of the metric, with optional fields present or not at random. */
    private Reading valid(Metric metric, String sensor, long seq) {
        Reading r = new Reading();
        if (random.nextBoolean()) {
            r.string("sensorId", sensor);
        }
        if (random.nextBoolean()) {
            r.string("metric", metric.id());
        }
        Instant ts = now.minusMillis(random.nextInt(60_000));
        if (random.nextInt(10) < 7) {
            r.string("ts", ts.toString());
        } else {
            r.raw("ts", Long.toString(ts.toEpochMilli()));
        }
        r.raw("lat", Double.toString(MIN_LAT + (MAX_LAT - MIN_LAT) * random.nextDouble()));
        r.raw("lon", Double.toString(MIN_LON + (MAX_LON - MIN_LON) * random.nextDouble()));
        double span = metric.maxValue() - metric.minValue();
        r.raw(
                "value",
                Double.toString(metric.minValue() + span * (0.01 + 0.98 * random.nextDouble())));
        if (random.nextBoolean()) {
            r.string("unit", metric.unit());
        }
        r.raw("seq", Long.toString(seq));
        if (random.nextInt(5) == 0) {
            r.raw("battery", "{\"v\":3.7,\"cells\":[1,2,{\"ok\":true}]}");
        }
        return r;
    }

    private Reading withFault(Reading r, Fault fault, Metric metric) {
        return switch (fault) {
            case MISSING_TS -> r.without("ts");
            case MISSING_VALUE -> r.without("value");
            case NULL_LAT -> r.raw("lat", "null");
            case VALUE_STRING -> r.string("value", "12.5");
            case VALUE_NESTED -> r.raw("value", "{\"v\":12.5}");
            case VALUE_DEEPLY_NESTED -> r.raw("value", "[".repeat(100) + "]".repeat(100));
            case VALUE_OVERFLOWS -> r.raw("value", "1e400");
            case VALUE_UNDERFLOWS -> r.raw("value", "1e-400");
            case LAT_HUGE_INTEGER -> r.raw("lat", "25" + "0".repeat(400));
            case TS_GARBAGE -> r.string("ts", "yesterday");
            case SEQ_NEGATIVE -> r.raw("seq", "-" + (1 + random.nextInt(1000)));
            case VALUE_TOO_HIGH ->
                    r.raw("value", Double.toString(metric.maxValue() + 1 + random.nextInt(1000)));
            case VALUE_1E300 -> r.raw("value", "1e300");
            case WRONG_UNIT -> r.string("unit", "furlongs");
            case LAT_OFF_GLOBE -> r.raw("lat", Double.toString(90.5 + random.nextInt(100)));
            case NO_FIX -> r.raw("lat", "0").raw("lon", "0.0");
            case IN_BEIJING -> r.raw("lat", "39.9042").raw("lon", "116.4074");
            case AN_HOUR_AHEAD -> r.string("ts", now.plus(Duration.ofHours(1)).toString());
            case EIGHT_DAYS_OLD -> r.string("ts", now.minus(Duration.ofDays(8)).toString());
            case OTHER_SENSOR -> r.string("sensorId", "someone-else");
            case OTHER_METRIC ->
                    r.string("metric", metric == Metric.PM25 ? "pm10" : Metric.PM25.id());
            case OTHER_CITY -> r.string("city", "atlantis");
        };
    }

    private static List<String> whole(String topic, RejectionReason reason) {
        return List.of(rejected(topic, -1, reason));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** A JSON object built field by field, from raw JSON values. */
    private static final class Reading {
        private final Map<String, String> fields = new LinkedHashMap<>();

        Reading raw(String name, String json) {
            fields.put(name, json);
            return this;
        }

        Reading string(String name, String value) {
            return raw(name, "\"" + value + "\"");
        }

        Reading without(String name) {
            fields.remove(name);
            return this;
        }

        String json() {
            return fields.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                    .collect(Collectors.joining(",", "{", "}"));
        }
    }
}
