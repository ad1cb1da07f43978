package org.smartcity.core.indicators;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.Population;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoneKind;

/**
 * SDG 11.6.2 (annual mean PM2.5 and PM10, population-weighted) per district and for the city, per
 * local day, month and year, computed from the districts' hourly aggregates exactly as DESIGN
 * ("Indicators") defines it; method and validity rules from REFERENCE.md §1.
 *
 * <ul>
 *   <li>An hour is valid when its aggregate covers at least {@link
 *       IndicatorStandard#minutesForValidHour()} minutes ({@link ZoneAggregate#coverage()} times
 *       the length of the windows it counts). An aggregate of unknown coverage (0, from a store
 *       written before coverage was counted) is never valid.
 *   <li>A district's day: the mean of its valid hourly means of that local day; {@code observed} =
 *       valid hours, valid with {@link IndicatorStandard#hoursForValidDay()}. A month or year: the
 *       mean of the valid daily means, valid with the standard's days.
 *   <li>The city: {@code sum(P_d * C_d) / sum(P_d)} over the districts whose value is valid and
 *       whose population the districts file gives. Every district has a row for every period that
 *       any district has data in; one without data has {@code value} null.
 * </ul>
 *
 * <p>Pure: everything comes from the arguments, so the dashboard recomputes a period from the
 * history store whenever a late reading corrects one of its hours, and tests compare with an
 * independent computation.
 *
 * @param timeZone where local days start
 * @param standard the validity rules
 * @param coverageUnit the windows an hourly aggregate's coverage counts (the job's shortest window
 *     length, 1 minute by default)
 * @param allowedLateness how long after a period's end late readings still correct it
 * @param city the city zone
 * @param districts every district, in the order rows list them
 * @param population a district's population by its id, if the districts file gives it
 */
public record Sdg1162(
        ZoneId timeZone,
        IndicatorStandard standard,
        Duration coverageUnit,
        Duration allowedLateness,
        Zone city,
        List<Zone> districts,
        Function<String, Optional<Population>> population) {

    /** The indicator id in rows and feature ids. */
    public static final String ID = "sdg-11.6.2";

    /** The metrics the indicator is defined for. */
    public static final List<Metric> METRICS = List.of(Metric.PM25, Metric.PM10);

    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

    public Sdg1162 {
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(standard, "standard");
        Objects.requireNonNull(coverageUnit, "coverageUnit");
        if (coverageUnit.isNegative() || coverageUnit.isZero()) {
            throw new IllegalArgumentException(
                    "coverageUnit must be positive, was " + coverageUnit);
        }
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        Objects.requireNonNull(city, "city");
        districts = List.copyOf(districts);
        Objects.requireNonNull(population, "population");
    }

    /** A district's values over one period. */
    private record Part(Double value, int observed, long sensors) {
        static final Part NONE = new Part(null, 0, 0);
    }

    /** Sums of the valid parts of a district over a period. */
    private static final class Sum {
        double total;
        int valid;
        long sensors;

        void add(double value, long partSensors) {
            total += value;
            valid++;
            sensors = Math.max(sensors, partSensors);
        }

        Part part() {
            return new Part(valid == 0 ? null : total / valid, valid, sensors);
        }
    }

    /**
     * Every row for periods of the given kinds that the hourly aggregates touch.
     *
     * @param aggregates the history's aggregates, newest revision of each window; all but the
     *     districts' 1h windows of PM2.5 and PM10 are ignored
     * @param kinds which periods to compute
     * @param now the present, for {@code complete} and {@code provisional}
     * @return rows sorted by metric, period, then the city before its districts in their order
     */
    public List<IndicatorRow> rows(
            Collection<ZoneAggregate> aggregates, Set<PeriodKind> kinds, Instant now) {
        Map<String, Integer> order = new HashMap<>();
        for (Zone d : districts) {
            order.put(d.id(), order.size());
        }
        // metric -> local day -> district -> sums of valid hours
        Map<Metric, TreeMap<LocalDate, Map<String, Sum>>> hours = new EnumMap<>(Metric.class);
        long minimumMillis = standard.minutesForValidHour() * 60_000L;
        for (ZoneAggregate a : aggregates) {
            if (a.zoneKind() != ZoneKind.DISTRICT
                    || a.windowLengthMillis() != HOUR_MILLIS
                    || !METRICS.contains(a.metric())
                    || !order.containsKey(a.zoneId())) {
                continue;
            }
            LocalDate day =
                    Instant.ofEpochMilli(a.windowStartMillis()).atZone(timeZone).toLocalDate();
            Sum sum =
                    hours.computeIfAbsent(a.metric(), m -> new TreeMap<>())
                            .computeIfAbsent(day, d -> new HashMap<>())
                            .computeIfAbsent(a.zoneId(), z -> new Sum());
            if (a.coverage() * coverageUnit.toMillis() >= minimumMillis) {
                sum.add(a.mean(), a.distinctSensors());
            }
        }

        List<IndicatorRow> rows = new ArrayList<>();
        for (Metric metric : METRICS) {
            TreeMap<LocalDate, Map<String, Sum>> byDay = hours.get(metric);
            if (byDay == null) {
                continue;
            }
            // district -> day -> its day's part
            Map<LocalDate, Map<String, Part>> days = new TreeMap<>();
            byDay.forEach(
                    (day, sums) -> {
                        Map<String, Part> parts = new HashMap<>();
                        sums.forEach((district, sum) -> parts.put(district, sum.part()));
                        days.put(day, parts);
                    });
            Set<Period> periods = new TreeSet<>();
            for (LocalDate day : days.keySet()) {
                for (PeriodKind kind : kinds) {
                    periods.add(Period.of(kind, day));
                }
            }
            for (Period period : periods) {
                List<IndicatorRow> districtRows = new ArrayList<>(districts.size());
                for (Zone d : districts) {
                    Part part =
                            period.kind() == PeriodKind.DAY
                                    ? days.get(period.first()).getOrDefault(d.id(), Part.NONE)
                                    : daysOf(days, period, d.id());
                    districtRows.add(districtRow(metric, d, period, part, now));
                }
                rows.add(cityRow(metric, period, districtRows, now));
                rows.addAll(districtRows);
            }
        }
        return rows;
    }

    /** A district's month or year from its valid days. */
    private Part daysOf(Map<LocalDate, Map<String, Part>> days, Period period, String district) {
        Sum sum = new Sum();
        days.forEach(
                (day, parts) -> {
                    Part p = parts.get(district);
                    if (period.contains(day) && p != null && isValid(p, PeriodKind.DAY, day)) {
                        sum.add(p.value(), p.sensors());
                    }
                });
        return sum.part();
    }

    private boolean isValid(Part p, PeriodKind kind, LocalDate first) {
        return p.value() != null && p.observed() >= required(kind, first);
    }

    /** Valid parts a period needs under the standard. */
    int required(PeriodKind kind, LocalDate first) {
        return switch (kind) {
            case DAY -> standard.hoursForValidDay();
            case MONTH -> standard.daysForValidMonth(YearMonth.from(first));
            case YEAR -> standard.daysForValidYear(Year.from(first));
        };
    }

    private IndicatorRow districtRow(
            Metric metric, Zone district, Period period, Part part, Instant now) {
        boolean valid = isValid(part, period.kind(), period.first());
        Long inhabitants =
                population.apply(district.id()).map(Population::inhabitants).orElse(null);
        long withData = valid && inhabitants != null ? inhabitants : 0;
        AirQualityLimits.Limits limits = AirQualityLimits.of(metric, period.kind()).orElseThrow();
        return row(
                metric,
                district,
                period,
                part.value(),
                valid,
                part.observed(),
                required(period.kind(), period.first()),
                part.sensors(),
                inhabitants,
                withData,
                valid && part.value() > limits.who() ? withData : 0,
                valid && part.value() > limits.national() ? withData : 0,
                now);
    }

    private IndicatorRow cityRow(
            Metric metric, Period period, List<IndicatorRow> districtRows, Instant now) {
        double weighted = 0;
        long withData = 0;
        long sensors = 0;
        long aboveWho = 0;
        long aboveNational = 0;
        int valid = 0;
        Long total = null;
        for (IndicatorRow d : districtRows) {
            if (d.population() != null) {
                total = (total == null ? 0 : total) + d.population();
            }
            if (d.valid()) {
                valid++;
                sensors += d.sensors();
                if (d.population() != null) {
                    weighted += d.population() * d.value();
                    withData += d.population();
                }
            }
            aboveWho += d.populationAboveWho();
            aboveNational += d.populationAboveNational();
        }
        Double value = withData > 0 ? weighted / withData : null;
        return row(
                metric,
                city,
                period,
                value,
                value != null,
                valid,
                districtRows.size(),
                sensors,
                total,
                withData,
                aboveWho,
                aboveNational,
                now);
    }

    private IndicatorRow row(
            Metric metric,
            Zone zone,
            Period period,
            Double value,
            boolean valid,
            int observed,
            int required,
            long sensors,
            Long inhabitants,
            long withData,
            long aboveWho,
            long aboveNational,
            Instant now) {
        Instant end = period.end(timeZone).toInstant();
        return new IndicatorRow(
                ID,
                metric,
                zone.kind(),
                zone.id(),
                zone.name(),
                period,
                timeZone,
                value,
                valid,
                !now.isBefore(end),
                standard,
                observed,
                required,
                sensors,
                inhabitants,
                withData,
                inhabitants == null || inhabitants == 0 ? null : (double) withData / inhabitants,
                aboveWho,
                aboveNational,
                now.isBefore(end.plus(allowedLateness)));
    }
}
