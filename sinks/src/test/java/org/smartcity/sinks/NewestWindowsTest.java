package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.TestAggregates;
import org.smartcity.store.TestZones;

class NewestWindowsTest {

    private final NewestWindows newest = new NewestWindows();

    private boolean admit(ZoneAggregate a) {
        return newest.admit(AggregateSchema.liveId(a), a);
    }

    @Test
    void admitsNewerWindowsAndRevisionsButNotOlderOnes() {
        ZoneAggregate t1 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate t2 = TestAggregates.pm25District("2026-11-24T05:15:00Z", 1);
        ZoneAggregate t2r2 = TestAggregates.pm25District("2026-11-24T05:15:00Z", 2);
        ZoneAggregate t1r2 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 2);

        assertThat(admit(t1)).isTrue();
        assertThat(admit(t2)).isTrue();
        assertThat(admit(t2r2)).isTrue();
        assertThat(admit(t1r2)).as("a late correction of an older window").isFalse();
        assertThat(admit(t2)).as("an older revision of the newest window").isFalse();
        assertThat(admit(t2r2)).as("a replay of the newest").isTrue();
        assertThat(newest.size()).isEqualTo(1);
    }

    @Test
    void tracksEachLiveIdOnItsOwn() {
        ZoneAggregate wuhuaLate = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate panlong =
                TestAggregates.aggregate(
                        Metric.PM25,
                        ZoneKind.DISTRICT,
                        TestZones.PANLONG,
                        "2026-11-24T05:30:00Z",
                        1);

        assertThat(admit(panlong)).isTrue();
        assertThat(admit(wuhuaLate)).isTrue();
        assertThat(newest.size()).isEqualTo(2);
    }
}
