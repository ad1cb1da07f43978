package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.indicators.IndicatorRow;
import org.smartcity.core.indicators.IndicatorStandard;
import org.smartcity.core.indicators.PeriodKind;
import org.smartcity.core.indicators.Sdg1162;
import org.smartcity.core.zoning.Population;
import org.smartcity.core.zoning.Zone;
import org.smartcity.jobs.TestReadings.Sensor;
import org.smartcity.sinks.FlinkTestCluster;

/**
 * SDG 11.6.2 from readings through the whole aggregation (local days, coverage, late corrections)
 * to indicator rows, against values worked out by hand from the readings (issue 12, "Must show").
 *
 * <p>Kunming time, UTC+8; local days 2026-12-01 (D1) and 2026-12-02 (D2); GB 3095-2012 (an hour
 * needs 45 minutes, a day 20 hours). Districts: West (300,000 inhabitants), East (100,000) and Gap
 * (50,000, no sensors at all).
 *
 * <ul>
 *   <li>West, D1: hours 00-18 with readings in 45 minutes each, value 10 + hour; but hour 05 has
 *       only 44 minutes (value 15) until a late reading at 05:55 (value 60) corrects it after the
 *       hour was emitted: 45 minutes, mean (44·15 + 60) / 45 = 16. Hour 20: 44 minutes (value 100),
 *       not valid. Hour 23: minutes 15-59 (value 30, two sensors), up to local midnight. Valid
 *       hours: 00-18 and 23 = 20, so D1 is valid: (10+...+28 − 15 + 16 + 30) / 20 = 392 / 20 =
 *       19.6.
 *   <li>East, D1: hours 00-18, 45 minutes each, value 40 + hour: 19 valid hours, mean 49, not
 *       valid.
 *   <li>West, D2: 00:00-00:44 (value 50): one valid hour, mean 50, not valid. 23:30 and 00:30 local
 *       fall into different days.
 * </ul>
 */
class IndicatorsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    private static final ZoneId KUNMING = ZoneId.of("Asia/Shanghai");
    private static final LocalDate D1 = LocalDate.of(2026, 12, 1);
    private static final LocalDate D2 = LocalDate.of(2026, 12, 2);
    private static final AggregationSpec SPEC =
            new AggregationSpec(
                    AggregationSpec.DEFAULT_WINDOW_LENGTHS,
                    AggregationSpec.DEFAULT_ALLOWED_LATENESS,
                    AggregationSpec.DEFAULT_CORRECTION_INTERVAL,
                    new FakeZones(),
                    KUNMING);

    private static final Zone WEST = Zone.district("west", "West");
    private static final Zone EAST = Zone.district("east", "East");
    private static final Zone GAP = Zone.district("gap", "Gap");
    private static final Map<String, Population> POPULATION =
            Map.of(
                    "west", new Population(300_000, 2023, "test"),
                    "east", new Population(100_000, 2023, "test"),
                    "gap", new Population(50_000, 2023, "test"));
    private static final Sdg1162 INDICATOR =
            new Sdg1162(
                    KUNMING,
                    IndicatorStandard.GB_3095_2012,
                    Duration.ofMinutes(1),
                    AggregationSpec.DEFAULT_ALLOWED_LATENESS,
                    Zone.city("kunming", "Kunming"),
                    List.of(WEST, EAST, GAP),
                    id -> Optional.ofNullable(POPULATION.get(id)));

    private static long local(LocalDate day, int hour, int minute) {
        return day.atTime(hour, minute, 10).atZone(KUNMING).toInstant().toEpochMilli();
    }

    private static Reading pm25(Sensor s, long ts, double value) {
        return TestReadings.reading(s, Metric.PM25, ts, value);
    }

    private static List<Reading> readings() {
        List<Reading> in = new ArrayList<>();
        for (int hour = 0; hour <= 18; hour++) {
            int minutes = hour == 5 ? 44 : 45;
            for (int m = 0; m < minutes; m++) {
                in.add(pm25(TestReadings.WEST_1, local(D1, hour, m), 10 + hour));
            }
            for (int m = 0; m < 45; m++) {
                in.add(pm25(TestReadings.EAST_1, local(D1, hour, m), 40 + hour));
            }
        }
        for (int m = 0; m < 44; m++) {
            in.add(pm25(TestReadings.WEST_1, local(D1, 20, m), 100));
        }
        for (int m = 15; m < 60; m++) {
            in.add(
                    pm25(
                            m % 2 == 0 ? TestReadings.WEST_1 : TestReadings.WEST_2,
                            local(D1, 23, m),
                            30));
        }
        for (int m = 0; m < 45; m++) {
            in.add(pm25(TestReadings.WEST_1, local(D2, 0, m), 50));
        }
        in.sort(Comparator.comparingLong(Reading::timestampMillis));
        // The late reading arrives once event time has passed 06:01 (the 05 hour has been emitted)
        // but within the 10 minutes its 05:55 minute accepts corrections.
        int at = 0;
        while (in.get(at).timestampMillis() < local(D1, 6, 1)) {
            at++;
        }
        in.add(at + 1, pm25(TestReadings.WEST_1, local(D1, 5, 55), 60));
        return in;
    }

    @Test
    void dailyMonthlyAndYearlyRowsFromTheStream() throws Exception {
        Map<String, ZoneAggregate> newest = new HashMap<>();
        for (ZoneAggregate a : run(readings())) {
            newest.merge(a.featureId(), a, (x, y) -> x.revision() >= y.revision() ? x : y);
        }
        // Whether the 05 hour was emitted before the correction reached it depends on timing (then
        // revision 2 corrects it; else revision 1 already holds it): its newest emission has it.
        ZoneAggregate hour5 = newest.get("pm25|district|west|" + hourStart(D1, 5) + "|1h");
        assertThat(hour5.coverage()).isEqualTo(45);
        assertThat(hour5.max()).isEqualTo(60);
        assertThat(hour5.mean()).isCloseTo(16, within(1e-9));
        assertThat(newest.get("pm25|district|west|" + hourStart(D1, 20) + "|1h").coverage())
                .isEqualTo(44);

        Instant later = Instant.parse("2027-02-01T00:00:00Z");
        Map<String, IndicatorRow> rows = new HashMap<>();
        for (IndicatorRow r : INDICATOR.rows(newest.values(), Set.of(PeriodKind.values()), later)) {
            rows.put(r.zoneId() + "|" + r.period().label(), r);
        }
        // 4 periods (D1, D2, 2026-12, 2026) x (city + 3 districts).
        assertThat(rows).hasSize(16);

        IndicatorRow west = rows.get("west|2026-12-01");
        assertThat(west.value()).isCloseTo(19.6, within(1e-9));
        assertThat(west.valid()).isTrue();
        assertThat(west.observed()).isEqualTo(20);
        assertThat(west.required()).isEqualTo(20);
        assertThat(west.sensors()).isEqualTo(2);
        assertThat(west.population()).isEqualTo(300_000);
        assertThat(west.populationWithData()).isEqualTo(300_000);
        assertThat(west.populationShareWithData()).isEqualTo(1.0);
        assertThat(west.populationAboveWho()).isEqualTo(300_000);
        assertThat(west.populationAboveNational()).isZero();

        IndicatorRow east = rows.get("east|2026-12-01");
        assertThat(east.value()).isCloseTo(49, within(1e-9));
        assertThat(east.valid()).isFalse();
        assertThat(east.observed()).isEqualTo(19);
        assertThat(east.populationWithData()).isZero();
        assertThat(east.populationAboveWho()).as("not valid, so not counted").isZero();

        IndicatorRow gap = rows.get("gap|2026-12-01");
        assertThat(gap.value()).isNull();
        assertThat(gap.valid()).isFalse();
        assertThat(gap.observed()).isZero();
        assertThat(gap.sensors()).isZero();
        assertThat(gap.population()).isEqualTo(50_000);
        assertThat(gap.populationShareWithData()).isEqualTo(0.0);

        IndicatorRow city = rows.get("kunming|2026-12-01");
        assertThat(city.value()).as("only West is valid").isCloseTo(19.6, within(1e-9));
        assertThat(city.valid()).isTrue();
        assertThat(city.observed()).isEqualTo(1);
        assertThat(city.required()).isEqualTo(3);
        assertThat(city.sensors()).isEqualTo(2);
        assertThat(city.population()).isEqualTo(450_000);
        assertThat(city.populationWithData()).isEqualTo(300_000);
        assertThat(city.populationShareWithData()).isCloseTo(300_000.0 / 450_000, within(1e-12));
        assertThat(city.populationAboveWho()).isEqualTo(300_000);
        assertThat(city.populationAboveNational()).isZero();
        assertThat(city.complete()).isTrue();
        assertThat(city.provisional()).isFalse();
        assertThat(city.standard()).isEqualTo(IndicatorStandard.GB_3095_2012);

        IndicatorRow westD2 = rows.get("west|2026-12-02");
        assertThat(westD2.value()).isEqualTo(50);
        assertThat(westD2.observed()).isEqualTo(1);
        assertThat(westD2.valid()).isFalse();
        assertThat(rows.get("east|2026-12-02").value()).isNull();
        assertThat(rows.get("kunming|2026-12-02").value()).isNull();
        assertThat(rows.get("kunming|2026-12-02").valid()).isFalse();

        for (String period : List.of("2026-12", "2026")) {
            IndicatorRow m = rows.get("west|" + period);
            assertThat(m.value()).as(period).isCloseTo(19.6, within(1e-9));
            assertThat(m.observed()).as(period).isEqualTo(1);
            assertThat(m.valid()).as(period).isFalse();
            assertThat(rows.get("east|" + period).value()).as(period).isNull();
            assertThat(rows.get("gap|" + period).value()).as(period).isNull();
            assertThat(rows.get("kunming|" + period).value()).as(period).isNull();
            assertThat(rows.get("kunming|" + period).populationWithData()).isZero();
        }
        assertThat(rows.get("west|2026-12").required()).isEqualTo(27);
        assertThat(rows.get("west|2026").required()).isEqualTo(324);

        // Five minutes after local midnight: D1 has ended but may still be corrected; D2 is open.
        Instant justAfter = Instant.ofEpochMilli(local(D2, 0, 5));
        Map<String, IndicatorRow> early = new HashMap<>();
        for (IndicatorRow r : INDICATOR.rows(newest.values(), Set.of(PeriodKind.DAY), justAfter)) {
            early.put(r.zoneId() + "|" + r.period().label(), r);
        }
        assertThat(early).hasSize(8);
        assertThat(early.get("kunming|2026-12-01").complete()).isTrue();
        assertThat(early.get("kunming|2026-12-01").provisional()).isTrue();
        assertThat(early.get("kunming|2026-12-02").complete()).isFalse();
        assertThat(early.get("kunming|2026-12-02").provisional()).isTrue();
    }

    private static long hourStart(LocalDate day, int hour) {
        return day.atTime(hour, 0).atZone(KUNMING).toInstant().toEpochMilli();
    }

    private static List<ZoneAggregate> run(List<Reading> input) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Reading> readings =
                env.fromData(input, TypeInformation.of(Reading.class))
                        .assignTimestampsAndWatermarks(
                                TestWatermarks.perReading(Duration.ofSeconds(5)))
                        .setParallelism(1);
        AggregationStreams out = CityAggregationJob.aggregate(readings, SPEC);
        List<ZoneAggregate> actual = new ArrayList<>();
        try (CloseableIterator<ZoneAggregate> it = out.aggregates().executeAndCollect()) {
            it.forEachRemaining(actual::add);
        }
        return actual;
    }
}
