package org.smartcity.jobs.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.jobs.AggregationStreams;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;
import org.smartcity.jobs.Readings;
import org.smartcity.jobs.alerts.AlertStage;

/**
 * The two jobs whose throughput is compared, each reading the whole preloaded topic once through
 * the same bounded Kafka source ({@link Readings#boundedKafkaSource}: the job's deserializer, so
 * the same JSON decoding) with the same watermarks, on a fresh local MiniCluster, ending in a
 * discarding sink: what is measured is the pipeline, not a store.
 *
 * <ul>
 *   <li>{@link #ours}: {@link CityAggregationJob#aggregate}, the job's real topology with its
 *       configuration (by default H3 cell, district and city zones; 1m windows rolled up to 15m and
 *       1h; count, distinct sensors, mean/Leq, min, max, sum, DDSketch p50/p95; lateness split).
 *   <li>{@link #sql}: Flink SQL, one zone kind and one length: the H3 cell of each reading from a
 *       scalar function over core's zoning ({@link H3CellFunction}), then {@code COUNT, AVG, MIN,
 *       MAX} per cell, metric and 1-minute {@code TUMBLE} window.
 * </ul>
 *
 * Both end in a counter (a Flink accumulator) of the readings their 1-minute aggregates cover:
 * every preloaded reading must be counted once, or the run is reported as wrong.
 */
final class ThroughputJobs {
    static final String COUNTED = "readingsCounted";
    static final String AGGREGATES = "aggregatesOut";
    static final String ALERTS = "alertsOut";

    /**
     * One run: the job's own runtime, the client's wall time, and what it counted (alerts: alert
     * revisions, when the job had alert rules).
     */
    record Run(
            String job,
            long netRuntimeMillis,
            long wallMillis,
            long counted,
            long aggregates,
            long alerts,
            Steady steady) {
        double readingsPerSecond(long readings) {
            return readings * 1000.0 / Math.max(1, netRuntimeMillis);
        }
    }

    /**
     * The steady part of a run ({@link SteadyMark}): the readings of event time from {@code
     * fromMillis} on, and the time the source took to hand them on, from the first of them (on
     * whichever source subtask saw one first) to the last (on whichever saw it last). {@code
     * readings} is 0 when the run was not marked. {@code cpuNanos}: the CPU time this JVM (the
     * MiniCluster: every task of the job) spent meanwhile.
     */
    record Steady(long fromMillis, long readings, long nanos, long cpuNanos) {
        double readingsPerSecond() {
            return readings * 1e9 / Math.max(1, nanos);
        }

        double cpuMicrosPerReading() {
            return cpuNanos / 1e3 / Math.max(1, readings);
        }
    }

    private ThroughputJobs() {}

    /**
     * The job's topology over the bounded topic, aggregates and late readings discarded; with the
     * configuration's alert rules, its alert stage too ({@link AlertStage}, as {@link
     * CityAggregationJob#build} adds it with stores), the alerts counted and discarded.
     */
    static Run ours(JobConfig cfg) throws Exception {
        return ours(cfg, Long.MIN_VALUE);
    }

    /**
     * As {@link #ours(JobConfig)}, also timing the readings of event time from {@code
     * steadyFromMillis} on as they leave the source ({@link SteadyMark}), unless it is {@code
     * Long.MIN_VALUE}.
     */
    static Run ours(JobConfig cfg, long steadyFromMillis) throws Exception {
        StreamExecutionEnvironment env = environment(cfg);
        DataStream<Reading> readings = source(env, cfg);
        if (steadyFromMillis != Long.MIN_VALUE) {
            readings =
                    readings.map(new SteadyMark(steadyFromMillis))
                            .returns(readings.getType())
                            .name("mark the steady part");
        }
        AggregationStreams out = CityAggregationJob.aggregate(readings, cfg.aggregation());
        long shortest = cfg.aggregation().shortest().toMillis();
        out.aggregates()
                .flatMap(new CountCovered<ZoneAggregate>(a -> covered(a, shortest)))
                .returns(Types.LONG)
                .name("count readings in city aggregates")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        out.lateReadings().sinkTo(new DiscardingSink<>()).name("discard late readings");
        if (!cfg.alertRules().isEmpty()) {
            // As the job builds it when it has stores: with the sensor alerts' positions.
            AlertStage.Streams alerts =
                    AlertStage.streams(
                            readings, out.aggregates(), cfg.alertRules(), cfg.zoning(), true);
            alerts.alerts()
                    .flatMap(new CountAlerts())
                    .returns(Types.LONG)
                    .name("count alerts")
                    .sinkTo(new DiscardingSink<>())
                    .name("discard alerts");
            alerts.located().sinkTo(new DiscardingSink<>()).name("discard located alerts");
        }
        long begin = System.nanoTime();
        JobExecutionResult result = env.execute("bench-city-aggregation");
        return run("ours", result, begin, steadyFromMillis);
    }

    /** The readings a city aggregate of the shortest windows covers (each reading is in one). */
    private static long covered(ZoneAggregate a, long shortestMillis) {
        boolean counts =
                a.zoneKind() == ZoneKind.CITY
                        && a.windowLengthMillis() == shortestMillis
                        && a.revision() == 1;
        return counts ? a.count() : -1;
    }

    /** The same aggregation over H3 cells and 1-minute windows, written in Flink SQL. */
    static Run sql(JobConfig cfg) throws Exception {
        StreamExecutionEnvironment env = environment(cfg);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        // Flat rows of SQL types; the reading's event timestamp and the source's watermarks pass
        // through the map unchanged and become the table's rowtime.
        DataStream<Row> rows =
                source(env, cfg)
                        .map(
                                r ->
                                        Row.of(
                                                r.sensorId(),
                                                r.metric().id(),
                                                r.lat(),
                                                r.lon(),
                                                r.value()))
                        .returns(
                                Types.ROW_NAMED(
                                        new String[] {"sensor_id", "metric", "lat", "lon", "v"},
                                        Types.STRING,
                                        Types.STRING,
                                        Types.DOUBLE,
                                        Types.DOUBLE,
                                        Types.DOUBLE))
                        .name("readings to rows");
        tables.createTemporaryView(
                "readings",
                tables.fromDataStream(
                        rows,
                        Schema.newBuilder()
                                .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
                                .watermark("rowtime", "SOURCE_WATERMARK()")
                                .build()));
        tables.createTemporarySystemFunction("H3_CELL", new H3CellFunction(cfg.zoning()));
        tables.createTemporaryView(
                "zoned",
                tables.sqlQuery(
                        "SELECT H3_CELL(lat, lon) AS h3, metric, v, rowtime FROM readings"));
        Table aggregates =
                tables.sqlQuery(
                        "SELECT h3, metric, window_start, window_end, COUNT(*) AS n,"
                                + " AVG(v) AS mean_v, MIN(v) AS min_v, MAX(v) AS max_v"
                                + " FROM TABLE(TUMBLE(TABLE zoned, DESCRIPTOR(rowtime),"
                                + " INTERVAL '"
                                + cfg.aggregation().shortest().toSeconds()
                                + "' SECOND))"
                                + " GROUP BY h3, metric, window_start, window_end");
        tables.toDataStream(aggregates)
                .flatMap(new CountCovered<Row>(row -> row.<Long>getFieldAs("n")))
                .returns(Types.LONG)
                .name("count readings in cell aggregates")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        long begin = System.nanoTime();
        JobExecutionResult result = env.execute("bench-sql-tumble");
        return run("sql", result, begin, Long.MIN_VALUE);
    }

    private static StreamExecutionEnvironment environment(JobConfig cfg) {
        Configuration conf = new Configuration();
        return StreamExecutionEnvironment.createLocalEnvironment(cfg.parallelism(), conf);
    }

    private static DataStream<Reading> source(StreamExecutionEnvironment env, JobConfig cfg) {
        return env.fromSource(
                        Readings.boundedKafkaSource(cfg),
                        Readings.watermarks(cfg.outOfOrderness(), cfg.idleness()),
                        "readings")
                .uid("readings-source")
                .name("readings from " + cfg.readingsTopic());
    }

    private static Run run(
            String job, JobExecutionResult result, long beginNanos, long steadyFromMillis) {
        long wall = Duration.ofNanos(System.nanoTime() - beginNanos).toMillis();
        Long counted = result.getAccumulatorResult(COUNTED);
        Long aggregates = result.getAccumulatorResult(AGGREGATES);
        Long alerts = result.getAccumulatorResult(ALERTS);
        Long steadyReadings = result.getAccumulatorResult(SteadyMark.READINGS);
        Long steadyFirst = result.getAccumulatorResult(SteadyMark.FIRST);
        Long steadyLast = result.getAccumulatorResult(SteadyMark.LAST);
        Long cpuFirst = result.getAccumulatorResult(SteadyMark.FIRST_CPU);
        Long cpuLast = result.getAccumulatorResult(SteadyMark.LAST_CPU);
        Steady steady =
                steadyReadings == null || steadyReadings == 0
                        ? new Steady(steadyFromMillis, 0, 0, 0)
                        : new Steady(
                                steadyFromMillis,
                                steadyReadings,
                                steadyLast - steadyFirst,
                                cpuLast - cpuFirst);
        return new Run(
                job,
                result.getNetRuntime(),
                wall,
                counted == null ? 0 : counted,
                aggregates == null ? 0 : aggregates,
                alerts == null ? 0 : alerts,
                steady);
    }

    /**
     * Passes readings on unchanged, chained to the source, and notes when the readings of the
     * steady part (event time from {@code fromMillis} on) leave the source: the first one, the last
     * one (to within {@link #EVERY} readings) and how many, in accumulators over all subtasks. The
     * source is held back by the slowest operator after it, so this is the whole job's pace, to
     * within the records in flight between the tasks (the network buffers: a few thousand, against
     * the 1.5 M readings of the default benchmark's steady half). Not timed: the job's start
     * (deployment, Kafka splits, every sensor's first state entry and timers in the first part of
     * the stream) and its end (the windows still open when the input ends).
     */
    static final class SteadyMark extends RichMapFunction<Reading, Reading> {
        private static final long serialVersionUID = 1L;
        static final String READINGS = "steadyReadings";
        static final String FIRST = "steadyFirstNanos";
        static final String LAST = "steadyLastNanos";
        static final String FIRST_CPU = "steadyFirstCpuNanos";
        static final String LAST_CPU = "steadyLastCpuNanos";

        /** Reading the clock for one reading in this many keeps the mark's own cost negligible. */
        private static final int EVERY = 256;

        /** The same for the JVM's CPU time, a system call: to within 0.3% of the steady part. */
        private static final int CPU_EVERY = 4_096;

        private final long fromMillis;
        private transient LongCounter readings;
        private transient LongMinimum first;
        private transient LongMaximum last;
        private transient LongMinimum firstCpu;
        private transient LongMaximum lastCpu;
        private transient OperatingSystemMXBean os;
        private transient long seen;

        SteadyMark(long fromMillis) {
            this.fromMillis = fromMillis;
        }

        @Override
        public void open(OpenContext openContext) {
            readings = new LongCounter();
            first = new LongMinimum();
            last = new LongMaximum();
            getRuntimeContext().addAccumulator(READINGS, readings);
            getRuntimeContext().addAccumulator(FIRST, first);
            getRuntimeContext().addAccumulator(LAST, last);
            firstCpu = new LongMinimum();
            lastCpu = new LongMaximum();
            getRuntimeContext().addAccumulator(FIRST_CPU, firstCpu);
            getRuntimeContext().addAccumulator(LAST_CPU, lastCpu);
            os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        }

        @Override
        public Reading map(Reading r) {
            if (r.timestampMillis() >= fromMillis) {
                if (seen++ == 0) {
                    first.add(System.nanoTime());
                    firstCpu.add(os.getProcessCpuTime());
                }
                if (seen % EVERY == 0) {
                    last.add(System.nanoTime());
                }
                if (seen % CPU_EVERY == 0) {
                    lastCpu.add(os.getProcessCpuTime());
                }
                readings.add(1);
            }
            return r;
        }

        @Override
        public void close() {
            if (seen % EVERY != 0) {
                // The last few readings were not timed; the time now is close enough to theirs.
                last.add(System.nanoTime());
            }
            if (seen % CPU_EVERY != 0) {
                lastCpu.add(os.getProcessCpuTime());
            }
        }
    }

    /** Counts alert revisions in an accumulator; forwards nothing. */
    static final class CountAlerts extends RichFlatMapFunction<Alert, Long> {
        private static final long serialVersionUID = 1L;
        private transient LongCounter alerts;

        @Override
        public void open(OpenContext openContext) {
            alerts = new LongCounter();
            getRuntimeContext().addAccumulator(ALERTS, alerts);
        }

        @Override
        public void flatMap(Alert alert, Collector<Long> out) {
            alerts.add(1);
        }
    }

    /** What of an output record to count: its readings, or -1 when it is not one to count. */
    interface Coverage<T> extends java.io.Serializable {
        long readings(T record);
    }

    /** Counts output records and the readings they cover in accumulators; forwards nothing. */
    static final class CountCovered<T> extends RichFlatMapFunction<T, Long> {
        private static final long serialVersionUID = 1L;
        private final Coverage<T> coverage;
        private transient LongCounter counted;
        private transient LongCounter aggregates;

        CountCovered(Coverage<T> coverage) {
            this.coverage = coverage;
        }

        @Override
        public void open(OpenContext openContext) {
            counted = new LongCounter();
            aggregates = new LongCounter();
            getRuntimeContext().addAccumulator(COUNTED, counted);
            getRuntimeContext().addAccumulator(AGGREGATES, aggregates);
        }

        @Override
        public void flatMap(T record, Collector<Long> out) {
            aggregates.add(1);
            long n = coverage.readings(record);
            if (n >= 0) {
                counted.add(n);
            }
        }
    }
}
