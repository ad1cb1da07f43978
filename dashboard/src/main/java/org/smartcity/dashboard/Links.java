package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Absolute links in API documents, from the public base URL: {@code --public-url} when set, else
 * what a reverse proxy says the client addressed ({@code X-Forwarded-Proto}, {@code
 * X-Forwarded-Host}), else the request's own {@code Host}. A forwarded value that is not a plain
 * scheme or host name is ignored rather than copied into links.
 */
final class Links {
    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

    private final String publicUrl;

    /**
     * @param publicUrl the configured base URL, or null to derive it from each request
     */
    Links(String publicUrl) {
        this.publicUrl = publicUrl == null ? null : stripSlash(publicUrl);
    }

    /**
     * Scheme, host and port (and a path prefix, with {@code --public-url}) without a final slash.
     */
    String base(Context ctx) {
        if (publicUrl != null) {
            return publicUrl;
        }
        String proto = first(ctx.header("X-Forwarded-Proto"));
        if (proto == null || !(proto.equals("http") || proto.equals("https"))) {
            proto = "http";
        }
        String host = first(ctx.header("X-Forwarded-Host"));
        if (host == null || !HOST.matcher(host).matches()) {
            host = ctx.header("Host");
        }
        if (host == null || !HOST.matcher(host).matches()) {
            host = "localhost:" + ctx.port();
        }
        return proto + "://" + host;
    }

    /**
     * An absolute link to {@code path} with this request's parameters, where {@code changes}
     * replace (or, with a null value, remove) some; changed ones go last.
     */
    String link(Context ctx, Params params, String path, Map<String, String> changes) {
        Map<String, String> query = new LinkedHashMap<>(params.asMap());
        changes.keySet().forEach(query::remove);
        changes.forEach(
                (k, v) -> {
                    if (v != null) {
                        query.put(k, v);
                    }
                });
        StringBuilder b = new StringBuilder(base(ctx)).append(path);
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            b.append(sep)
                    .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return b.toString();
    }

    /** A link object of the OGC API. */
    static ObjectNode object(String href, String rel, String type, String title) {
        ObjectNode link = Json.object();
        link.put("href", href);
        link.put("rel", rel);
        if (type != null) {
            link.put("type", type);
        }
        if (title != null) {
            link.put("title", title);
        }
        return link;
    }

    /** The first of a proxy chain's comma-separated values, lower case, or null. */
    private static String first(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.indexOf(',');
        String v = (comma < 0 ? header : header.substring(0, comma)).trim();
        return v.isEmpty() ? null : v.toLowerCase(Locale.ROOT);
    }

    private static String stripSlash(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
