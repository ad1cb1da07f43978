package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartcity.jobs.TestReadings.at;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.zoning.ZoneKind;

/**
 * The window stages as Flink builds them, in an operator harness: revisions, corrections coalesced
 * per interval of processing time ({@link CoalescedCorrectionsTrigger}), and that a window's state
 * and timers are gone once its allowed lateness has passed.
 */
class WindowStagesHarnessTest {
    private static final Duration LATENESS = Duration.ofMinutes(10);
    private static final AggregationSpec SPEC =
            new AggregationSpec(
                    List.of(Duration.ofMinutes(1), Duration.ofMinutes(15)),
                    LATENESS,
                    Duration.ofSeconds(1),
                    new FakeZones());

    /** Processing time in the harness: a quarter into a second of the correction grid. */
    private static final long NOW = 1_000_000_250L;

    /** The next second of the correction grid after {@link #NOW}. */
    private static final long NEXT_SECOND = 1_000_001_000L;

    private static final ZoneKey CITY = new ZoneKey(Metric.PM25, ZoneKind.CITY, "kunming");

    @Test
    void shortestWindowFiresThenCorrectsThenForgets() throws Exception {
        try (var harness = minuteWindows()) {
            harness.open();
            harness.setProcessingTime(NOW);
            harness.processElement(reading("s1", "05:00:10", 10), at("05:00:10"));
            harness.processElement(reading("s2", "05:00:20", 20), at("05:00:20"));
            assertThat(harness.extractOutputValues()).isEmpty();

            harness.processWatermark(at("05:00:59.999"));
            List<WindowPartial> fired = harness.extractOutputValues();
            assertThat(fired).hasSize(1);
            assertPartial(fired.get(0), "05:00:00", 60_000, 1, 2, 30);

            // Late, but within the lateness: the window fires again, complete, as revision 2, on
            // the next second of the correction grid.
            harness.processWatermark(at("05:05:00"));
            harness.processElement(reading("s3", "05:00:30", 30), at("05:00:30"));
            assertThat(harness.extractOutputValues()).hasSize(1);
            harness.setProcessingTime(NEXT_SECOND);
            fired = harness.extractOutputValues();
            assertThat(fired).hasSize(2);
            assertPartial(fired.get(1), "05:00:00", 60_000, 2, 3, 60);
            assertThat(fired.get(1).stats().sensors())
                    .containsExactlyInAnyOrder(
                            SensorIds.hash("s1"), SensorIds.hash("s2"), SensorIds.hash("s3"));

            // Until end + lateness the window (accumulator and revision) is kept ...
            harness.processWatermark(at("05:10:59.998"));
            assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
            // ... then dropped with its timers.
            harness.processWatermark(at("05:10:59.999"));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
            assertThat(harness.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void lateReadingsOfOneIntervalAreOneCorrection() throws Exception {
        try (var harness = minuteWindows()) {
            harness.open();
            harness.setProcessingTime(NOW);
            harness.processElement(reading("s1", "05:00:10", 10), at("05:00:10"));
            harness.processWatermark(at("05:00:59.999"));
            assertThat(harness.extractOutputValues()).hasSize(1);

            // 50 late readings within one second of processing time: no emission yet ...
            harness.processWatermark(at("05:04:00"));
            for (int i = 1; i <= 50; i++) {
                harness.processElement(reading("late" + i, "05:00:20", i), at("05:00:20"));
                harness.setProcessingTime(NOW + i * 10);
            }
            harness.setProcessingTime(NEXT_SECOND - 1);
            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(harness.numProcessingTimeTimers()).isOne();

            // ... then one, with all of them: 10 + (1 + ... + 50) = 1,285.
            harness.setProcessingTime(NEXT_SECOND);
            List<WindowPartial> fired = harness.extractOutputValues();
            assertThat(fired).hasSize(2);
            assertPartial(fired.get(1), "05:00:00", 60_000, 2, 51, 1_285);
            assertThat(harness.numProcessingTimeTimers()).isZero();

            // Nothing late meanwhile: no more emissions, however long it waits.
            harness.setProcessingTime(NEXT_SECOND + 60_000);
            assertThat(harness.extractOutputValues()).hasSize(2);

            // A later late reading is the next correction, in its own interval.
            harness.processElement(reading("late51", "05:00:30", 15), at("05:00:30"));
            harness.setProcessingTime(NEXT_SECOND + 61_000);
            fired = harness.extractOutputValues();
            assertThat(fired).hasSize(3);
            assertPartial(fired.get(2), "05:00:00", 60_000, 3, 52, 1_300);

            harness.processWatermark(at("05:10:59.999"));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
            assertThat(harness.extractOutputValues()).hasSize(3);
        }
    }

    @Test
    void aPendingCorrectionIsEmittedWhenTheWindowIsCleanedUpOrTheInputEnds() throws Exception {
        for (long watermark : new long[] {at("05:10:59.999"), Long.MAX_VALUE}) {
            try (var harness = minuteWindows()) {
                harness.open();
                harness.setProcessingTime(NOW);
                harness.processElement(reading("s1", "05:00:10", 10), at("05:00:10"));
                harness.processWatermark(at("05:09:00"));
                harness.processElement(reading("s2", "05:00:20", 20), at("05:00:20"));
                harness.processElement(reading("s3", "05:00:30", 30), at("05:00:30"));

                // The lateness runs out (or the input ends) before the correction's timer.
                harness.processWatermark(watermark);
                List<WindowPartial> fired = harness.extractOutputValues();
                assertThat(fired).as("watermark %s", watermark).hasSize(2);
                assertPartial(fired.get(0), "05:00:00", 60_000, 1, 1, 10);
                assertPartial(fired.get(1), "05:00:00", 60_000, 2, 3, 60);
                assertThat(harness.numKeyedStateEntries()).isZero();
                assertThat(harness.numEventTimeTimers()).isZero();
                assertThat(harness.numProcessingTimeTimers()).isZero();
                harness.setProcessingTime(NEXT_SECOND);
                assertThat(harness.extractOutputValues()).hasSize(2);
            }
        }
    }

    @Test
    void aLateReadingInAWindowWithoutDataCreatesItAsRevisionOne() throws Exception {
        try (var harness = minuteWindows()) {
            harness.open();
            harness.setProcessingTime(NOW);
            harness.processWatermark(at("05:03:00"));
            harness.processElement(reading("s1", "05:00:10", 10), at("05:00:10"));
            harness.processElement(reading("s2", "05:00:20", 20), at("05:00:20"));
            assertThat(harness.extractOutputValues()).isEmpty();

            harness.setProcessingTime(NEXT_SECOND);
            List<WindowPartial> fired = harness.extractOutputValues();
            assertThat(fired).hasSize(1);
            assertPartial(fired.get(0), "05:00:00", 60_000, 1, 2, 30);
        }
    }

    @Test
    void rollupReplacesACorrectedPartInsteadOfAddingIt() throws Exception {
        try (var harness =
                harness(
                        CityAggregationJob.rollupWindows(
                                stream(WindowPartial.class, minute("05:00:00", 1, 10.0)),
                                Duration.ofMinutes(15),
                                SPEC),
                        WindowPartial::key)) {
            harness.open();
            harness.setProcessingTime(NOW);
            // Each part arrives with its window's last millisecond as timestamp, as Flink emits.
            harness.processElement(minute("05:00:00", 1, 10, 20), at("05:00:59.999"));
            harness.processElement(minute("05:01:00", 1, 40), at("05:01:59.999"));
            harness.processWatermark(at("05:14:59.999"));
            List<WindowPartial> fired = harness.extractOutputValues();
            assertThat(fired).hasSize(1);
            assertPartial(fired.get(0), "05:00:00", 900_000, 1, 3, 70);

            // The 05:00 minute corrected by a late 30: 10+20+30+40, not 10+20+10+20+30+40.
            harness.processWatermark(at("05:16:00"));
            harness.processElement(minute("05:00:00", 2, 10, 20, 30), at("05:00:59.999"));
            harness.setProcessingTime(NEXT_SECOND);
            fired = harness.extractOutputValues();
            assertThat(fired).hasSize(2);
            assertPartial(fired.get(1), "05:00:00", 900_000, 2, 4, 100);
            // Two minutes with data, not three: the corrected minute replaced its first emission.
            assertThat(fired.get(1).stats().coverage()).isEqualTo(2);

            harness.processWatermark(at("05:24:59.999"));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    /** The 1m window stage of {@link #SPEC}. */
    private static KeyedOneInputStreamOperatorTestHarness<String, ZonePartial, WindowPartial>
            minuteWindows() throws Exception {
        return harness(
                CityAggregationJob.shortestWindows(
                        stream(ZonePartial.class, reading("s1", "05:00:10", 10)),
                        SPEC.shortest(),
                        SPEC),
                ZonePartial::key);
    }

    private static void assertPartial(
            WindowPartial p, String start, long length, int revision, long count, double sum) {
        assertThat(p.zone()).isEqualTo(CITY);
        assertThat(p.windowStartMillis()).isEqualTo(at(start));
        assertThat(p.windowLengthMillis()).isEqualTo(length);
        assertThat(p.revision()).isEqualTo(revision);
        assertThat(p.stats().count()).isEqualTo(count);
        assertThat(p.stats().sum()).isEqualTo(sum);
    }

    /** One reading as the combiner sends a correction: a partial of its own. */
    private static ZonePartial reading(String sensor, String time, double value) {
        ZoneStats stats = new ZoneStats();
        stats.add(sensor, value, false);
        long ts = at(time);
        return new ZonePartial(CITY, ts - Math.floorMod(ts, 60_000L), stats);
    }

    /** The emission of the city's 1m window starting at {@code start}, from given values. */
    private static WindowPartial minute(String start, int revision, double... values) {
        ZoneStats stats = new ZoneStats();
        for (int i = 0; i < values.length; i++) {
            stats.add("s" + i, values[i], false);
        }
        return new WindowPartial(CITY, at(start), 60_000, revision, stats);
    }

    /** A stream to build a stage on; the harness, not this stream, feeds the operator. */
    private static <T> DataStream<T> stream(Class<T> type, T sample) {
        return StreamExecutionEnvironment.getExecutionEnvironment()
                .fromData(List.of(sample), TypeInformation.of(type));
    }

    private static <I> KeyedOneInputStreamOperatorTestHarness<String, I, WindowPartial> harness(
            SingleOutputStreamOperator<WindowPartial> stage, KeySelector<I, String> key)
            throws Exception {
        @SuppressWarnings("unchecked")
        var transformation = (OneInputTransformation<I, WindowPartial>) stage.getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(
                transformation.getOperatorFactory(), key, Types.STRING);
    }
}
