package org.smartcity.core.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.Population;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoneKind;

/** The indicator's arithmetic from hourly aggregates, with values worked out by hand. */
class Sdg1162Test {
    private static final ZoneId KUNMING = ZoneId.of("Asia/Shanghai");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 4);
    private static final Instant LATER = Instant.parse("2027-06-01T00:00:00Z");
    private static final Map<String, Population> POPULATION =
            Map.of(
                    "a", new Population(100, 2023, "t"),
                    "b", new Population(300, 2023, "t"));

    private static Sdg1162 indicator(IndicatorStandard standard) {
        return new Sdg1162(
                KUNMING,
                standard,
                Duration.ofMinutes(1),
                Duration.ofMinutes(10),
                Zone.city("kunming", "Kunming"),
                List.of(
                        Zone.district("a", "A"),
                        Zone.district("b", "B"),
                        Zone.district("c", "C without population")),
                id -> Optional.ofNullable(POPULATION.get(id)));
    }

    /** The newest emission of district {@code zone}'s hour {@code hour} (local) of {@code day}. */
    private static ZoneAggregate hour(
            Metric metric, String zone, LocalDate day, int hour, double mean, long coverage) {
        long start = day.atTime(hour, 0).atZone(KUNMING).toInstant().toEpochMilli();
        return new ZoneAggregate(
                metric,
                ZoneKind.DISTRICT,
                zone,
                start,
                3_600_000,
                coverage,
                3,
                mean,
                mean,
                mean,
                mean * coverage,
                mean,
                mean,
                1,
                coverage);
    }

    /** {@code hours} valid hours 00.. of {@code day} at {@code mean}. */
    private static List<ZoneAggregate> day(String zone, LocalDate day, int hours, double mean) {
        List<ZoneAggregate> out = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            out.add(hour(Metric.PM25, zone, day, h, mean, 45));
        }
        return out;
    }

    private static Map<String, IndicatorRow> byZoneAndPeriod(List<IndicatorRow> rows) {
        Map<String, IndicatorRow> m = new HashMap<>();
        rows.forEach(r -> m.put(r.metric().id() + "|" + r.zoneId() + "|" + r.period(), r));
        return m;
    }

    @Test
    void theCityIsThePopulationWeightedMeanOfValidDistrictsWithAPopulation() {
        List<ZoneAggregate> in = new ArrayList<>();
        in.addAll(day("a", DAY, 20, 10));
        in.addAll(day("b", DAY, 24, 30));
        in.addAll(day("c", DAY, 20, 99)); // valid, but no population: not weighted

        Map<String, IndicatorRow> rows =
                byZoneAndPeriod(
                        indicator(IndicatorStandard.GB_3095_2012)
                                .rows(in, Set.of(PeriodKind.DAY), LATER));

        IndicatorRow city = rows.get("pm25|kunming|2026-12-04");
        // (100·10 + 300·30) / 400 = 25
        assertThat(city.value()).isCloseTo(25, within(1e-12));
        assertThat(city.observed()).isEqualTo(3);
        assertThat(city.required()).isEqualTo(3);
        assertThat(city.population()).isEqualTo(400);
        assertThat(city.populationWithData()).isEqualTo(400);
        assertThat(city.populationShareWithData()).isEqualTo(1.0);
        assertThat(city.sensors()).isEqualTo(9);
        // WHO 24-h 15: only B (30) is above; national 75: none.
        assertThat(city.populationAboveWho()).isEqualTo(300);
        assertThat(city.populationAboveNational()).isZero();
        assertThat(rows.get("pm25|c|2026-12-04").population()).isNull();
        assertThat(rows.get("pm25|c|2026-12-04").populationShareWithData()).isNull();
        assertThat(rows.get("pm25|c|2026-12-04").valid()).isTrue();
        assertThat(city.period().start(KUNMING).toString())
                .isEqualTo("2026-12-04T00:00+08:00[Asia/Shanghai]");
        assertThat(city.id()).isEqualTo("sdg-11.6.2|pm25|city|kunming|2026-12-04");
    }

    @Test
    void anHourOfUnknownCoverageIsNeverValidAndPm10IsComputedApart() {
        List<ZoneAggregate> in = new ArrayList<>(day("a", DAY, 20, 10));
        in.set(0, hour(Metric.PM25, "a", DAY, 0, 10, 0));
        in.add(hour(Metric.PM10, "b", DAY, 3, 80, 60));
        in.add(hour(Metric.NO2, "b", DAY, 3, 80, 60)); // not part of the indicator

        Map<String, IndicatorRow> rows =
                byZoneAndPeriod(
                        indicator(IndicatorStandard.GB_3095_2012)
                                .rows(in, Set.of(PeriodKind.DAY), LATER));

        assertThat(rows).hasSize(8);
        assertThat(rows.get("pm25|a|2026-12-04").observed()).isEqualTo(19);
        assertThat(rows.get("pm25|a|2026-12-04").valid()).isFalse();
        assertThat(rows.get("pm10|b|2026-12-04").value()).isEqualTo(80);
        assertThat(rows.get("pm10|b|2026-12-04").observed()).isEqualTo(1);
        assertThat(rows.get("pm10|kunming|2026-12-04").value()).isNull();
    }

    @Test
    void theEuStandardNeedsEighteenHoursAndMonthsFollowFromValidDays() {
        List<ZoneAggregate> in = new ArrayList<>();
        for (int d = 1; d <= 28; d++) {
            in.addAll(day("a", LocalDate.of(2026, 2, d), 18, d));
        }

        Map<String, IndicatorRow> gb =
                byZoneAndPeriod(
                        indicator(IndicatorStandard.GB_3095_2012)
                                .rows(in, Set.of(PeriodKind.MONTH), LATER));
        Map<String, IndicatorRow> eu =
                byZoneAndPeriod(
                        indicator(IndicatorStandard.EU_2008_50_EC)
                                .rows(in, Set.of(PeriodKind.MONTH, PeriodKind.YEAR), LATER));

        // GB: 18 hours is no valid day, so February has no valid part at all.
        assertThat(gb.get("pm25|a|2026-02").value()).isNull();
        assertThat(gb.get("pm25|a|2026-02").observed()).isZero();
        // EU: every day valid; mean of 1..28 = 14.5; 28 >= 26 (90% of 28, rounded up).
        assertThat(eu.get("pm25|a|2026-02").value()).isEqualTo(14.5);
        assertThat(eu.get("pm25|a|2026-02").observed()).isEqualTo(28);
        assertThat(eu.get("pm25|a|2026-02").required()).isEqualTo(26);
        assertThat(eu.get("pm25|a|2026-02").valid()).isTrue();
        assertThat(eu.get("pm25|a|2026-02").standard().label()).isEqualTo("EU 2008/50/EC");
        // A month is compared with the annual values: WHO 5, national 35.
        assertThat(eu.get("pm25|a|2026-02").populationAboveWho()).isEqualTo(100);
        assertThat(eu.get("pm25|a|2026-02").populationAboveNational()).isZero();
        assertThat(eu.get("pm25|a|2026").observed()).isEqualTo(28);
        assertThat(eu.get("pm25|a|2026").required()).isEqualTo(329);
        assertThat(eu.get("pm25|a|2026").valid()).isFalse();
    }
}
