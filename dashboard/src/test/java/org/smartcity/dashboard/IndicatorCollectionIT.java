package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.geotools.api.data.DataStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.CityArea;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.indicators.IndicatorConfig;
import org.smartcity.core.indicators.IndicatorRow;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryCompactor;
import org.smartcity.store.HistoryLayout;
import org.smartcity.store.StoreConfig;

/**
 * The {@code indicators} collection over a FileSystem history store holding what the job writes: 1h
 * district aggregates with their coverage, and corrections as higher revisions. Kunming's districts
 * and their 2023 populations; expected values worked out by hand.
 */
class IndicatorCollectionIT {
    private static final ZoneId KUNMING = ZoneId.of("Asia/Shanghai");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 4);
    private static final String WUHUA = "530102"; // 1,179,000 inhabitants
    private static final String PANLONG = "530103"; // 1,023,500
    private static final long ALL = 8_680_000; // the 14 units' 2023 figures
    private static final Zoning ZONING = Zoning.kunming();

    @TempDir Path dir;

    private static ZoneAggregate hour(String district, int hour, double mean, int revision) {
        return hour(DAY, district, hour, mean, revision);
    }

    private static ZoneAggregate hour(
            LocalDate day, String district, int hour, double mean, int revision) {
        long start = day.atTime(hour, 0).atZone(KUNMING).toInstant().toEpochMilli();
        return new ZoneAggregate(
                Metric.PM25,
                ZoneKind.DISTRICT,
                district,
                start,
                3_600_000,
                45,
                2,
                mean,
                mean,
                mean,
                45 * mean,
                mean,
                mean,
                revision,
                45);
    }

    private IndicatorCollection collection(DataStore store) {
        return new IndicatorCollection(
                store,
                ZONING,
                CityArea.KUNMING,
                KUNMING,
                IndicatorConfig.defaults(),
                Duration.ofMinutes(1),
                Clock.fixed(Instant.parse("2027-01-10T00:00:00Z"), ZoneOffset.UTC));
    }

    private static List<IndicatorRow> query(IndicatorCollection c, String params) throws Exception {
        Params p = Params.parse(params);
        return c.query(new CollectionProvider.ItemQuery(p, p.bbox(), p.datetime(), 1000, 0))
                .items();
    }

    private static IndicatorRow city(IndicatorCollection c) throws Exception {
        List<IndicatorRow> rows = query(c, "zone_kind=city&period_kind=day&metric=pm25");
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void rowsFollowTheHistoryAndItsCorrections() throws Exception {
        StoreConfig config = StoreConfig.FileSystem.parquet(dir.resolve("history").toString());
        List<ZoneAggregate> first = new ArrayList<>();
        for (int h = 0; h < 20; h++) {
            first.add(hour(WUHUA, h, 40, 1));
        }
        for (int h = 0; h < 19; h++) {
            first.add(hour(PANLONG, h, 20, 1));
        }
        TestStores.writeHistory(config, Instant.parse("2026-12-05T00:00:00Z"), first);

        DataStore store =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
        try {
            IndicatorCollection c = collection(store);

            // Day, month and year, each for the city and the 14 districts.
            assertThat(query(c, "metric=pm25")).hasSize(45);
            assertThat(query(c, "period_kind=day&zone_kind=district")).hasSize(14);

            IndicatorRow city = city(c);
            assertThat(city.value()).isEqualTo(40);
            assertThat(city.valid()).isTrue();
            assertThat(city.populationWithData()).isEqualTo(1_179_000);
            assertThat(city.population()).isEqualTo(ALL);
            assertThat(city.populationShareWithData()).isCloseTo(1_179_000.0 / ALL, within(1e-12));
            assertThat(city.populationAboveWho()).isEqualTo(1_179_000);
            assertThat(city.populationAboveNational()).isZero();
            assertThat(city.provisional()).isFalse();

            IndicatorRow panlong =
                    c.get("sdg-11.6.2|pm25|district|" + PANLONG + "|2026-12-04").orElseThrow();
            assertThat(panlong.value()).isEqualTo(20);
            assertThat(panlong.observed()).isEqualTo(19);
            assertThat(panlong.valid()).isFalse();
            IndicatorRow gap = c.get("sdg-11.6.2|pm25|district|530113|2026-12-04").orElseThrow();
            assertThat(gap.value()).isNull();
            assertThat(gap.valid()).isFalse();
            assertThat(c.get("sdg-11.6.2|pm25|district|530113|2026-12-05")).isEmpty();
            assertThat(c.get("not|an|id")).isEmpty();

            ObjectNode f = c.feature(city);
            assertThat(f.get("id").asText()).isEqualTo("sdg-11.6.2|pm25|city|kunming|2026-12-04");
            assertThat(f.get("geometry").get("type").asText()).endsWith("Polygon");
            ObjectNode p = (ObjectNode) f.get("properties");
            assertThat(p.get("period_start").asText()).isEqualTo("2026-12-04T00:00:00+08:00");
            assertThat(p.get("period_end").asText()).isEqualTo("2026-12-05T00:00:00+08:00");
            assertThat(p.get("period_kind").asText()).isEqualTo("day");
            assertThat(p.get("standard").asText()).isEqualTo("GB 3095-2012");
            assertThat(p.get("required").asInt()).isEqualTo(14);
            assertThat(p.get("unit").asText()).isEqualTo("ug/m3");
            assertThat(c.feature(gap).get("properties").get("value").isNull()).isTrue();
            assertThat(c.csvRow(gap).get(c.csvHeader().indexOf("value"))).isNull();

            // datetime selects the periods it meets, earliest start first: the day before meets
            // only the year and the month.
            assertThat(query(c, "zone_kind=city&datetime=2026-12-03T12:00:00Z"))
                    .extracting(r -> r.period().label())
                    .containsExactly("2026", "2026-12");
            assertThat(query(c, "zone_kind=city&datetime=2026-12-04T12:00:00Z"))
                    .extracting(r -> r.period().label())
                    .containsExactly("2026", "2026-12", "2026-12-04");
        } finally {
            store.dispose();
        }

        // A late reading corrects Wuhua's 03 hour (revision 2, mean 60) and Panlong gets its 20th
        // hour late: Wuhua (19·40 + 60) / 20 = 41, Panlong 20, the city weights them.
        TestStores.writeHistory(
                config,
                Instant.parse("2026-12-05T00:05:00Z"),
                List.of(hour(WUHUA, 3, 60, 2), hour(PANLONG, 19, 20, 1)));
        DataStore reopened =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
        try {
            IndicatorRow city = city(collection(reopened));
            assertThat(city.value())
                    .isCloseTo(
                            (1_179_000 * 41.0 + 1_023_500 * 20.0) / (1_179_000 + 1_023_500),
                            within(1e-9));
            assertThat(city.observed()).isEqualTo(2);
            assertThat(city.populationWithData()).isEqualTo(2_202_500);
            assertThat(city.populationAboveWho()).isEqualTo(2_202_500);
        } finally {
            reopened.dispose();
        }
    }

    /**
     * The collection keeps the hours it read per partition (a year takes seconds to decode): one
     * collection on one open store, as the dashboard runs it, shows a late correction of a day it
     * has already served and a day backfilled into the past, and then serves exactly what a fresh
     * collection on a freshly opened store computes.
     */
    @Test
    void keptHoursFollowLateCorrectionsAndBackfilledDays() throws Exception {
        StoreConfig config = StoreConfig.FileSystem.parquet(dir.resolve("history").toString());
        List<ZoneAggregate> first = new ArrayList<>();
        for (int h = 0; h < 20; h++) {
            first.add(hour(WUHUA, h, 40, 1));
        }
        TestStores.writeHistory(config, Instant.parse("2026-12-05T00:00:00Z"), first);
        String wuhuaDays = "period_kind=day&metric=pm25&zone_id=" + WUHUA;
        DataStore store =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
        try {
            IndicatorCollection c = collection(store);
            assertThat(query(c, wuhuaDays)).extracting(IndicatorRow::value).containsExactly(40.0);
            String wuhuaYear = "period_kind=year&metric=pm25&zone_id=" + WUHUA;
            assertThat(query(c, wuhuaYear)).extracting(IndicatorRow::value).containsExactly(40.0);

            // Hour 03 corrected to 60 (revision 2): (19·40 + 60) / 20 = 41; a month earlier, a
            // whole day backfilled at 10.
            List<ZoneAggregate> later = new ArrayList<>(List.of(hour(WUHUA, 3, 60, 2)));
            for (int h = 0; h < 24; h++) {
                later.add(hour(DAY.minusDays(30), WUHUA, h, 10, 1));
            }
            TestStores.writeHistory(config, Instant.parse("2026-12-05T00:05:00Z"), later);

            await("the kept collection shows the correction and the backfilled day")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    query(c, wuhuaDays).stream()
                                            .map(IndicatorRow::value)
                                            .toList()
                                            .equals(List.of(10.0, 41.0)));
            IndicatorRow year = query(c, wuhuaYear).get(0);
            assertThat(year.value()).isEqualTo(25.5);
            assertThat(year.observed()).isEqualTo(2);

            DataStore reopened =
                    DataStores.openWithSchema(
                            config, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
            try {
                assertThat(query(c, "metric=pm25"))
                        .hasSize(5 * 15)
                        .isEqualTo(query(collection(reopened), "metric=pm25"));
            } finally {
                reopened.dispose();
            }
        } finally {
            store.dispose();
        }
    }

    @Test
    void aWarmedUpCollectionAnswersAYearWithoutReadingTheStore() throws Exception {
        StoreConfig config = StoreConfig.FileSystem.parquet(dir.resolve("history").toString());
        List<ZoneAggregate> hours = new ArrayList<>();
        for (int h = 0; h < 20; h++) {
            hours.add(hour(WUHUA, h, 30, 1));
            hours.add(hour(DAY.minusDays(400), PANLONG, h, 99, 1)); // before last year: not read
        }
        TestStores.writeHistory(config, Instant.parse("2026-12-05T00:00:00Z"), hours);
        DataStore store =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
        try {
            IndicatorCollection c = collection(store);
            assertThat(c.warmUp()).isPositive();
            long reads = c.partitionReads();
            assertThat(reads).isPositive();

            // The clock says 2027-01-10: the warm-up kept 2026 and 2027, so a query of 2026 reads
            // nothing more, and its rows equal a fresh collection's.
            String year2026 = "period_kind=year&metric=pm25&datetime=2026-06-01T00:00:00Z";
            List<IndicatorRow> rows = query(c, year2026);
            assertThat(c.partitionReads()).isEqualTo(reads);
            assertThat(rows)
                    .filteredOn(r -> r.zoneId().equals(WUHUA))
                    .extracting(IndicatorRow::value)
                    .containsExactly(30.0);
            assertThat(rows).isEqualTo(query(collection(store), year2026));
        } finally {
            store.dispose();
        }
    }

    /**
     * The same hours of PM2.5 and PM10 (two districts, three local days across a month's end, a
     * correction, an H3 hour and a 15 min window that must not count) written the way the sink
     * writes them into a store split by window length on compaction (the default of a new store)
     * and into one that keeps the single type: one collection kept on the split store gives exactly
     * the single store's rows before the compactor moves the days into {@code city_aggregates_1h},
     * after it (the kept partitions notice the move), after a late correction of a moved day, and
     * after that correction is moved too.
     */
    @Test
    void aStoreSplitByWindowLengthGivesTheSingleTypeIndicatorsBeforeAndAfterAMove()
            throws Exception {
        StoreConfig splitConfig = StoreConfig.FileSystem.parquet(dir.resolve("split").toString());
        StoreConfig singleConfig =
                new StoreConfig.FileSystem(
                        dir.resolve("single").toString(),
                        "parquet",
                        StoreConfig.FileSystem.SINGLE_TYPE);
        List<ZoneAggregate> first = new ArrayList<>();
        for (LocalDate day : List.of(LocalDate.of(2026, 11, 30), DAY.minusDays(3), DAY)) {
            for (int h = 0; h < 24; h++) {
                first.add(hour(day, WUHUA, h, 30 + 0.1 * h + day.getDayOfMonth(), 1));
                if (h < 21) {
                    first.add(hour(day, PANLONG, h, 17.3 + 0.7 * h, 1).withMetric(Metric.PM10));
                    first.add(hour(day, PANLONG, h, 11.9 + 0.3 * h, 1));
                }
            }
            first.add(
                    TestStores.aggregate(
                            Metric.PM25,
                            ZoneKind.H3,
                            "8840d8a2d7fffff",
                            day.atStartOfDay(KUNMING).toInstant(),
                            60,
                            1));
            first.add(
                    TestStores.aggregate(
                            Metric.PM25,
                            ZoneKind.DISTRICT,
                            WUHUA,
                            day.atStartOfDay(KUNMING).toInstant(),
                            15,
                            1));
        }
        List<ZoneAggregate> corrections =
                List.of(hour(DAY, WUHUA, 5, 95.5, 2), hour(DAY.minusDays(3), PANLONG, 2, 70, 2));
        for (StoreConfig c : List.of(splitConfig, singleConfig)) {
            TestStores.writeHistory(c, Instant.parse("2026-12-05T00:00:00Z"), first);
            TestStores.writeHistory(c, Instant.parse("2026-12-05T00:01:00Z"), corrections);
        }
        String all = "indicator=sdg-11.6.2";
        DataStore split =
                DataStores.openWithSchema(
                        splitConfig, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
        DataStore single =
                DataStores.openWithSchema(
                        singleConfig, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
        try {
            assertThat(HistoryLayout.splitsOnCompaction(split.getSchema("city_aggregates")))
                    .isTrue();
            IndicatorCollection kept = collection(split);
            List<IndicatorRow> expected = query(collection(single), all);
            // 2 metrics x 15 zones x (3 days + 2 months + 1 year)
            assertThat(expected).hasSize(2 * 15 * 6);
            // Wuhua's 4 December: (sum of 30 + 0.1 h + 4 over h = 0..23, hour 05 replaced by
            // 95.5) / 24.
            double wuhua = 95.5;
            for (int h = 0; h < 24; h++) {
                wuhua += h == 5 ? 0 : 30 + 0.1 * h + 4;
            }
            assertThat(
                            collection(single)
                                    .get("sdg-11.6.2|pm25|district|" + WUHUA + "|2026-12-04")
                                    .orElseThrow()
                                    .value())
                    .isCloseTo(wuhua / 24, within(1e-9));
            assertThat(query(kept, all)).isEqualTo(expected);
            long readsBefore = kept.partitionReads();

            moveFinishedDays(splitConfig);
            DataStore reopened = DataStores.open(splitConfig, StoreConfig.Access.READ);
            try {
                assertThat(HistoryLayout.typesToRead(reopened, null))
                        .contains("city_aggregates_1h", "city_aggregates_15m");
                assertThat(query(collection(reopened), all)).isEqualTo(expected);
            } finally {
                reopened.dispose();
            }
            await("the kept collection reads the moved hours")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    query(kept, all).equals(expected)
                                            && kept.partitionReads() > readsBefore);
            assertThat(query(kept, all)).isEqualTo(expected);

            // A late correction of a moved day goes to city_aggregates; then it is moved too.
            List<ZoneAggregate> late = List.of(hour(DAY, PANLONG, 7, 44.4, 3));
            TestStores.writeHistory(splitConfig, Instant.parse("2026-12-05T00:09:00Z"), late);
            TestStores.writeHistory(singleConfig, Instant.parse("2026-12-05T00:09:00Z"), late);
            List<IndicatorRow> corrected = query(collection(single), all);
            assertThat(corrected).isNotEqualTo(expected);
            await("the kept collection shows the late correction")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> query(kept, all).equals(corrected));
            moveFinishedDays(splitConfig);
            long readsAfterCorrection = kept.partitionReads();
            await("the kept collection reads the moved correction")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    query(kept, all).equals(corrected)
                                            && kept.partitionReads() > readsAfterCorrection);
            assertThat(query(kept, all)).isEqualTo(corrected);
        } finally {
            split.dispose();
            single.dispose();
        }
    }

    /**
     * A day moved into the per-length types is unlisted from {@code city_aggregates}: the kept
     * collection drops that partition instead of keeping its hours beside the moved ones.
     */
    @Test
    void aMovedDayIsNoLongerKept() throws Exception {
        StoreConfig config = StoreConfig.FileSystem.parquet(dir.resolve("split").toString());
        List<ZoneAggregate> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(hour(WUHUA, h, 30 + h, 1));
        }
        TestStores.writeHistory(config, Instant.parse("2026-12-05T00:00:00Z"), hours);
        DataStore store =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.READ, AggregateSchema.HISTORY_TYPE);
        try {
            IndicatorCollection kept = collection(store);
            // Kunming's 4 December is 3 December 16:00 to 4 December 16:00 UTC: two daily
            // partitions of city_aggregates.
            List<IndicatorRow> before = query(kept, "indicator=sdg-11.6.2");
            assertThat(kept.keptPartitions())
                    .hasSize(2)
                    .allMatch(k -> k.startsWith("city_aggregates|"));

            moveFinishedDays(config);
            // One monthly partition of city_aggregates_1h (pm25, December) holds them now.
            await("the kept collection drops the moved days")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    query(kept, "indicator=sdg-11.6.2").equals(before)
                                            && kept.keptPartitions().size() == 1);
            assertThat(kept.keptPartitions()).allMatch(k -> k.startsWith("city_aggregates_1h|"));
        } finally {
            store.dispose();
        }
    }

    /** Runs the compactor as the sink does, on a store of its own: every day is finished. */
    private static void moveFinishedDays(StoreConfig config) throws Exception {
        DataStore writer =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.WRITE, AggregateSchema.HISTORY_TYPE);
        try {
            HistoryCompactor.Result r =
                    new HistoryCompactor(Duration.ZERO, Duration.ofMinutes(10), Clock.systemUTC())
                            .run(writer);
            assertThat(r.partitions()).isPositive();
        } finally {
            writer.dispose();
        }
    }
}
