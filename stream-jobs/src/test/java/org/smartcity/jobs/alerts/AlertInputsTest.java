package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.core.zoning.ZoningSpec;

/**
 * The one operator that feeds the rules on readings: samples for the sensor rules, district
 * readings for each coverage rule (the district as {@link Zoning#district} gives it, for every
 * reading, whether its position was seen before or not).
 */
class AlertInputsTest {
    private static final CoverageRule COVERAGE =
            new CoverageRule("pm25-coverage", Metric.PM25, 0.5, 600_000L, Severity.MODERATE, "x");

    /** A level rule on water levels (the combiner test's). */
    private static final SensorRule LEVEL = HeardCombinerTest.WATER;

    @Test
    void samplesForSensorRulesAndDistrictsForCoverageRules() throws Exception {
        ZoningSpec spec = ZoningSpec.kunming();
        Zoning zoning = Zoning.create(spec);
        // Two positions in the city (a district each, or none: the zoning decides) and one far
        // away.
        double[][] at = {{25.04, 102.71}, {24.88, 102.83}, {40.0, 116.4}};
        List<Reading> readings =
                List.of(
                        reading("p1", Metric.PM25, at[0], 1),
                        reading("w1", Metric.WATER_LEVEL, at[1], 2),
                        reading("p2", Metric.PM25, at[1], 3),
                        reading("p1", Metric.PM25, at[0], 4), // the same position again
                        reading("p3", Metric.PM25, at[2], 5),
                        reading("n1", Metric.NOISE, at[0], 6));
        List<DistrictReading> expected =
                readings.stream()
                        .filter(r -> r.metric() == Metric.PM25)
                        .flatMap(
                                r ->
                                        zoning.district(r.lat(), r.lon()).map(Zone::id).stream()
                                                .map(
                                                        d ->
                                                                new DistrictReading(
                                                                        d,
                                                                        r.sensorId(),
                                                                        r.metric())))
                        .toList();
        // Both city positions are in districts: p1 twice and p2; p3 is outside every district.
        assertThat(expected).hasSize(3);
        assertThat(zoning.district(at[2][0], at[2][1])).isEqualTo(Optional.empty());

        AlertInputs inputs =
                new AlertInputs(
                        new SensorRulesFunction(List.of(), List.of(LEVEL)),
                        List.of(COVERAGE),
                        spec);
        try (var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(inputs))) {
            h.open();
            for (Reading r : readings) {
                h.processElement(r, r.timestampMillis());
            }
            assertThat(h.extractOutputValues()).containsExactly(SensorSample.of(readings.get(1)));
            assertThat(h.getSideOutput(AlertInputs.coverage(COVERAGE)))
                    .extracting(StreamRecord::getValue)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void sensorsPositionsAreToldWhenFirstSeenOrMovedOnlyForSampledReadingsAndWhenAsked()
            throws Exception {
        double[] a = {25.040612345678, 102.712398765432};
        double[] b = {25.0612, 102.6834};
        List<Reading> readings =
                List.of(
                        reading("w1", Metric.WATER_LEVEL, a, 1),
                        reading("w1", Metric.WATER_LEVEL, a, 2),
                        reading("w2", Metric.WATER_LEVEL, b, 3),
                        // Not sampled (no rule on PM2.5 readings): no position either.
                        reading("p1", Metric.PM25, a, 4),
                        reading("w1", Metric.WATER_LEVEL, a, 5),
                        // w1 moved, then came back.
                        reading("w1", Metric.WATER_LEVEL, b, 6),
                        reading("w1", Metric.WATER_LEVEL, a, 7));
        SensorRulesFunction rules = new SensorRulesFunction(List.of(), List.of(LEVEL));
        try (var h =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(
                                new AlertInputs(rules, List.of(), ZoningSpec.kunming(), true)))) {
            h.open();
            for (Reading r : readings) {
                h.processElement(r, r.timestampMillis());
            }
            assertThat(h.extractOutputValues()).hasSize(6); // every water-level reading
            assertThat(h.getSideOutput(AlertInputs.POSITIONS))
                    .extracting(StreamRecord::getValue)
                    .containsExactly(
                            new SensorPosition("w1", a[0], a[1]),
                            new SensorPosition("w2", b[0], b[1]),
                            new SensorPosition("w1", b[0], b[1]),
                            new SensorPosition("w1", a[0], a[1]));
        }
        // Not asked: none.
        try (var h =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(
                                new AlertInputs(rules, List.of(), ZoningSpec.kunming(), false)))) {
            h.open();
            for (Reading r : readings) {
                h.processElement(r, r.timestampMillis());
            }
            assertThat(h.getSideOutput(AlertInputs.POSITIONS)).isNull();
        }
    }

    private static Reading reading(String sensor, Metric metric, double[] at, long t) {
        return new Reading(sensor, metric, "kunming", t, at[0], at[1], 1.0, null);
    }
}
