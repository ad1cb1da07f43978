package org.smartcity.core.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a payload (one JSON object, or a gateway's array of objects) into {@link RawReading}s,
 * remembering where each element starts and ends so a rejected element can be dead-lettered with
 * its own original bytes. Streaming, so a reading costs no intermediate tree.
 */
final class PayloadParser {
    /** The fields of the payload contract; anything else is ignored. */
    static final Set<String> FIELDS =
            Set.of("sensorId", "metric", "city", "ts", "lat", "lon", "value", "unit", "seq");

    private static final JsonFactory JSON = new JsonFactory();

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
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> RawReading.NULL;
            default -> {
                p.skipChildren();
                yield RawReading.NESTED;
            }
        };
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
