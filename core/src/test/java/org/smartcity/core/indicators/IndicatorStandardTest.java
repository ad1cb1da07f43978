package org.smartcity.core.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Year;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smartcity.core.config.Settings;

class IndicatorStandardTest {

    @Test
    void gb3095NeedsFortyFiveMinutesTwentyHoursTwentySevenDaysAndThreeHundredTwentyFour() {
        IndicatorStandard gb = IndicatorStandard.GB_3095_2012;

        assertThat(gb.label()).isEqualTo("GB 3095-2012");
        assertThat(gb.minutesForValidHour()).isEqualTo(45);
        assertThat(gb.hoursForValidDay()).isEqualTo(20);
        assertThat(gb.daysForValidMonth(YearMonth.of(2026, 12))).isEqualTo(27);
        assertThat(gb.daysForValidMonth(YearMonth.of(2026, 2))).isEqualTo(25);
        assertThat(gb.daysForValidMonth(YearMonth.of(2028, 2))).isEqualTo(25);
        assertThat(gb.daysForValidYear(Year.of(2026))).isEqualTo(324);
    }

    @Test
    void eu2008NeedsSeventyFivePercentOfHoursAndNinetyPercentOfDays() {
        IndicatorStandard eu = IndicatorStandard.EU_2008_50_EC;

        assertThat(eu.label()).isEqualTo("EU 2008/50/EC");
        assertThat(eu.minutesForValidHour()).isEqualTo(45);
        assertThat(eu.hoursForValidDay()).isEqualTo(18);
        // 90% of 31 = 27.9, of 30 = 27, of 28 = 25.2, of 365 = 328.5, of 366 = 329.4.
        assertThat(eu.daysForValidMonth(YearMonth.of(2026, 12))).isEqualTo(28);
        assertThat(eu.daysForValidMonth(YearMonth.of(2026, 11))).isEqualTo(27);
        assertThat(eu.daysForValidMonth(YearMonth.of(2026, 2))).isEqualTo(26);
        assertThat(eu.daysForValidYear(Year.of(2026))).isEqualTo(329);
        assertThat(eu.daysForValidYear(Year.of(2028))).isEqualTo(330);
    }

    @Test
    void parsesLabelsAndNamesAndIsTheOptionOfIndicatorOptions() {
        assertThat(IndicatorStandard.parse("GB 3095-2012"))
                .isEqualTo(IndicatorStandard.GB_3095_2012);
        assertThat(IndicatorStandard.parse("gb3095-2012"))
                .isEqualTo(IndicatorStandard.GB_3095_2012);
        assertThat(IndicatorStandard.parse("EU 2008/50/EC"))
                .isEqualTo(IndicatorStandard.EU_2008_50_EC);
        assertThat(IndicatorStandard.parse("eu_2008_50_ec"))
                .isEqualTo(IndicatorStandard.EU_2008_50_EC);
        assertThatThrownBy(() -> IndicatorStandard.parse("WHO"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected one of GB 3095-2012, EU 2008/50/EC");

        Settings defaults = Settings.load(IndicatorOptions.OPTIONS, List.of(), Map.of());
        assertThat(IndicatorOptions.standard(defaults)).isEqualTo(IndicatorStandard.GB_3095_2012);
        Settings eu =
                Settings.load(
                        IndicatorOptions.OPTIONS,
                        List.of("--indicator-standard", "EU 2008/50/EC"),
                        Map.of());
        assertThat(IndicatorOptions.standard(eu)).isEqualTo(IndicatorStandard.EU_2008_50_EC);
    }
}
