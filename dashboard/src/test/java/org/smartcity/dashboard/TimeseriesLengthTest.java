package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeseriesLengthTest {

    private static final List<String> LENGTHS = List.of("1m", "15m", "1h", "1d");
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static String chosen(String until) {
        return DashboardApi.defaultLength(LENGTHS, T, Instant.parse(until));
    }

    @Test
    void theShortestLengthThatKeepsASeriesChartable() {
        assertThat(chosen("2026-01-01T01:00:00Z")).as("an hour: 60 points").isEqualTo("1m");
        assertThat(chosen("2026-01-02T00:00:00Z")).as("a day: 1,440 points").isEqualTo("1m");
        assertThat(chosen("2026-01-03T00:00:00Z")).as("2 days: 192 of 15m").isEqualTo("15m");
        assertThat(chosen("2026-01-31T00:00:00Z")).as("30 days: 720 of 1h").isEqualTo("1h");
        assertThat(chosen("2027-01-01T00:00:00Z")).as("a year: 365 of 1d").isEqualTo("1d");
    }

    @Test
    void theLongestWhenNoneFitsAndTheShortestForAnOpenInterval() {
        assertThat(
                        DashboardApi.defaultLength(
                                List.of("1m", "15m", "1h"), T, T.plusSeconds(86_400L * 365)))
                .isEqualTo("1h");
        assertThat(DashboardApi.defaultLength(LENGTHS, null, T)).isEqualTo("1m");
        assertThat(DashboardApi.defaultLength(LENGTHS, T, null)).isEqualTo("1m");
    }
}
