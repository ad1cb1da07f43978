package org.smartcity.core.alert;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How bad an alert is, in CAP 1.2's terms (OASIS CAP 1.2, {@code info/severity}), lowest first so
 * that the natural order compares them. The four flood signal colours of REFERENCE.md section 5 map
 * onto them in order: blue = minor, yellow = moderate, orange = severe, red = extreme.
 */
public enum Severity {
    MINOR,
    MODERATE,
    SEVERE,
    EXTREME;

    /** The wire id: {@code minor}, {@code moderate}, {@code severe}, {@code extreme}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The CAP 1.2 value: {@code Minor}, {@code Moderate}, {@code Severe}, {@code Extreme}. */
    public String cap() {
        String id = id();
        return Character.toUpperCase(id.charAt(0)) + id.substring(1);
    }

    /** The severity with a wire id, if there is one. */
    public static Optional<Severity> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }

    /** All wire ids, lowest first, for messages. */
    public static String ids() {
        return Arrays.stream(values()).map(Severity::id).collect(Collectors.joining(", "));
    }
}
