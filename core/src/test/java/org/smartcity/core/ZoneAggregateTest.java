package org.smartcity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smartcity.core.zoning.ZoneKind;

class ZoneAggregateTest {

    /** 2026-11-24T05:00:00Z. */
    private static final long T0 = 1_795_496_400_000L;

    private static final ZoneAggregate PM25 = aggregate(Metric.PM25, 45);

    /** One district-hour with fixed statistics, of {@code metric} and {@code coverage}. */
    private static ZoneAggregate aggregate(Metric metric, long coverage) {
        return new ZoneAggregate(
                metric,
                ZoneKind.DISTRICT,
                "530102",
                T0,
                3_600_000,
                40,
                3,
                30.5,
                20,
                41,
                1220,
                30,
                40,
                2,
                coverage);
    }

    @Test
    void withMetricChangesTheMetricAlone() {
        assertThat(PM25.withMetric(Metric.NO2)).isEqualTo(aggregate(Metric.NO2, 45));
    }

    @Test
    void withCoverageChangesTheCoverageAlone() {
        assertThat(PM25.withCoverage(60)).isEqualTo(aggregate(Metric.PM25, 60));
    }

    @Test
    void aCopyIsCheckedAsTheConstructorChecks() {
        assertThatThrownBy(() -> PM25.withCoverage(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("coverage must not be negative, was -1");
    }
}
