package org.smartcity.jobs.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.smartcity.core.Reading;
import org.smartcity.core.zoning.ZoningSpec;
import org.smartcity.jobs.AggregationSpec;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.ZoneAssigner;

/**
 * What the {@code 1d} windows cost the aggregation: the job's topology ({@link
 * CityAggregationJob#aggregate}) over the same in-memory readings (no Kafka) with the lengths
 * {@code 1m,15m,1h} and {@code 1m,15m,1h,1d}, alternating, on a local MiniCluster; throughput =
 * readings / Flink's net runtime, medians reported. Readings: {@link BenchSensors} (seeded), every
 * sensor every 10 s over {@code hours} hours of event time crossing local midnight.
 *
 * <p>Run: {@code java -cp <stream-jobs test class path>
 * org.smartcity.jobs.bench.LocalDayCostBenchmark [sensors] [hours] [runs]}.
 */
public final class LocalDayCostBenchmark {
    private LocalDayCostBenchmark() {}

    public static void main(String[] args) throws Exception {
        int sensors = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // 22:30 in Kunming: the run crosses local midnight.
        long start = Instant.parse("2026-12-04T14:30:00Z").toEpochMilli();
        BenchSensors fleet = new BenchSensors(sensors, 7);
        SplittableRandom noise = new SplittableRandom(11);
        List<Reading> readings = new ArrayList<>();
        for (long t = start; t < start + hours * 3_600_000L; t += 10_000) {
            for (int i = 0; i < fleet.count(); i++) {
                readings.add(fleet.reading(i, t + noise.nextInt(2_000), noise));
            }
        }
        ZoneAssigner zones = ZoneAssigner.of(ZoningSpec.kunming());
        List<Duration> without =
                List.of(Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofHours(1));
        List<Duration> with = new ArrayList<>(without);
        with.add(Duration.ofDays(1));
        double[] a = new double[runs];
        double[] b = new double[runs];
        for (int r = 0; r < runs; r++) {
            a[r] = run(readings, new AggregationSpec(without, Duration.ofMinutes(10), zones));
            b[r] = run(readings, new AggregationSpec(with, Duration.ofMinutes(10), zones));
            System.err.printf("run %d: without 1d %.0f/s, with 1d %.0f/s%n", r + 1, a[r], b[r]);
        }
        Arrays.sort(a);
        Arrays.sort(b);
        double ma = a[runs / 2];
        double mb = b[runs / 2];
        System.out.printf(
                "| %,d readings | 1m,15m,1h: %,.0f readings/s | 1m,15m,1h,1d: %,.0f readings/s | ratio %.3f |%n",
                readings.size(), ma, mb, mb / ma);
    }

    private static double run(List<Reading> readings, AggregationSpec spec) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Reading> in =
                env.fromData(readings, TypeInformation.of(Reading.class))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Reading>forBoundedOutOfOrderness(
                                                Duration.ofSeconds(5))
                                        .withTimestampAssigner((r, ts) -> r.timestampMillis()))
                        .setParallelism(1);
        CityAggregationJob.aggregate(in, spec).aggregates().sinkTo(new DiscardingSink<>());
        JobExecutionResult result = env.execute("local-day-cost");
        return readings.size() * 1000.0 / result.getNetRuntime();
    }
}
