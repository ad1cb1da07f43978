package org.smartcity.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in text meant for a log line, an error message or {@code /health}: the one home
 * of "what looks like a secret". Every configuration value and store description passes through
 * {@link #mask} before it is printed, so a password given in any of the forms the README documents
 * never reaches a log:
 *
 * <ul>
 *   <li>user info of a URL, also in comma-separated lists: {@code redis://:S3cret@host:6379},
 *       {@code redis://u:p@r1:6379,redis://u:p@r2:6379}, {@code s3a://KEY:SECRET@bucket/path},
 *       {@code tcp://user:pass@broker:1883} become {@code scheme://****@...};
 *   <li>{@code key=value} pairs whose key names a secret ({@code accumulo.password=...}, {@code
 *       ?token=...}, {@code sasl.jaas.config=...}), separated by {@code ;}, {@code &}, {@code ,} or
 *       white space: the value becomes {@code ****}.
 * </ul>
 */
public final class Secrets {
    /** What a masked secret is replaced with. */
    public static final String MASK = "****";

    /** Words that make a key's value secret (matched anywhere in the key, case-insensitively). */
    private static final String SECRET_WORDS =
            "password|passwd|pwd|secret|token|credential|jaas|keytab|private[._-]?key|access[._-]?key";

    /** {@code scheme://userinfo@}: everything between {@code //} and {@code @} without a slash. */
    private static final Pattern URL_USER_INFO =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s,;]*@");

    /** {@code key=value} or {@code key: value} with a secret word in the key. */
    private static final Pattern SECRET_PAIR =
            Pattern.compile(
                    "([A-Za-z0-9._-]*(?:"
                            + SECRET_WORDS
                            + ")[A-Za-z0-9._-]*\\s*[=:]\\s*)"
                            + "(\"[^\"]*\"|[^;&,\\s\"]+)",
                    Pattern.CASE_INSENSITIVE);

    private static final Pattern SECRET_KEY =
            Pattern.compile(".*(?:" + SECRET_WORDS + ").*", Pattern.CASE_INSENSITIVE);

    /** Keys that point to a secret rather than hold one. */
    private static final Pattern NOT_SECRET_SUFFIX = Pattern.compile("[._-](file|path|dir)$");

    private Secrets() {}

    /** {@code text} with every credential it contains replaced by {@link #MASK}. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked =
                URL_USER_INFO.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
        return SECRET_PAIR
                .matcher(masked)
                .replaceAll(
                        m ->
                                Matcher.quoteReplacement(
                                        isSecretKey(m.group(1).replaceAll("\\s*[=:]\\s*$", ""))
                                                ? m.group(1) + MASK
                                                : m.group()));
    }

    /**
     * Whether a parameter of this name holds a secret (its whole value is then masked). A key that
     * names where a secret is kept ({@code mqtt.credentials-file}, {@code keytab.path}) is not one.
     */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_KEY.matcher(k).matches() && !NOT_SECRET_SUFFIX.matcher(k).find();
    }

    /** The value of parameter {@code key} as it may be printed. */
    public static String maskValue(String key, String value) {
        return isSecretKey(key) ? MASK : mask(value);
    }

    /**
     * A copy of {@code error} and its causes with every message masked, for logging or rethrowing
     * an exception of a library that put a connection string in its message. Classes and stack
     * traces are kept (as text and frames), so the log still says where it happened.
     */
    public static RuntimeException scrub(Throwable error) {
        if (error == null) {
            return null;
        }
        MaskedException copy =
                new MaskedException(
                        error.getClass().getName()
                                + ": "
                                + mask(String.valueOf(error.getMessage())),
                        error.getCause() == null || error.getCause() == error
                                ? null
                                : scrub(error.getCause()));
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    /** An exception whose message was masked; its own message names the original class. */
    public static final class MaskedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MaskedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
