package org.smartcity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smartcity.core.zoning.ZoneKind;

class ZoneAggregateTest {

    /** 2026-11-24T05:00:00Z. */
    private static final long T0 = 1_795_496_400_000L;

    private static final ZoneAggregate PM25 =
            new ZoneAggregate(
                    Metric.PM25,
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
                    45);

    @Test
    void withMetricChangesTheMetricAlone() {
        assertThat(PM25.withMetric(Metric.NO2))
                .isEqualTo(
                        new ZoneAggregate(
                                Metric.NO2,
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
                                45));
    }

    @Test
    void withCoverageChangesTheCoverageAlone() {
        assertThat(PM25.withCoverage(60))
                .isEqualTo(
                        new ZoneAggregate(
                                Metric.PM25,
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
                                60));
    }

    @Test
    void aCopyIsCheckedAsTheConstructorChecks() {
        assertThatThrownBy(() -> PM25.withCoverage(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("coverage must not be negative, was -1");
    }
}
