package org.smartcity.core.validation;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields of one JSON object of a payload, before any type or meaning is checked. Values are
 * {@link String}, {@link Number}, {@link Boolean}, {@link #NULL}, {@link #NESTED} or {@link
 * Unrepresentable}; fields the contract does not name are skipped.
 */
final class RawReading {
    /** Marks a JSON {@code null}. */
    static final Object NULL = new Object();

    /** Marks a nested object or array where a scalar was expected. */
    static final Object NESTED = new Object();

    /**
     * A number literal that a double cannot hold.
     *
     * @param literal the literal as written (shortened when long)
     * @param problem what goes wrong, e.g. "overflows a double"
     */
    record Unrepresentable(String literal, String problem) {
        @Override
        public String toString() {
            return literal + ", which " + problem;
        }
    }

    private final Map<String, Object> fields = new HashMap<>(16);
    private final int start;
    private int end;

    RawReading(int start) {
        this.start = start;
    }

    void put(String name, Object value) {
        fields.put(name, value);
    }

    Object get(String name) {
        return fields.get(name);
    }

    void end(int endExclusive) {
        this.end = endExclusive;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }
}
