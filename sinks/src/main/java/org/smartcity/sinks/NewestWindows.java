package org.smartcity.sinks;

import java.util.HashMap;
import java.util.Map;
import org.smartcity.core.ZoneAggregate;

/**
 * Remembers, per live feature id, the newest (window start, revision) written, so that a late
 * correction of an older window never replaces a newer window in the live layer. A revision of the
 * newest window, or the same revision again (a replay), is admitted.
 *
 * <p>One entry per metric, zone and window length; not thread-safe (one per sink writer).
 */
final class NewestWindows {

    private record Version(long windowStart, int revision) {}

    private final Map<String, Version> newest = new HashMap<>();

    /**
     * Whether {@code a} is at least as new as everything admitted before under the same live id; if
     * so it becomes the newest.
     */
    boolean admit(String liveId, ZoneAggregate a) {
        Version candidate = new Version(a.windowStartMillis(), a.revision());
        Version current = newest.get(liveId);
        if (current != null && isOlder(candidate, current)) {
            return false;
        }
        newest.put(liveId, candidate);
        return true;
    }

    /** Number of live ids tracked. */
    int size() {
        return newest.size();
    }

    private static boolean isOlder(Version a, Version b) {
        return a.windowStart() < b.windowStart()
                || (a.windowStart() == b.windowStart() && a.revision() < b.revision());
    }
}
