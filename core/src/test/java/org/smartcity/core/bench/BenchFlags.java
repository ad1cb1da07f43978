package org.smartcity.core.bench;

/**
 * Whole-number flag values for the benchmarks' option parsers, checked at once with the flag's name
 * in the message ({@code _} and {@code ,} allowed as digit separators: {@code 5,000,000}).
 */
public final class BenchFlags {
    private BenchFlags() {}

    /** {@code value} as a number of at least 1. */
    public static long positive(String flag, String value) {
        long n = number(flag, value);
        if (n < 1) {
            throw new IllegalArgumentException(flag + " must be at least 1, got " + value);
        }
        return n;
    }

    /** {@code value} as a whole number. */
    public static long number(String flag, String value) {
        try {
            return Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    flag + " expects a whole number, got '" + value + "'");
        }
    }
}
