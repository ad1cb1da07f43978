package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartcity.jobs.TestReadings.EAST_1;
import static org.smartcity.jobs.TestReadings.EAST_2;
import static org.smartcity.jobs.TestReadings.WEST_1;
import static org.smartcity.jobs.TestReadings.WEST_2;
import static org.smartcity.jobs.TestReadings.at;
import static org.smartcity.jobs.TestReadings.pm25;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.sinks.FlinkTestCluster;

/**
 * Late readings end to end: one within the allowed lateness corrects its 1m window and the 15m and
 * 1h windows rolled up from it (each re-emitted as revision 2), one beyond it goes to the late
 * output and is counted. Corrections are coalesced per interval: the revision 2 comes on the next
 * second of processing time or, at the latest, with the end of input.
 *
 * <p>Runs at parallelism 1: with one channel between operators, the point where a reading becomes
 * late is the same on every run. (At higher parallelism a correction can reach a longer window
 * before its first firing and be part of revision 1 instead; the values are the same.)
 */
class LateReadingsITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            FlinkTestCluster.extension(() -> METRICS.addToConfiguration(new Configuration()));

    private static final AggregationSpec SPEC = AggregationSpec.withDefaults(new FakeZones());

    /** The minute of the late reading and the quarter and hour around it, as in feature ids. */
    private static final List<String> CORRECTED_WINDOWS =
            List.of(at("05:58:00") + "|1m", at("05:45:00") + "|15m", at("05:00:00") + "|1h");

    private final Reading w1 = pm25(WEST_1, "05:58:10", 10);
    private final Reading w2 = pm25(WEST_2, "05:58:20", 30);
    // Moves the watermark to 06:02:04.999: 05:58 to 05:59, 05:45 to 06:00 and 05:00 to 06:00 fire.
    private final Reading e1 = pm25(EAST_1, "06:02:10", 50);
    // 05:58 to 05:59 closes for good at 06:08:59.999: this one still corrects it.
    private final Reading lateWithin = pm25(EAST_2, "05:58:30", 70);
    // 05:50 to 05:51 closed for good at 06:00:59.999: this one counts nowhere.
    private final Reading lateBeyond = pm25(WEST_1, "05:50:00", 90);

    @Test
    void correctsEveryWindowLengthWithinTheLatenessAndSetsAsideWhatIsBeyond() throws Exception {
        List<Reading> input = List.of(w1, w2, e1, lateWithin, lateBeyond);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<Reading> readings =
                env.fromData(input, TypeInformation.of(Reading.class))
                        .assignTimestampsAndWatermarks(
                                TestWatermarks.perReading(Duration.ofSeconds(5)));
        AggregationStreams out = CityAggregationJob.aggregate(readings, SPEC);
        CloseableIterator<ZoneAggregate> aggregatesIt = out.aggregates().collectAsync();
        CloseableIterator<LateReading> lateIt = out.lateReadings().collectAsync();
        JobClient job = env.executeAsync("late-readings");
        List<ZoneAggregate> aggregates = drain(aggregatesIt);
        List<LateReading> late = drain(lateIt);
        job.getJobExecutionResult().get();

        Map<String, ZoneAggregate> before =
                ExpectedAggregates.of(List.of(w1, w2, e1), new FakeZones(), SPEC.windowLengths());
        Map<String, ZoneAggregate> after =
                ExpectedAggregates.of(
                        List.of(w1, w2, e1, lateWithin), new FakeZones(), SPEC.windowLengths());

        // The city's 05:58 minute, quarter and hour: revision 1 without, revision 2 with the
        // late reading, in that order.
        for (String window : CORRECTED_WINDOWS) {
            String id = "pm25|city|kunming|" + window;
            List<ZoneAggregate> emissions = emissionsOf(aggregates, id);
            assertThat(emissions).extracting(ZoneAggregate::revision).containsExactly(1, 2);
            ExpectedAggregates.assertMatches(emissions.get(0), before.get(id));
            ExpectedAggregates.assertMatches(emissions.get(1), after.get(id));
            assertThat(emissions.get(1).count()).isEqualTo(3);
            assertThat(emissions.get(1).max()).isEqualTo(70);
        }
        // The east district had no reading in 05:58 before the late one: its windows appear late,
        // as their first revision.
        for (String window : CORRECTED_WINDOWS) {
            String id = "pm25|district|east|" + window;
            List<ZoneAggregate> emissions = emissionsOf(aggregates, id);
            assertThat(emissions).extracting(ZoneAggregate::revision).containsExactly(1);
            ExpectedAggregates.assertMatches(emissions.get(0), after.get(id));
        }
        // Every window the counted readings touch is there, and its last revision is right.
        assertThat(aggregates)
                .extracting(ZoneAggregate::featureId)
                .hasSameElementsAs(after.keySet());
        after.forEach(
                (id, expected) -> {
                    List<ZoneAggregate> emissions = emissionsOf(aggregates, id);
                    ExpectedAggregates.assertMatches(emissions.get(emissions.size() - 1), expected);
                });

        assertThat(late)
                .containsExactly(
                        new LateReading(
                                lateBeyond,
                                at("05:50:00"),
                                at("05:51:00"),
                                at("06:02:04.999"),
                                Duration.ofMinutes(10).toMillis()));
        JobID jobId = job.getJobID();
        assertThat(counter(jobId, "lateReadings")).isEqualTo(1);
        assertThat(counter(jobId, "readingsIn")).isEqualTo(5);
        // The correction of the city's 05:58 minute: once in each window stage.
        assertThat(counter(jobId, "corrections")).isEqualTo(3);
    }

    private static List<ZoneAggregate> emissionsOf(List<ZoneAggregate> all, String featureId) {
        return all.stream().filter(a -> a.featureId().equals(featureId)).toList();
    }

    private long counter(JobID job, String name) {
        long total = 0;
        for (Map.Entry<String, Metric> e : METRICS.findMetrics(job, name).entrySet()) {
            if (e.getKey().endsWith("." + name)) {
                total += ((Counter) e.getValue()).getCount();
            }
        }
        return total;
    }

    private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
        List<T> all = new ArrayList<>();
        try (it) {
            it.forEachRemaining(all::add);
        }
        return all;
    }
}
