package org.smartcity.core.indicators;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * One local calendar period: a day ({@code 2026-12-04}), a month ({@code 2026-12}) or a year
 * ({@code 2026}) of the city's time zone. It starts at local midnight of its first day.
 *
 * @param kind day, month or year
 * @param first its first day
 */
public record Period(PeriodKind kind, LocalDate first) implements Comparable<Period> {

    public Period {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(first, "first");
        LocalDate aligned = align(kind, first);
        if (!aligned.equals(first)) {
            throw new IllegalArgumentException(first + " does not start a " + kind.id());
        }
    }

    /** The period of {@code kind} that holds {@code date}. */
    public static Period of(PeriodKind kind, LocalDate date) {
        return new Period(kind, align(kind, date));
    }

    private static LocalDate align(PeriodKind kind, LocalDate date) {
        return switch (kind) {
            case DAY -> date;
            case MONTH -> date.withDayOfMonth(1);
            case YEAR -> date.withDayOfYear(1);
        };
    }

    /**
     * The period a label names: {@code 2026-12-04}, {@code 2026-12} or {@code 2026}; empty for
     * anything else.
     */
    public static Optional<Period> parse(String label) {
        try {
            return switch (label.length()) {
                case 10 -> Optional.of(new Period(PeriodKind.DAY, LocalDate.parse(label)));
                case 7 -> Optional.of(of(PeriodKind.MONTH, YearMonth.parse(label).atDay(1)));
                case 4 ->
                        label.chars().allMatch(Character::isDigit)
                                ? Optional.of(
                                        of(
                                                PeriodKind.YEAR,
                                                LocalDate.of(Integer.parseInt(label), 1, 1)))
                                : Optional.empty();
                default -> Optional.empty();
            };
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The day after the period's last. */
    public LocalDate next() {
        return switch (kind) {
            case DAY -> first.plusDays(1);
            case MONTH -> first.plusMonths(1);
            case YEAR -> first.plusYears(1);
        };
    }

    /** The number of days in the period. */
    public int days() {
        return (int) (next().toEpochDay() - first.toEpochDay());
    }

    public boolean contains(LocalDate date) {
        return !date.isBefore(first) && date.isBefore(next());
    }

    /** Local midnight of the first day. */
    public ZonedDateTime start(ZoneId zone) {
        return first.atStartOfDay(zone);
    }

    /** Local midnight after the last day (exclusive). */
    public ZonedDateTime end(ZoneId zone) {
        return next().atStartOfDay(zone);
    }

    /** {@code 2026-12-04}, {@code 2026-12} or {@code 2026}. */
    public String label() {
        return switch (kind) {
            case DAY -> first.toString();
            case MONTH -> YearMonth.from(first).toString();
            case YEAR -> Integer.toString(first.getYear());
        };
    }

    /** Earlier periods first; of the same start, shorter first. */
    @Override
    public int compareTo(Period o) {
        int c = first.compareTo(o.first);
        return c != 0 ? c : kind.compareTo(o.kind);
    }

    @Override
    public String toString() {
        return label();
    }
}
