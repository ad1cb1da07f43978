package org.smartcity.core;

/**
 * Which of two emissions for the same metric, zone and window length is newer: the one of the later
 * window, and within one window the higher revision. The one rule the stream job (which windows go
 * to the live layer), the sink writer and the readers of the stores apply.
 *
 * <p>Equal values are the same emission written again (a replay after a failure): whoever applies
 * the rule decides whether that replaces what it holds. Ordering is by window start first, so a
 * late correction of an older window (a higher revision of it) is still older than the first
 * emission of a newer window.
 *
 * @param windowStartMillis window start, epoch milliseconds
 * @param revision 1 for a window's first emission, +1 for each correction
 */
public record WindowRevision(long windowStartMillis, int revision)
        implements Comparable<WindowRevision> {

    /** The window and revision of {@code a}. */
    public static WindowRevision of(ZoneAggregate a) {
        return new WindowRevision(a.windowStartMillis(), a.revision());
    }

    /** Negative if this is older than {@code other}, zero if the same, positive if newer. */
    @Override
    public int compareTo(WindowRevision other) {
        int byWindow = Long.compare(windowStartMillis, other.windowStartMillis);
        return byWindow != 0 ? byWindow : Integer.compare(revision, other.revision);
    }

    /** Whether this supersedes {@code other}: a later window, or a higher revision of the same. */
    public boolean isNewerThan(WindowRevision other) {
        return compareTo(other) > 0;
    }

    /** Whether {@code other} supersedes this. */
    public boolean isOlderThan(WindowRevision other) {
        return compareTo(other) < 0;
    }
}
