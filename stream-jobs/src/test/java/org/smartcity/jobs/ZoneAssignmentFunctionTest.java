package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartcity.jobs.TestReadings.NORTH_1;
import static org.smartcity.jobs.TestReadings.WEST_1;
import static org.smartcity.jobs.TestReadings.at;
import static org.smartcity.jobs.TestReadings.pm25;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.zoning.ZoneKind;

class ZoneAssignmentFunctionTest {
    private OneInputStreamOperatorTestHarness<Reading, ZoneReading> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new ZoneAssignmentFunction(AggregationSpec.withDefaults(new FakeZones())));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void countsAReadingInEachOfItsZones() throws Exception {
        Reading r = pm25(WEST_1, "05:00:10", 38.5);
        harness.processElement(r, r.timestampMillis());

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        zoned(r, ZoneKind.H3, "2504_10268"),
                        zoned(r, ZoneKind.DISTRICT, "west"),
                        zoned(r, ZoneKind.CITY, "kunming"));
    }

    @Test
    void aReadingInNoDistrictCountsInItsCellAndTheCity() throws Exception {
        Reading r = pm25(NORTH_1, "05:00:10", 12);
        harness.processElement(r, r.timestampMillis());

        assertThat(harness.extractOutputValues())
                .extracting(z -> z.zone().zoneKind())
                .containsExactly(ZoneKind.H3, ZoneKind.CITY);
    }

    @Test
    void splitsOffReadingsWhoseWindowClosedForGood() throws Exception {
        // The 05:00 minute accepts corrections until 05:10:59.999.
        harness.processWatermark(at("05:10:59.998"));
        Reading stillInTime = pm25(WEST_1, "05:00:59.999", 1);
        harness.processElement(stillInTime, stillInTime.timestampMillis());
        harness.processWatermark(at("05:10:59.999"));
        Reading tooLate = pm25(WEST_1, "05:00:00", 2);
        harness.processElement(tooLate, tooLate.timestampMillis());
        Reading nextMinute = pm25(WEST_1, "05:01:00", 3);
        harness.processElement(nextMinute, nextMinute.timestampMillis());

        assertThat(harness.extractOutputValues())
                .extracting(ZoneReading::value)
                .containsExactly(1.0, 1.0, 1.0, 3.0, 3.0, 3.0);
        assertThat(harness.getSideOutput(ZoneAssignmentFunction.LATE))
                .extracting(StreamRecord::getValue)
                .containsExactly(
                        new LateReading(
                                tooLate,
                                at("05:00:00"),
                                at("05:01:00"),
                                at("05:10:59.999"),
                                600_000));
    }

    @Test
    void dropsAReadingTheZoningRejectsWithoutFailing() throws Exception {
        var rejecting =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new ZoneAssignmentFunction(
                                AggregationSpec.withDefaults(
                                        r -> {
                                            throw new IllegalArgumentException("not a location");
                                        })));
        try (rejecting) {
            rejecting.processElement(pm25(WEST_1, "05:00:10", 1), at("05:00:10"));
            assertThat(rejecting.extractOutputValues()).isEmpty();
        }
    }

    private static ZoneReading zoned(Reading r, ZoneKind kind, String id) {
        return new ZoneReading(
                new ZoneKey(Metric.PM25, kind, id),
                SensorIds.hash(r.sensorId()),
                r.timestampMillis(),
                r.value());
    }
}
