package org.smartcity.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's files from the class path: {@code org/smartcity/dashboard/static/} (index.html,
 * app.js, app.css) and WebJars ({@code META-INF/resources/webjars/}, e.g. Leaflet). Files are read
 * once and kept; a name with {@code ..} or a backslash is never looked up.
 */
final class StaticFiles {
    static final String STATIC_ROOT = "org/smartcity/dashboard/static/";
    static final String WEBJARS_ROOT = "META-INF/resources/webjars/";

    /** Shown when the page was not built into this jar, so {@code /} still says something. */
    private static final byte[] PLACEHOLDER =
            ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Smart-city"
                            + " dashboard</title></head><body><h1>Smart-city dashboard</h1><p>The"
                            + " dashboard page is not part of this build. The APIs work: <a"
                            + " href=\"/?f=json\">landing page</a>, <a"
                            + " href=\"/collections\">collections</a>, <a"
                            + " href=\"/api/live\">/api/live</a>, <a"
                            + " href=\"/api/status\">/api/status</a>.</p></body></html>")
                    .getBytes(StandardCharsets.UTF_8);

    private static final Map<String, String> TYPES =
            Map.ofEntries(
                    Map.entry("html", "text/html; charset=utf-8"),
                    Map.entry("js", "text/javascript; charset=utf-8"),
                    Map.entry("mjs", "text/javascript; charset=utf-8"),
                    Map.entry("css", "text/css; charset=utf-8"),
                    Map.entry("json", "application/json"),
                    Map.entry("map", "application/json"),
                    Map.entry("svg", "image/svg+xml"),
                    Map.entry("png", "image/png"),
                    Map.entry("jpg", "image/jpeg"),
                    Map.entry("gif", "image/gif"),
                    Map.entry("ico", "image/x-icon"),
                    Map.entry("woff", "font/woff"),
                    Map.entry("woff2", "font/woff2"),
                    Map.entry("txt", "text/plain; charset=utf-8"));

    /** A file's bytes and content type. */
    record File(byte[] bytes, String contentType) {}

    private final ClassLoader loader = StaticFiles.class.getClassLoader();
    private final Map<String, File> cache = new ConcurrentHashMap<>();

    /** The page, or a placeholder when index.html is not on the class path. */
    File index() {
        File f = page("index.html");
        return f != null ? f : new File(PLACEHOLDER, TYPES.get("html"));
    }

    /** A file of the page ({@code app.js}), or null. */
    File page(String name) {
        return load(STATIC_ROOT, name);
    }

    /** A WebJar file ({@code leaflet/1.9.4/dist/leaflet.js}), or null. */
    File webjar(String path) {
        return load(WEBJARS_ROOT, path);
    }

    private File load(String root, String name) {
        if (name.isEmpty()
                || name.startsWith("/")
                || name.contains("..")
                || name.contains("\\")
                || name.endsWith("/")) {
            return null;
        }
        // Misses are not cached, so requests for random names cannot grow the cache.
        return cache.computeIfAbsent(
                root + name,
                resource -> {
                    try (InputStream in = loader.getResourceAsStream(resource)) {
                        if (in == null) {
                            return null;
                        }
                        return new File(in.readAllBytes(), typeOf(resource));
                    } catch (IOException e) {
                        return null;
                    }
                });
    }

    static String typeOf(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }
}
