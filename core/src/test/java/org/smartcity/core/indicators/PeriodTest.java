package org.smartcity.core.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PeriodTest {
    private static final ZoneId KUNMING = ZoneId.of("Asia/Shanghai");

    @Test
    void labelsParseBackAndPeriodsAreLocal() {
        Period day = Period.of(PeriodKind.DAY, LocalDate.of(2026, 12, 4));
        Period month = Period.of(PeriodKind.MONTH, LocalDate.of(2026, 12, 4));
        Period year = Period.of(PeriodKind.YEAR, LocalDate.of(2026, 12, 4));

        assertThat(day.label()).isEqualTo("2026-12-04");
        assertThat(month.label()).isEqualTo("2026-12");
        assertThat(year.label()).isEqualTo("2026");
        assertThat(Period.parse("2026-12-04")).contains(day);
        assertThat(Period.parse("2026-12")).contains(month);
        assertThat(Period.parse("2026")).contains(year);
        assertThat(Period.parse("2026-13")).isEmpty();
        assertThat(Period.parse("20x6")).isEmpty();
        assertThat(day.start(KUNMING).toString())
                .isEqualTo("2026-12-04T00:00+08:00[Asia/Shanghai]");
        assertThat(day.end(KUNMING).toInstant().toString()).isEqualTo("2026-12-04T16:00:00Z");
        assertThat(year.days()).isEqualTo(365);
        assertThat(Period.of(PeriodKind.MONTH, LocalDate.of(2028, 2, 10)).days()).isEqualTo(29);
        assertThat(month.contains(LocalDate.of(2026, 12, 31))).isTrue();
        assertThat(month.contains(LocalDate.of(2027, 1, 1))).isFalse();
        assertThat(Period.of(PeriodKind.DAY, LocalDate.of(2026, 12, 1)).compareTo(month))
                .as("the same start: the shorter first")
                .isNegative();
        assertThat(month.compareTo(day)).isNegative();
    }
}
