package org.smartcity.sinks;

import java.util.HashMap;
import java.util.Map;
import org.smartcity.core.WindowRevision;
import org.smartcity.core.ZoneAggregate;

/**
 * Remembers, per live feature id, the newest {@link WindowRevision} written, so that a late
 * correction of an older window never replaces a newer window in the live layer. A revision of the
 * newest window, or the same revision again (a replay), is admitted.
 *
 * <p>In the Flink job the sink's {@link NewestWindowFilter} has already applied the same rule, with
 * checkpointed state; this in-memory copy keeps a writer correct on its own.
 *
 * <p>One entry per metric, zone and window length; not thread-safe (one per sink writer).
 */
final class NewestWindows {

    private final Map<String, WindowRevision> newest = new HashMap<>();

    /**
     * Whether {@code a} is at least as new as everything admitted before under the same live id; if
     * so it becomes the newest.
     */
    boolean admit(String liveId, ZoneAggregate a) {
        WindowRevision candidate = a.windowRevision();
        WindowRevision current = newest.get(liveId);
        if (current != null && candidate.isOlderThan(current)) {
            return false;
        }
        newest.put(liveId, candidate);
        return true;
    }

    /** Number of live ids tracked. */
    int size() {
        return newest.size();
    }
}
