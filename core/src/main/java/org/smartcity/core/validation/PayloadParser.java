package org.smartcity.core.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a payload (one JSON object, or a gateway's array of objects) into {@link RawReading}s,
 * remembering where each element starts and ends so a rejected element can be dead-lettered with
 * its own original bytes. Streaming, so a reading costs no intermediate tree.
 *
 * <p>Strict where the contract is: UTF-8 only (Jackson would otherwise detect UTF-16 and UTF-32 and
 * skip a byte order mark), no duplicate keys (which value would count?), and no number that a
 * double cannot hold (Jackson turns {@code 1e400} into infinity and {@code 1e-400} into 0).
 */
final class PayloadParser {
    /** The fields of the payload contract; anything else is ignored. */
    static final Set<String> FIELDS =
            Set.of("sensorId", "metric", "city", "ts", "lat", "lon", "value", "unit", "seq");

    private static final JsonFactory JSON =
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Longest piece of a number literal quoted in a detail. */
    private static final int LITERAL_SHOWN = 40;

    /** A payload that cannot be read as the contract's JSON at all. */
    static final class MalformedPayloadException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedPayloadException(String message) {
            super(message, null, false, false);
        }
    }

    /** One element of the payload: its fields, or why it is not an object. */
    record Element(RawReading fields, String notAnObject, int start, int end) {}

    private PayloadParser() {}

    /** Whether the payload was an array: its elements are numbered from 0 in dead letters. */
    record Parsed(boolean array, List<Element> elements) {}

    static Parsed parse(byte[] payload) throws MalformedPayloadException {
        checkNotOtherEncoding(payload);
        Parsed parsed = parseJson(payload);
        // After the JSON parse, whose messages are more precise for most bad bytes: this catches
        // what Jackson lets through (overlong forms, surrogates, bytes in skipped strings).
        checkUtf8(payload);
        return parsed;
    }

    /** Byte order marks, and the NUL bytes that make Jackson decode UTF-16 or UTF-32. */
    private static void checkNotOtherEncoding(byte[] b) throws MalformedPayloadException {
        if (startsWith(b, 0x00, 0x00, 0xFE, 0xFF) || startsWith(b, 0xFF, 0xFE, 0x00, 0x00)) {
            throw new MalformedPayloadException(
                    "payload starts with a UTF-32 byte order mark; payloads must be UTF-8");
        }
        if (startsWith(b, 0xFE, 0xFF) || startsWith(b, 0xFF, 0xFE)) {
            throw new MalformedPayloadException(
                    "payload starts with a UTF-16 byte order mark; payloads must be UTF-8");
        }
        if (startsWith(b, 0xEF, 0xBB, 0xBF)) {
            throw new MalformedPayloadException(
                    "payload starts with a UTF-8 byte order mark; payloads must be UTF-8 without"
                            + " one");
        }
        for (int i = 0; i < Math.min(4, b.length); i++) {
            if (b[i] == 0) {
                throw new MalformedPayloadException(
                        "NUL byte at offset "
                                + i
                                + ": the payload looks like UTF-16 or UTF-32; payloads must be"
                                + " UTF-8");
            }
        }
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static void checkUtf8(byte[] b) throws MalformedPayloadException {
        int i = 0;
        while (i < b.length && b[i] >= 0) {
            i++;
        }
        if (i == b.length) {
            return; // ASCII, the common case
        }
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(Math.min(b.length, 4096));
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new MalformedPayloadException(
                        String.format(
                                Locale.ROOT,
                                "not valid UTF-8: byte 0x%02x at offset %d",
                                b[in.position()] & 0xFF,
                                in.position()));
            }
            if (result.isUnderflow()) {
                return;
            }
            out.clear();
        }
    }

    private static Parsed parseJson(byte[] payload) throws MalformedPayloadException {
        try (JsonParser p = JSON.createParser(payload)) {
            JsonToken first = p.nextToken();
            Parsed parsed;
            if (first == JsonToken.START_OBJECT) {
                parsed = new Parsed(false, List.of(object(p)));
            } else if (first == JsonToken.START_ARRAY) {
                parsed = new Parsed(true, array(p));
            } else {
                throw new MalformedPayloadException(
                        first == null
                                ? "empty payload"
                                : "expected a JSON object or an array of objects, found "
                                        + describe(first));
            }
            if (p.nextToken() != null) {
                throw new MalformedPayloadException(
                        "unexpected content after the JSON value at byte " + offset(p));
            }
            return parsed;
        } catch (JsonProcessingException e) {
            throw new MalformedPayloadException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedPayloadException("unreadable payload: " + e.getMessage());
        }
    }

    private static List<Element> array(JsonParser p) throws IOException, MalformedPayloadException {
        List<Element> elements = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_OBJECT) {
                elements.add(object(p));
            } else {
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                // A string is read lazily: without this the offset is just past its opening quote.
                p.finishToken();
                int end = offset(p);
                elements.add(
                        new Element(
                                null,
                                "array element is " + describe(t) + ", not an object",
                                start,
                                end));
            }
        }
        if (elements.isEmpty()) {
            throw new MalformedPayloadException("empty array: no readings");
        }
        return elements;
    }

    private static Element object(JsonParser p) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        RawReading raw = new RawReading(start);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (!FIELDS.contains(name)) {
                p.skipChildren();
                continue;
            }
            raw.put(name, scalar(p, value));
        }
        int end = offset(p);
        raw.end(end);
        return new Element(raw, null, start, end);
    }

    private static Object scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(p);
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> RawReading.NULL;
            default -> {
                p.skipChildren();
                yield RawReading.NESTED;
            }
        };
    }

    /**
     * The number, or {@link RawReading.Unrepresentable} when a double cannot hold it: Jackson would
     * give infinity for {@code 1e400} and 0 for {@code 1e-400}, silently.
     */
    private static Object number(JsonParser p) throws IOException {
        Number n = p.getNumberValue();
        double d = n.doubleValue();
        if (Double.isInfinite(d)) {
            return new RawReading.Unrepresentable(shown(p.getText()), "overflows a double");
        }
        if (d == 0 && hasNonZeroDigit(p.getText())) {
            return new RawReading.Unrepresentable(shown(p.getText()), "underflows a double to 0");
        }
        return n;
    }

    /** Whether the significand (before any exponent) of a number literal has a digit 1-9. */
    private static boolean hasNonZeroDigit(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static String shown(String literal) {
        return literal.length() <= LITERAL_SHOWN
                ? literal
                : literal.substring(0, LITERAL_SHOWN) + "... (" + literal.length() + " characters)";
    }

    private static int offset(JsonParser p) {
        return (int) p.currentLocation().getByteOffset();
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
