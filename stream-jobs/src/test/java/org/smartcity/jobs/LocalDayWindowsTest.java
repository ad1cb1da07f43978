package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.junit.jupiter.api.Test;

/** Local days start at local midnight of the city's zone, never at UTC midnight. */
class LocalDayWindowsTest {
    private static final ZoneId KUNMING = ZoneId.of("Asia/Shanghai");

    private static long utc(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void readingsAt2330And0030LocalAreInDifferentDays() {
        LocalDayWindows days = LocalDayWindows.of(Duration.ofDays(1), KUNMING);

        // 23:30 and 00:30 in Kunming (UTC+8) are 15:30 and 16:30 UTC of the same UTC day.
        TimeWindow before = days.windowOf(utc("2026-12-04T15:30:00Z"));
        TimeWindow after = days.windowOf(utc("2026-12-04T16:30:00Z"));

        assertThat(before)
                .isEqualTo(
                        new TimeWindow(utc("2026-12-03T16:00:00Z"), utc("2026-12-04T16:00:00Z")));
        assertThat(after)
                .isEqualTo(
                        new TimeWindow(utc("2026-12-04T16:00:00Z"), utc("2026-12-05T16:00:00Z")));
        // Local midnight itself opens the new day; the millisecond before closes the old one.
        assertThat(days.windowOf(utc("2026-12-04T16:00:00Z"))).isEqualTo(after);
        assertThat(days.windowOf(utc("2026-12-04T15:59:59.999Z"))).isEqualTo(before);
    }

    @Test
    void aDaylightSavingDayIs23Or25HoursLong() {
        LocalDayWindows days = LocalDayWindows.of(Duration.ofDays(1), ZoneId.of("Europe/Berlin"));

        // Clocks go forward on 2026-03-29 (CET to CEST) and back on 2026-10-25.
        TimeWindow spring = days.windowOf(utc("2026-03-29T12:00:00Z"));
        TimeWindow autumn = days.windowOf(utc("2026-10-25T12:00:00Z"));

        assertThat(spring)
                .isEqualTo(
                        new TimeWindow(utc("2026-03-28T23:00:00Z"), utc("2026-03-29T22:00:00Z")));
        assertThat(autumn)
                .isEqualTo(
                        new TimeWindow(utc("2026-10-24T22:00:00Z"), utc("2026-10-25T23:00:00Z")));
    }

    @Test
    void severalDaysStartOnEpochDaysThatAreMultiplesOfTheirLength() {
        LocalDayWindows twoDays = LocalDayWindows.of(Duration.ofDays(2), KUNMING);

        // 2026-12-04 is epoch day 20,791 (odd): its two-day window starts on 2026-12-03.
        TimeWindow w = twoDays.windowOf(utc("2026-12-04T10:00:00Z"));

        assertThat(w)
                .isEqualTo(
                        new TimeWindow(utc("2026-12-02T16:00:00Z"), utc("2026-12-04T16:00:00Z")));
    }

    @Test
    void onlyWholeDaysAreLocalDays() {
        assertThat(LocalDayWindows.isWholeDays(Duration.ofDays(1))).isTrue();
        assertThat(LocalDayWindows.isWholeDays(Duration.ofHours(1))).isFalse();
        assertThat(LocalDayWindows.isWholeDays(Duration.ofHours(36))).isFalse();
        assertThatThrownBy(() -> LocalDayWindows.of(Duration.ofHours(12), KUNMING))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole number of days");
    }
}
