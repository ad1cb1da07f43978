package org.smartcity.core.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of a request, decoded strictly. {@link HttpService} parses them before any
 * handler runs, so every service answers a malformed query with a 400 naming the parameter.
 *
 * <p>Strict where Jetty (and {@link java.net.URLDecoder}) are lenient, because leniency would hide
 * a mistake: a parameter may not be given twice (which of two values counts is a guess), a {@code
 * %} must be followed by two hexadecimal digits, and the bytes must be UTF-8 (RFC 3986), never
 * replaced by U+FFFD. The error descriptions say where the escape is wrong.
 */
public final class QueryParameters {
    private static final QueryParameters NONE = new QueryParameters(Map.of());

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses a raw (still percent-encoded) query string; null or empty for none.
     *
     * @throws io.javalin.http.HttpResponseException 400 naming the parameter whose name or value is
     *     not well-formed percent-encoded UTF-8, or that is given more than once
     */
    public static QueryParameters parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return NONE;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = decode(rawName, HttpErrors.echo(rawName));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
            if (values.putIfAbsent(name, value) != null) {
                throw HttpErrors.invalidParameter(name, "given more than once; give it once");
            }
        }
        return new QueryParameters(Collections.unmodifiableMap(values));
    }

    /** The value of a parameter, or null when it is absent. */
    public String get(String name) {
        return values.get(name);
    }

    /** The parameters' names, in the order given. */
    public Set<String> names() {
        return values.keySet();
    }

    /** The parameters in their order, for building links to other pages. */
    public Map<String, String> asMap() {
        return values;
    }

    /**
     * Rejects parameters not in {@code allowed} (OGC API Part 1 asks for a 400 rather than silently
     * ignoring, say, a misspelt {@code datetime}).
     *
     * @param where what the parameters were given to, for the description ({@code /api/live})
     */
    public void requireOnly(Set<String> allowed, String where) {
        for (String name : values.keySet()) {
            if (!allowed.contains(name)) {
                throw HttpErrors.invalidParameter(
                        name,
                        "unknown parameter for "
                                + where
                                + "; known: "
                                + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static String decode(String raw, String parameter) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0 && isAscii(raw)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = hex(raw, i + 1);
                int lo = hex(raw, i + 2);
                if (hi < 0 || lo < 0) {
                    throw HttpErrors.invalidParameter(
                            parameter,
                            "malformed percent-encoding at character "
                                    + (i + 1)
                                    + " (a % must be followed by two hexadecimal digits)");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // Jetty hands an unescaped non-ASCII target over decoded from UTF-8.
                int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
                byte[] utf8 = raw.substring(i, end).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i = end - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw HttpErrors.invalidParameter(parameter, "not valid UTF-8 once percent-decoded");
        }
    }

    /** The value of the ASCII hexadecimal digit at {@code i}, or -1. */
    private static int hex(String s, int i) {
        if (i >= s.length()) {
            return -1;
        }
        char c = s.charAt(i);
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
