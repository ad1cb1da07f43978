package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregationSpecTest {
    private static final Duration M1 = Duration.ofMinutes(1);
    private static final Duration M5 = Duration.ofMinutes(5);
    private static final Duration M15 = Duration.ofMinutes(15);
    private static final Duration H1 = Duration.ofHours(1);

    @Test
    void rollsEachLengthUpFromTheLongestShorterOneThatDividesIt() {
        AggregationSpec spec =
                new AggregationSpec(List.of(H1, M15, M1, M5), Duration.ZERO, new FakeZones());

        assertThat(spec.windowLengths()).containsExactly(M1, M5, M15, H1);
        assertThat(spec.shortest()).isEqualTo(M1);
        assertThat(spec.rollupSource(M5)).isEqualTo(M1);
        assertThat(spec.rollupSource(M15)).isEqualTo(M5);
        assertThat(spec.rollupSource(H1)).isEqualTo(M15);
        // 10m is no multiple of 15m: it rolls up from 5m.
        assertThat(
                        new AggregationSpec(
                                        List.of(M5, M15, Duration.ofMinutes(10)),
                                        Duration.ZERO,
                                        new FakeZones())
                                .rollupSource(Duration.ofMinutes(10)))
                .isEqualTo(M5);
    }

    @Test
    void defaultsToOneMinuteFifteenMinutesAnHourAndALocalDayWithTenMinutesLateness() {
        AggregationSpec spec = AggregationSpec.withDefaults(new FakeZones());

        assertThat(spec.windowLengths()).containsExactly(M1, M15, H1, Duration.ofDays(1));
        assertThat(spec.rollupSource(Duration.ofDays(1))).isEqualTo(H1);
        assertThat(spec.timeZone()).isEqualTo(java.time.ZoneId.of("Asia/Shanghai"));
        assertThat(spec.allowedLateness()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void rejectsLengthsThatCannotBeRolledUp() {
        assertThatThrownBy(() -> AggregationSpec.checkWindowLengths(List.of()))
                .hasMessageContaining("at least one");
        assertThatThrownBy(
                        () ->
                                AggregationSpec.checkWindowLengths(
                                        List.of(Duration.ofMinutes(2), Duration.ofMinutes(3))))
                .hasMessageContaining("multiple of the shortest");
        assertThatThrownBy(() -> AggregationSpec.checkWindowLengths(List.of(M1, M1)))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> AggregationSpec.checkWindowLengths(List.of(Duration.ZERO)))
                .hasMessageContaining("positive");
        assertThatThrownBy(
                        () -> AggregationSpec.checkWindowLengths(List.of(Duration.ofNanos(1500))))
                .hasMessageContaining("milliseconds");
        assertThatThrownBy(
                        () ->
                                new AggregationSpec(
                                        List.of(M1), Duration.ofSeconds(-1), new FakeZones()))
                .hasMessageContaining("lateness");
        assertThatThrownBy(
                        () ->
                                new AggregationSpec(
                                        List.of(M1),
                                        Duration.ofMinutes(10),
                                        Duration.ofNanos(999_999),
                                        new FakeZones()))
                .hasMessageContaining("correction interval");
    }
}
