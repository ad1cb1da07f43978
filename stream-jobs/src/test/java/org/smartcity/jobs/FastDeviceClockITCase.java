package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartcity.jobs.TestReadings.NORTH_1;
import static org.smartcity.jobs.TestReadings.at;
import static org.smartcity.jobs.TestReadings.pm25;
import static org.smartcity.jobs.TestReadings.reading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.jobs.TestReadings.Sensor;
import org.smartcity.sinks.FlinkTestCluster;

/**
 * Issue 8's fast device clock at parallelism 2: half an hour of readings arriving once a second
 * from six correct devices (up to 4 s old on arrival), plus a device whose clock runs 4 minutes
 * fast (60 readings, each stamped arrival + 4 min) and a burst of 30 readings uploaded 3 minutes
 * late. With a plain bounded watermark, the first fast reading made every correct reading of the
 * next 4 minutes late, and each re-fired its window.
 *
 * <p>The watermark here is the job's own ({@link WallClockBoundedWatermarks}), emitted after every
 * reading ({@link TestWatermarks#perRecord}), with the arrival time of the reading as the wall
 * clock, so the point where readings become late is the same on every run.
 */
class FastDeviceClockITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final AggregationSpec SPEC = AggregationSpec.withDefaults(new FakeZones());

    /** The device with the fast clock, in the east district, alone in its cell. */
    private static final Sensor FAST = new Sensor("km-fast", 25.0555, 102.7258);

    /** When the late burst arrives, and the minute its readings belong to. */
    private static final long BURST_ARRIVAL = at("05:20:00");

    private static final int BURST = 30;

    /** A reading and when it reaches the job (the wall clock at that moment). */
    public record Arrival(Reading reading, long arrivalMillis) {}

    @Test
    void aFastClockMakesNoReadingLateAndALateBurstIsABoundedNumberOfCorrections() throws Exception {
        List<Arrival> input = scenario(new Random(11));
        List<Reading> readings = input.stream().map(Arrival::reading).toList();

        long begin = System.nanoTime();
        Result result = run(input);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin) + 1;

        assertThat(result.late()).as("readings beyond the lateness").isEmpty();
        Map<String, ZoneAggregate> expected =
                ExpectedAggregates.of(readings, new FakeZones(), SPEC.windowLengths());
        Map<String, List<ZoneAggregate>> byFeature =
                result.aggregates().stream()
                        .collect(Collectors.groupingBy(ZoneAggregate::featureId));
        assertThat(byFeature.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());

        // Windows of the late burst (the north sensor's cell and the city, every length): one
        // emission per correction interval at most, plus the first and the one at the end of
        // input, however many late readings; the last has them all.
        Set<String> corrected = burstWindows();
        assertThat(expected.keySet()).containsAll(corrected);
        long bound = 2 + seconds * 1000 / SPEC.correctionInterval().toMillis();
        for (String id : corrected) {
            List<ZoneAggregate> emissions = byFeature.get(id);
            assertThat(emissions.size()).as(id).isBetween(1, (int) Math.min(bound, BURST));
            assertThat(emissions)
                    .as(id)
                    .extracting(ZoneAggregate::revision)
                    .containsExactlyInAnyOrderElementsOf(
                            IntStream.rangeClosed(1, emissions.size()).boxed().toList());
            ExpectedAggregates.assertMatches(id, newest(emissions), expected.get(id));
        }
        // Every other window, the fast device's included: emitted once, on time, exactly right.
        byFeature.forEach(
                (id, emissions) -> {
                    if (!corrected.contains(id)) {
                        assertThat(emissions).as(id).hasSize(1);
                        assertThat(emissions.get(0).revision()).as(id).isEqualTo(1);
                        ExpectedAggregates.assertMatches(id, emissions.get(0), expected.get(id));
                    }
                });
        // The fast readings count in the minutes of their own timestamps, up to 05:33 (the last
        // two arrived at 05:29:15 and 05:29:45), each once.
        assertThat(byFeature.get("pm25|h3|2505_10272|" + at("05:33:00") + "|1m"))
                .singleElement()
                .satisfies(a -> assertThat(a.count()).isEqualTo(2));
        assertThat(
                        result.aggregates().stream()
                                .filter(a -> a.zoneId().equals("2505_10272"))
                                .filter(a -> a.windowLengthMillis() == 60_000)
                                .mapToLong(ZoneAggregate::count)
                                .sum())
                .isEqualTo(60);
    }

    /**
     * Readings of the six test sensors in turn, one a second from 05:00 to 05:30, each 0-4 s old on
     * arrival; every 30 s one from {@link #FAST} stamped 4 minutes ahead; at 05:20 a burst of
     * {@link #BURST} readings of 05:17 from {@link TestReadings#NORTH_1}.
     */
    private static List<Arrival> scenario(Random random) {
        List<Arrival> input = new ArrayList<>();
        long start = at("05:00:00");
        for (int i = 0; i < 1_800; i++) {
            long arrival = start + i * 1_000L;
            Sensor sensor = TestReadings.ALL[i % TestReadings.ALL.length];
            input.add(
                    new Arrival(
                            reading(
                                    sensor,
                                    Metric.PM25,
                                    arrival - random.nextInt(4_000),
                                    value(random)),
                            arrival));
            if (i % 30 == 15) {
                input.add(
                        new Arrival(
                                reading(FAST, Metric.PM25, arrival + 240_000, value(random)),
                                arrival));
            }
            if (arrival == BURST_ARRIVAL) {
                for (int k = 0; k < BURST; k++) {
                    input.add(
                            new Arrival(
                                    pm25(NORTH_1, "05:17:" + (10 + k), value(random)), arrival));
                }
            }
        }
        return input;
    }

    private static Set<String> burstWindows() {
        Set<String> ids = new HashSet<>();
        for (String zone : List.of("h3|2512_10270", "city|kunming")) {
            ids.add("pm25|" + zone + "|" + at("05:17:00") + "|1m");
            ids.add("pm25|" + zone + "|" + at("05:15:00") + "|15m");
            ids.add("pm25|" + zone + "|" + at("05:00:00") + "|1h");
        }
        return ids;
    }

    private static double value(Random random) {
        return 5 + Math.round(random.nextDouble() * 1450) / 10.0;
    }

    private static ZoneAggregate newest(List<ZoneAggregate> emissions) {
        return emissions.stream()
                .max(Comparator.comparingInt(ZoneAggregate::revision))
                .orElseThrow();
    }

    private record Result(List<ZoneAggregate> aggregates, List<LateReading> late) {}

    private static Result run(List<Arrival> input) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Reading> readings =
                env.fromData(input, TypeInformation.of(Arrival.class))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Arrival>forGenerator(
                                                ctx -> new AtArrival(OUT_OF_ORDERNESS))
                                        .withTimestampAssigner(
                                                (a, ts) -> a.reading().timestampMillis()))
                        .setParallelism(1)
                        .map(Arrival::reading)
                        .returns(TypeInformation.of(Reading.class))
                        .setParallelism(1);
        AggregationStreams out = CityAggregationJob.aggregate(readings, SPEC);
        CloseableIterator<ZoneAggregate> aggregatesIt = out.aggregates().collectAsync();
        CloseableIterator<LateReading> lateIt = out.lateReadings().collectAsync();
        JobClient job = env.executeAsync("fast-device-clock");
        List<ZoneAggregate> aggregates = drain(aggregatesIt);
        List<LateReading> late = drain(lateIt);
        job.getJobExecutionResult().get();
        return new Result(aggregates, late);
    }

    /** The job's watermark after every reading, with the reading's arrival as the wall clock. */
    private static final class AtArrival implements WatermarkGenerator<Arrival> {
        private long now;
        private final WatermarkGenerator<Arrival> job;

        AtArrival(Duration outOfOrderness) {
            job =
                    TestWatermarks.perRecord(
                            new WallClockBoundedWatermarks<>(outOfOrderness, () -> now));
        }

        @Override
        public void onEvent(Arrival arrival, long timestamp, WatermarkOutput output) {
            now = arrival.arrivalMillis();
            job.onEvent(arrival, timestamp, output);
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }

    private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
        List<T> all = new ArrayList<>();
        try (it) {
            it.forEachRemaining(all::add);
        }
        return all;
    }
}
