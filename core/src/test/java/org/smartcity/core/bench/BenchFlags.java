package org.smartcity.core.bench;

import java.util.List;

/**
 * Flag values for the benchmarks' option parsers, checked at once with the flag's name in the
 * message: the value after a flag, and whole numbers ({@code _} and {@code ,} allowed as digit
 * separators: {@code 5,000,000}).
 */
public final class BenchFlags {
    private BenchFlags() {}

    /**
     * The value that follows the flag at {@code flagIndex} of {@code args}; a parser calls this for
     * each flag that is not a switch, then steps past the value.
     *
     * @throws IllegalArgumentException for an argument that is no flag, or a flag without a value
     */
    public static String valueOf(List<String> args, int flagIndex) {
        String flag = args.get(flagIndex);
        if (!flag.startsWith("--")) {
            throw new IllegalArgumentException("unexpected argument '" + flag + "'");
        }
        if (flagIndex + 1 >= args.size()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args.get(flagIndex + 1);
    }

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
