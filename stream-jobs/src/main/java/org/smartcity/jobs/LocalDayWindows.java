package org.smartcity.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Tumbling event-time windows of whole local days (DESIGN, "Local days"): a window starts at local
 * midnight of the city's time zone, never at UTC midnight, so a reading at 23:30 and one at 00:30
 * local time fall into different days whatever the offset.
 *
 * <p>A window of {@code n} days starts at the local midnight of a day whose epoch day (the local
 * date counted from 1970-01-01) is a multiple of {@code n}, and ends at the local midnight {@code
 * n} days later. Where the zone has daylight saving time, a window on the day the clocks change is
 * 23 or 25 hours long; the aggregate still reports its nominal length ({@code 1d}) so that its id
 * stays that of the day (see {@link RevisionWindowFunction}).
 *
 * <p>Longer windows are rolled up from shorter ones by the timestamp of each shorter emission (its
 * window's last millisecond): in a zone whose offset is not a whole number of hours, an hour that
 * straddles local midnight counts in the day it ends in.
 */
final class LocalDayWindows extends WindowAssigner<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    private final long days;
    private final ZoneId zone;

    private LocalDayWindows(long days, ZoneId zone) {
        this.days = days;
        this.zone = zone;
    }

    /**
     * Windows of {@code length}, a whole number of days, aligned to local midnight in {@code zone}.
     *
     * @throws IllegalArgumentException if {@code length} is not a positive whole number of days
     */
    static LocalDayWindows of(Duration length, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (!isWholeDays(length)) {
            throw new IllegalArgumentException(
                    "a local-day window must be a whole number of days, got " + length);
        }
        return new LocalDayWindows(length.toMillis() / DAY_MILLIS, zone);
    }

    /** Whether windows of {@code length} are local days (1d, 2d, 7d...) rather than fixed spans. */
    static boolean isWholeDays(Duration length) {
        return length.toMillis() > 0 && length.toMillis() % DAY_MILLIS == 0;
    }

    /** The local-day window that holds the instant {@code timestampMillis}. */
    TimeWindow windowOf(long timestampMillis) {
        LocalDate date = Instant.ofEpochMilli(timestampMillis).atZone(zone).toLocalDate();
        long first = date.toEpochDay() - Math.floorMod(date.toEpochDay(), days);
        LocalDate start = LocalDate.ofEpochDay(first);
        return new TimeWindow(
                start.atStartOfDay(zone).toInstant().toEpochMilli(),
                start.plusDays(days).atStartOfDay(zone).toInstant().toEpochMilli());
    }

    @Override
    public Collection<TimeWindow> assignWindows(
            Object element, long timestamp, WindowAssignerContext context) {
        if (timestamp == Long.MIN_VALUE) {
            throw new IllegalStateException(
                    "Record has no event timestamp: local-day windows need event time.");
        }
        return List.of(windowOf(timestamp));
    }

    @Override
    public Trigger<Object, TimeWindow> getDefaultTrigger() {
        return EventTimeTrigger.create();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return new TimeWindow.Serializer();
    }

    @Override
    public boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return "LocalDayWindows(" + days + "d, " + zone + ")";
    }
}
