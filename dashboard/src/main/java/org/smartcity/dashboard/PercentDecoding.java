package org.smartcity.dashboard;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict percent-decoding of a URI component to UTF-8 (RFC 3986), where {@link java.net.URLDecoder}
 * is lenient: a malformed escape or bytes that are not UTF-8 are errors, not replacement
 * characters.
 *
 * <p>The JDK's server hands over the request target with each byte as one character (ISO-8859-1),
 * so an unescaped non-ASCII byte is taken as that byte; characters above U+00FF (only from callers
 * that decoded already) are taken as their UTF-8 bytes.
 */
final class PercentDecoding {
    private PercentDecoding() {}

    /**
     * Decodes {@code raw}.
     *
     * @param plusIsSpace whether {@code +} means a space (query strings) or itself (paths)
     * @throws IllegalArgumentException saying what is wrong, fit to follow "parameter: "
     */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0) && isAscii(raw)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = hex(raw, i + 1);
                int lo = hex(raw, i + 2);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException(
                            "malformed percent-encoding at character "
                                    + (i + 1)
                                    + " (a % must be followed by two hexadecimal digits)");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c <= 0xFF) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(utf8, 0, utf8.length);
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
            throw new IllegalArgumentException("not valid UTF-8 once percent-decoded");
        }
    }

    /** The value of the ASCII hexadecimal digit at {@code i}, or -1. */
    private static int hex(String s, int i) {
        if (i >= s.length()) {
            return -1;
        }
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') {
            return c - '0';
        } else if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
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
