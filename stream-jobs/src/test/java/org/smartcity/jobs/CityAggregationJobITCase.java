package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartcity.jobs.TestReadings.at;
import static org.smartcity.jobs.TestReadings.reading;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
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
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.jobs.TestReadings.Sensor;
import org.smartcity.sinks.FlinkTestCluster;

/**
 * The aggregation topology on a bounded stream at parallelism 2: two hours of readings of five
 * metrics from six sensors, out of order by up to 4 s (inside the 5 s bound, so none is late), with
 * readings exactly on window boundaries and sensors in no district. Every aggregate of every zone
 * kind and window length must equal the plain computation of {@link ExpectedAggregates}.
 */
class CityAggregationJobITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final AggregationSpec SPEC = AggregationSpec.withDefaults(new FakeZones());

    @Test
    void aggregatesEveryZoneKindAndWindowLengthExactly() throws Exception {
        List<Reading> input = arrivalOrder(readings(), new Random(7));

        List<ZoneAggregate> actual = run(input);

        Map<String, ZoneAggregate> expected =
                ExpectedAggregates.of(input, new FakeZones(), SPEC.windowLengths());
        Map<String, List<ZoneAggregate>> byFeature =
                actual.stream().collect(Collectors.groupingBy(ZoneAggregate::featureId));
        assertThat(byFeature.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        byFeature.forEach(
                (id, emissions) -> {
                    // Nothing was late, so each window fires exactly once.
                    assertThat(emissions).as(id).hasSize(1);
                    assertThat(emissions.get(0).revision()).as(id).isEqualTo(1);
                    ExpectedAggregates.assertMatches(emissions.get(0), expected.get(id));
                });

        // Every reading counted once per window length in the city; north readings in no district.
        for (Duration length : SPEC.windowLengths()) {
            assertThat(countOf(actual, ZoneKind.CITY, length)).isEqualTo(input.size());
            assertThat(countOf(actual, ZoneKind.H3, length)).isEqualTo(input.size());
            assertThat(countOf(actual, ZoneKind.DISTRICT, length))
                    .isEqualTo(input.stream().filter(r -> r.lat() < 25.10).count());
        }
        assertThat(actual)
                .extracting(ZoneAggregate::windowLengthMillis)
                .containsOnly(60_000L, 900_000L, 3_600_000L, 86_400_000L);
    }

    @Test
    void reportsTheEnergeticMeanForNoiseAndSumAndMaxForTheirMetrics() throws Exception {
        // One 1m window per metric with values whose statistics are easy to check by hand.
        List<Reading> input =
                List.of(
                        reading(TestReadings.WEST_1, Metric.NOISE, "05:00:10", 60),
                        reading(TestReadings.WEST_2, Metric.NOISE, "05:00:20", 70),
                        reading(TestReadings.WEST_1, Metric.TRAFFIC, "05:00:30", 12),
                        reading(TestReadings.WEST_2, Metric.TRAFFIC, "05:00:40", 30),
                        reading(TestReadings.WEST_1, Metric.WATER_LEVEL, "05:00:45", 1.25),
                        reading(TestReadings.WEST_2, Metric.WATER_LEVEL, "05:00:50", 2.5));

        Map<String, ZoneAggregate> city1m = new HashMap<>();
        for (ZoneAggregate a : run(input)) {
            if (a.zoneKind() == ZoneKind.CITY && a.windowLengthMillis() == 60_000) {
                city1m.put(a.metric().id(), a);
            }
        }

        // Leq of 60 and 70 dB: 10·log10((10^6 + 10^7) / 2) = 67.40 dB, not the arithmetic 65.
        ZoneAggregate noise = city1m.get("noise");
        assertThat(noise.mean())
                .isCloseTo(
                        10 * Math.log10((1e6 + 1e7) / 2),
                        org.assertj.core.data.Offset.offset(1e-9));
        assertThat(noise.mean()).isCloseTo(67.40, org.assertj.core.data.Offset.offset(0.01));
        assertThat(city1m.get("traffic").sum()).isEqualTo(42);
        assertThat(city1m.get("water_level").max()).isEqualTo(2.5);
        assertThat(city1m.get("water_level").windowStartMillis()).isEqualTo(at("05:00:00"));
    }

    @Test
    void aLocalDayEndsAtLocalMidnightNotUtcMidnight() throws Exception {
        // 23:30 and 00:30 in Kunming (UTC+8): 15:30 and 16:30 UTC, the same UTC day.
        List<Reading> input =
                List.of(
                        TestReadings.pm25(TestReadings.WEST_1, "15:30:00", 20),
                        TestReadings.pm25(TestReadings.WEST_1, "16:30:00", 50));

        Map<Long, ZoneAggregate> cityDays = new HashMap<>();
        for (ZoneAggregate a : run(input)) {
            if (a.zoneKind() == ZoneKind.CITY && a.windowLengthMillis() == 86_400_000L) {
                cityDays.put(a.windowStartMillis(), a);
            }
        }

        // Local days 2026-11-24 and 2026-11-25 start at 16:00 UTC the day before.
        assertThat(cityDays.keySet())
                .containsExactlyInAnyOrder(
                        Instant.parse("2026-11-23T16:00:00Z").toEpochMilli(),
                        Instant.parse("2026-11-24T16:00:00Z").toEpochMilli());
        assertThat(cityDays.get(Instant.parse("2026-11-23T16:00:00Z").toEpochMilli()).mean())
                .isEqualTo(20);
        assertThat(cityDays.get(Instant.parse("2026-11-24T16:00:00Z").toEpochMilli()).mean())
                .isEqualTo(50);
        assertThat(cityDays.values())
                .extracting(ZoneAggregate::featureId)
                .allMatch(id -> id.endsWith("|1d"));
    }

    @Test
    void coverageCountsMinutesWithReadingsInAnHourAndHoursWithReadingsInADay() throws Exception {
        List<Reading> input = new ArrayList<>();
        // 05:00-05:59 UTC: readings in 44 distinct minutes (two in minute 0), so 44, not 45.
        for (int minute = 0; minute < 44; minute++) {
            input.add(
                    TestReadings.pm25(
                            TestReadings.WEST_1, String.format("05:%02d:10", minute), 30));
        }
        input.add(TestReadings.pm25(TestReadings.WEST_2, "05:00:40", 30));
        // One reading in each of 19 more hours of the same local day (UTC+8: 2026-11-23T16:00Z
        // to 2026-11-24T16:00Z), at 10 past: 20 hours with data in all.
        for (int hour = 6; hour < 16; hour++) {
            input.add(
                    TestReadings.pm25(TestReadings.WEST_1, String.format("%02d:10:00", hour), 30));
        }
        for (int hour = 16; hour < 25; hour++) {
            input.add(
                    reading(
                            TestReadings.WEST_1,
                            Metric.PM25,
                            Instant.parse("2026-11-23T00:10:00Z").toEpochMilli()
                                    + hour * 3_600_000L,
                            30));
        }

        // In event-time order: nothing is late.
        input.sort(Comparator.comparingLong(Reading::timestampMillis));
        Map<String, ZoneAggregate> city = new HashMap<>();
        for (ZoneAggregate a : run(input)) {
            if (a.zoneKind() == ZoneKind.CITY) {
                city.put(a.featureId(), a);
            }
        }

        assertThat(city.get("pm25|city|kunming|" + at("05:00:00") + "|1h").coverage())
                .isEqualTo(44);
        assertThat(city.get("pm25|city|kunming|" + at("05:00:00") + "|15m").coverage())
                .isEqualTo(15);
        assertThat(city.get("pm25|city|kunming|" + at("05:00:00") + "|1m").coverage()).isOne();
        assertThat(city.get("pm25|city|kunming|" + at("06:00:00") + "|1h").coverage()).isOne();
        assertThat(
                        city.get(
                                        "pm25|city|kunming|"
                                                + Instant.parse("2026-11-23T16:00:00Z")
                                                        .toEpochMilli()
                                                + "|1d")
                                .coverage())
                .isEqualTo(20);
    }

    private static List<ZoneAggregate> run(List<Reading> input) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Reading> readings =
                env.fromData(input, TypeInformation.of(Reading.class))
                        .assignTimestampsAndWatermarks(TestWatermarks.perReading(OUT_OF_ORDERNESS))
                        .setParallelism(1);
        AggregationStreams out = CityAggregationJob.aggregate(readings, SPEC);
        List<ZoneAggregate> actual = new ArrayList<>();
        try (CloseableIterator<ZoneAggregate> it = out.aggregates().executeAndCollect()) {
            it.forEachRemaining(actual::add);
        }
        return actual;
    }

    private static long countOf(List<ZoneAggregate> aggregates, ZoneKind kind, Duration length) {
        return aggregates.stream()
                .filter(a -> a.zoneKind() == kind && a.windowLengthMillis() == length.toMillis())
                .mapToLong(ZoneAggregate::count)
                .sum();
    }

    /**
     * Two hours from 05:00 of every sensor reporting a random metric about every 1.5 s, plus
     * readings exactly on 1m, 15m and 1h boundaries and on the last millisecond before them.
     */
    private static List<Reading> readings() {
        Random random = new Random(42);
        Metric[] metrics = {
            Metric.PM25, Metric.NOISE, Metric.TRAFFIC, Metric.WATER_LEVEL, Metric.TEMPERATURE
        };
        List<Reading> readings = new ArrayList<>();
        long start = at("05:00:00");
        for (int i = 0; i < 4_800; i++) {
            Sensor sensor = TestReadings.ALL[random.nextInt(TestReadings.ALL.length)];
            Metric metric = metrics[random.nextInt(metrics.length)];
            readings.add(reading(sensor, metric, start + i * 1_500L, value(metric, random)));
        }
        String[] boundaries = {
            "05:00:00",
            "05:00:59.999",
            "05:01:00",
            "05:14:59.999",
            "05:15:00",
            "05:59:59.999",
            "06:00:00",
            "06:44:59.999",
            "06:45:00",
            "06:59:59.999"
        };
        for (String time : boundaries) {
            for (Sensor sensor : TestReadings.ALL) {
                readings.add(reading(sensor, Metric.PM25, time, value(Metric.PM25, random)));
            }
        }
        return readings;
    }

    private static double value(Metric metric, Random random) {
        return switch (metric) {
            case NOISE -> 40 + Math.round(random.nextDouble() * 550) / 10.0;
            case TRAFFIC -> random.nextInt(31);
            case WATER_LEVEL -> 0.3 + Math.round(random.nextDouble() * 2700) / 1000.0;
            case TEMPERATURE -> -8 + Math.round(random.nextDouble() * 200) / 10.0;
            default -> 5 + Math.round(random.nextDouble() * 1450) / 10.0;
        };
    }

    /**
     * The order readings arrive in: each delayed by up to 4 s, so readings overtake each other by
     * less than the 5 s out-of-orderness and none is late.
     */
    private static List<Reading> arrivalOrder(List<Reading> readings, Random random) {
        Map<Reading, Long> arrival = new IdentityHashMap<>();
        for (Reading r : readings) {
            arrival.put(r, r.timestampMillis() + random.nextInt(4_000));
        }
        List<Reading> ordered = new ArrayList<>(readings);
        ordered.sort(Comparator.comparing(arrival::get));
        return ordered;
    }
}
