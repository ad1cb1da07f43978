package org.smartcity.core.indicators;

import java.time.Month;
import java.time.Year;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The data-validity rules an indicator value must meet to be official: how much of an hour, a day,
 * a month and a year must have data. Chosen with {@code --indicator-standard} and named in every
 * indicator row. Sources: ../shared/REFERENCE.md §1.
 *
 * <ul>
 *   <li>{@link #GB_3095_2012}, China's ambient air quality standard, Table 4: a 1-h value needs 45
 *       minutes of sampling, a 24-h mean 20 hourly values, an annual mean 324 daily means and 27 in
 *       each month (25 in February).
 *   <li>{@link #EU_2008_50_EC}, the EU directive's data capture: 75% of an hour (45 minutes) and of
 *       a day (18 hours), 90% of the days of a year (Annex I). The directive has no monthly rule;
 *       90% of the month's days is used for months. ⚠ The Annex XI hour and day rules are recalled,
 *       not re-read (REFERENCE.md §1 says so).
 * </ul>
 */
public enum IndicatorStandard {
    GB_3095_2012("GB 3095-2012", 45, 20) {
        @Override
        public int daysForValidMonth(YearMonth month) {
            return month.getMonth() == Month.FEBRUARY ? 25 : 27;
        }

        @Override
        public int daysForValidYear(Year year) {
            return 324;
        }

        @Override
        public String rules() {
            return "hour >= 45 min; day >= 20 h; month >= 27 d (February 25); year >= 324 d";
        }
    },
    EU_2008_50_EC("EU 2008/50/EC", 45, 18) {
        @Override
        public int daysForValidMonth(YearMonth month) {
            return ninetyPercent(month.lengthOfMonth());
        }

        @Override
        public int daysForValidYear(Year year) {
            return ninetyPercent(year.length());
        }

        @Override
        public String rules() {
            return "hour >= 75% (45 min); day >= 75% (18 h); month >= 90% of days;"
                    + " year >= 90% of days";
        }
    };

    private final String label;
    private final int minutesForValidHour;
    private final int hoursForValidDay;

    IndicatorStandard(String label, int minutesForValidHour, int hoursForValidDay) {
        this.label = label;
        this.minutesForValidHour = minutesForValidHour;
        this.hoursForValidDay = hoursForValidDay;
    }

    /** The name written in indicator rows, e.g. {@code GB 3095-2012}. */
    public String label() {
        return label;
    }

    /** Minutes with readings an hourly mean needs to be valid. */
    public int minutesForValidHour() {
        return minutesForValidHour;
    }

    /** Valid hourly means a daily mean needs. */
    public int hoursForValidDay() {
        return hoursForValidDay;
    }

    /** Valid daily means a monthly mean needs. */
    public abstract int daysForValidMonth(YearMonth month);

    /** Valid daily means an annual mean needs. */
    public abstract int daysForValidYear(Year year);

    /** The rules in one line, for rows and logs. */
    public abstract String rules();

    /**
     * The standard named {@code value}: its label or enum name, case and punctuation ignored
     * ({@code GB 3095-2012}, {@code gb3095-2012}, {@code EU 2008/50/EC}, {@code eu-2008-50-ec}).
     *
     * @throws IllegalArgumentException listing the standards, for any other value
     */
    public static IndicatorStandard parse(String value) {
        String wanted = normalize(value);
        for (IndicatorStandard s : values()) {
            if (normalize(s.label).equals(wanted) || normalize(s.name()).equals(wanted)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "expected one of "
                        + Arrays.stream(values())
                                .map(IndicatorStandard::label)
                                .collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }

    private static String normalize(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static int ninetyPercent(int days) {
        return (int) Math.ceil(days * 0.9);
    }
}
