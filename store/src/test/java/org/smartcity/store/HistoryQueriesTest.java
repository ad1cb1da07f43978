package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.api.filter.Filter;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;

class HistoryQueriesTest {

    private static final SimpleFeatureType TYPE =
            AggregateSchema.featureType(AggregateSchema.HISTORY_TYPE, Map.of());

    private static SimpleFeature row(ZoneAggregate a, String updated) {
        return AggregateSchema.toFeature(
                TYPE,
                a.featureId(),
                a,
                TestZones.geometry(a.zoneKind(), a.zoneId()),
                Instant.parse(updated));
    }

    @Test
    void keepsTheHighestRevisionPerIdAndOnReplayTheLatestWrite() {
        ZoneAggregate r1 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate r2 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 2);
        ZoneAggregate next = TestAggregates.pm25District("2026-11-24T05:15:00Z", 1);
        SimpleFeature replayOfR2 = row(r2, "2026-11-24T05:40:00Z");

        List<SimpleFeature> latest =
                HistoryQueries.keepLatest(
                        List.of(
                                        row(next, "2026-11-24T05:31:00Z"),
                                        row(r2, "2026-11-24T05:35:00Z"),
                                        replayOfR2,
                                        row(r1, "2026-11-24T05:16:00Z"))
                                .iterator());

        assertThat(latest).hasSize(2);
        assertThat(latest.get(0)).isSameAs(replayOfR2);
        assertThat(StoredAggregate.fromFeature(latest.get(0)).aggregate()).isEqualTo(r2);
        assertThat(StoredAggregate.fromFeature(latest.get(1)).aggregate()).isEqualTo(next);
    }

    @Test
    void aHigherRevisionWinsEvenIfWrittenEarlier() {
        ZoneAggregate r1 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate r3 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 3);

        List<SimpleFeature> latest =
                HistoryQueries.keepLatest(
                        List.of(row(r3, "2026-11-24T05:20:00Z"), row(r1, "2026-11-24T06:00:00Z"))
                                .iterator());

        assertThat(latest).extracting(f -> f.getAttribute("revision")).containsExactly(3);
    }

    @Test
    void queryFilterSelectsByAreaTimeAndIdentity() {
        ZoneAggregate wuhua = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate wuhuaLater = TestAggregates.pm25District("2026-11-24T06:00:00Z", 1);
        ZoneAggregate panlongNo2 =
                TestAggregates.aggregate(
                        Metric.NO2,
                        ZoneKind.DISTRICT,
                        TestZones.PANLONG,
                        "2026-11-24T05:00:00Z",
                        1);
        ZoneAggregate cell =
                TestAggregates.aggregate(
                        Metric.PM25, ZoneKind.H3, TestZones.CELL, "2026-11-24T05:00:00Z", 1);
        List<SimpleFeature> rows =
                List.of(
                        row(wuhua, "2026-11-24T05:16:00Z"),
                        row(wuhuaLater, "2026-11-24T06:16:00Z"),
                        row(panlongNo2, "2026-11-24T05:16:00Z"),
                        row(cell, "2026-11-24T05:16:00Z"));

        assertThat(ids(rows, HistoryQuery.all()))
                .containsExactly(
                        wuhua.featureId(),
                        wuhuaLater.featureId(),
                        panlongNo2.featureId(),
                        cell.featureId());
        // East of Wuhua: only Panlong's box reaches it.
        assertThat(ids(rows, HistoryQuery.all().bbox(102.80, 25.00, 102.90, 25.20)))
                .containsExactly(panlongNo2.featureId());
        assertThat(
                        ids(
                                rows,
                                HistoryQuery.all()
                                        .windowsStarting(
                                                Instant.parse("2026-11-24T05:30:00Z"), null)))
                .containsExactly(wuhuaLater.featureId());
        assertThat(
                        ids(
                                rows,
                                HistoryQuery.all()
                                        .windowsStarting(
                                                null, Instant.parse("2026-11-24T06:00:00Z"))))
                .containsExactly(wuhua.featureId(), panlongNo2.featureId(), cell.featureId());
        assertThat(ids(rows, HistoryQuery.all().metric(Metric.NO2)))
                .containsExactly(panlongNo2.featureId());
        assertThat(ids(rows, HistoryQuery.all().zoneKind(ZoneKind.H3)))
                .containsExactly(cell.featureId());
        assertThat(
                        ids(
                                rows,
                                HistoryQuery.all()
                                        .metric(Metric.PM25)
                                        .zoneId(TestZones.WUHUA)
                                        .windowLength("15m")))
                .containsExactly(wuhua.featureId(), wuhuaLater.featureId());
        assertThat(ids(rows, HistoryQuery.all().windowLength("1h"))).isEmpty();
    }

    @Test
    void rejectsEmptyRanges() {
        Instant t = Instant.parse("2026-11-24T05:00:00Z");
        assertThatThrownBy(() -> HistoryQuery.all().windowsStarting(t, t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("from must be before to, was " + t + " and " + t);
        assertThatThrownBy(() -> HistoryQuery.all().bbox(103, 25, 102, 26))
                .hasMessage(
                        "bbox must be minLon,minLat,maxLon,maxLat with min <= max, was"
                                + " 103.0,25.0,102.0,26.0");
    }

    private static List<String> ids(List<SimpleFeature> rows, HistoryQuery query) {
        Filter filter = query.toFilter();
        return rows.stream().filter(filter::evaluate).map(SimpleFeature::getID).toList();
    }
}
