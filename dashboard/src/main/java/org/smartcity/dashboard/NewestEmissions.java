package org.smartcity.dashboard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.smartcity.core.WindowRevision;

/**
 * The newest emission seen per live id, by core's one rule ({@link WindowRevision}), so the live
 * stream never sends a page an emission older than one it already sent for the same metric, zone
 * and window length (e.g. a replay of the live layer's topic). The page then applies whatever
 * arrives, without a copy of the rule.
 */
final class NewestEmissions {
    private final Map<String, WindowRevision> newest = new ConcurrentHashMap<>();

    /**
     * Records {@code emission} for {@code liveId}; whether it is news (not older than the newest
     * seen). The same emission again counts as news: it carries the same values.
     */
    boolean offer(String liveId, WindowRevision emission) {
        WindowRevision kept =
                newest.merge(
                        liveId, emission, (seen, next) -> next.isOlderThan(seen) ? seen : next);
        return kept == emission;
    }
}
