package org.smartcity.brokers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Mosquitto ACL file ({@code acl_file}), the subset the platform uses, so that one file serves
 * both Mosquitto and the embedded broker. JDK only.
 *
 * <ul>
 *   <li>{@code user NAME}: the {@code topic} lines that follow are that user's (lines before the
 *       first {@code user} line are for anonymous clients, as in Mosquitto);
 *   <li>{@code topic [read|write|readwrite|deny] FILTER}: access to the topics matching FILTER
 *       (readwrite when the access word is left out);
 *   <li>{@code pattern [read|write|readwrite|deny] FILTER}: the same for every client, with {@code
 *       %u} replaced by its user name and {@code %c} by its client id (a pattern with {@code %u}
 *       never applies to an anonymous client, nor one whose name holds {@code + # /});
 *   <li>{@code #} comments and blank lines.
 * </ul>
 *
 * <p>Publishing to a topic needs a write rule that matches it and no deny rule that does.
 * Subscribing needs a read rule whose filter covers the whole subscription filter (the part after
 * {@code $share/GROUP/} for a shared subscription), and no deny rule that overlaps it. Mosquitto
 * checks read access per delivered message instead; for the platform's files the outcome is the
 * same (nothing reaches a client without read access), here with a SUBACK that says so.
 */
final class MqttAcl {

    private enum Access {
        READ,
        WRITE,
        READWRITE,
        DENY;

        boolean reads() {
            return this == READ || this == READWRITE;
        }

        boolean writes() {
            return this == WRITE || this == READWRITE;
        }
    }

    private record Rule(Access access, String filter) {}

    private final List<Rule> anonymous = new ArrayList<>();
    private final Map<String, List<Rule>> users = new HashMap<>();
    private final List<Rule> patterns = new ArrayList<>();

    private MqttAcl() {}

    /** Reads {@code file}; an unknown line is an error naming its number. */
    static MqttAcl read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses the lines of an ACL file; {@code source} names it in errors. */
    static MqttAcl parse(List<String> lines, String source) throws IOException {
        MqttAcl acl = new MqttAcl();
        List<Rule> current = acl.anonymous;
        int number = 0;
        for (String line : lines) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] words = trimmed.split("\\s+", 2);
            if (words.length < 2) {
                throw new IOException(source + ", line " + number + ": incomplete: " + trimmed);
            }
            switch (words[0]) {
                case "user" ->
                        current = acl.users.computeIfAbsent(words[1], u -> new ArrayList<>());
                case "topic" -> current.add(rule(words[1]));
                case "pattern" -> acl.patterns.add(rule(words[1]));
                default ->
                        throw new IOException(
                                source
                                        + ", line "
                                        + number
                                        + ": expected user, topic or pattern: "
                                        + trimmed);
            }
        }
        return acl;
    }

    private static Rule rule(String rest) {
        String[] words = rest.split("\\s+", 2);
        if (words.length == 2) {
            for (Access access : Access.values()) {
                if (access.name().equalsIgnoreCase(words[0])) {
                    return new Rule(access, words[1]);
                }
            }
        }
        return new Rule(Access.READWRITE, rest);
    }

    /** Whether {@code user} ({@code null}: anonymous) connected as {@code clientId} may publish. */
    boolean mayPublish(String user, String clientId, String topic) {
        List<Rule> rules = rulesOf(user, clientId);
        return rules.stream().noneMatch(r -> r.access == Access.DENY && matches(r.filter, topic))
                && rules.stream().anyMatch(r -> r.access.writes() && matches(r.filter, topic));
    }

    /** Whether {@code user} ({@code null}: anonymous) may subscribe to {@code filter}. */
    boolean maySubscribe(String user, String clientId, String filter) {
        String own = unshared(filter);
        if (own == null) {
            return false;
        }
        List<Rule> rules = rulesOf(user, clientId);
        return rules.stream().noneMatch(r -> r.access == Access.DENY && overlap(r.filter, own))
                && rules.stream().anyMatch(r -> r.access.reads() && covers(r.filter, own));
    }

    /** The user's own rules, then the patterns with %u and %c filled in. */
    private List<Rule> rulesOf(String user, String clientId) {
        List<Rule> rules =
                new ArrayList<>(user == null ? anonymous : users.getOrDefault(user, List.of()));
        for (Rule p : patterns) {
            String filter = p.filter;
            if (filter.contains("%u")) {
                if (!safeLevel(user)) {
                    continue;
                }
                filter = filter.replace("%u", user);
            }
            if (filter.contains("%c")) {
                if (!safeLevel(clientId)) {
                    continue;
                }
                filter = filter.replace("%c", clientId);
            }
            rules.add(new Rule(p.access, filter));
        }
        return rules;
    }

    /** A value that fills one topic level without adding wildcards or levels. */
    private static boolean safeLevel(String value) {
        return value != null
                && !value.isEmpty()
                && value.indexOf('+') < 0
                && value.indexOf('#') < 0
                && value.indexOf('/') < 0;
    }

    /** The filter without a {@code $share/GROUP/} prefix, or null if that prefix is malformed. */
    private static String unshared(String filter) {
        if (!filter.startsWith("$share/")) {
            return filter;
        }
        int slash = filter.indexOf('/', "$share/".length());
        return slash < 0 || slash == filter.length() - 1 ? null : filter.substring(slash + 1);
    }

    /** MQTT topic matching: whether {@code topic} matches {@code filter}. */
    static boolean matches(String filter, String topic) {
        return covers(filter, topic);
    }

    /**
     * Whether every topic that matches {@code inner} (a filter or a topic) also matches {@code
     * outer}.
     */
    static boolean covers(String outer, String inner) {
        String[] o = outer.split("/", -1);
        String[] in = inner.split("/", -1);
        if (in[0].startsWith("$") && (o[0].equals("+") || o[0].equals("#"))) {
            return false; // wildcards never match $SYS-like topics at the first level
        }
        for (int i = 0; i < o.length; i++) {
            if (o[i].equals("#")) {
                return true; // "a/#" also matches "a" itself
            }
            if (i >= in.length || in[i].equals("#")) {
                return false;
            }
            if (!o[i].equals("+") && !o[i].equals(in[i])) {
                return false; // a literal covers only that literal, not "+"
            }
        }
        return o.length == in.length;
    }

    /** Whether some topic matches both filters. */
    static boolean overlap(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String u = i < x.length ? x[i] : null;
            String v = i < y.length ? y[i] : null;
            if ("#".equals(u) || "#".equals(v)) {
                return true;
            }
            if (u == null || v == null) {
                return false;
            }
            if (!u.equals("+") && !v.equals("+") && !u.equals(v)) {
                return false;
            }
        }
        return true;
    }
}
