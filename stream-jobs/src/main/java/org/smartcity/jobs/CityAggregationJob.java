package org.smartcity.jobs;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.config.CommandLine;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.core.zoning.ZoningOptions;
import org.smartcity.jobs.alerts.AlertStage;
import org.smartcity.sinks.AlertSink;
import org.smartcity.sinks.GeoMesaSink;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.ZoneGeometries;
import org.smartcity.store.ZoningGeometries;

/**
 * The city aggregation job: readings from Kafka, event-time windows per metric and zone (H3 cell,
 * district, city) for every configured length, statistics with late-data corrections, out to the
 * stores.
 *
 * <p>{@link #aggregate} is the topology without I/O, which tests feed a bounded stream; {@link
 * #build} adds the Kafka source and the sinks; {@link #main} is what {@code flink run} calls.
 *
 * <h2>Windows and rollups</h2>
 *
 * Readings are aggregated once, into tumbling windows of the shortest length, each window holding
 * one mergeable {@link ZoneStats}: first per zone in the subtask that read them ({@link
 * LocalWindowCombiner}, until the watermark passes the window's end), then, across subtasks, in the
 * window itself. Each longer window is rolled up from the emissions of the shorter windows inside
 * it (15m from 1m, 1h from 15m, 1d from 1h): it keeps the newest statistics of each part and merges
 * them when it fires. Windows of whole days are local days of the city's time zone ({@link
 * LocalDayWindows}): they close at local midnight, not at UTC midnight.
 *
 * <h2>Watermarks</h2>
 *
 * Event time advances with the readings, trailing the newest by the out-of-orderness, but never
 * beyond the TaskManager's wall clock ({@link WallClockBoundedWatermarks}, per source split): a
 * device whose clock runs a few minutes fast (validation allows up to 5) has its readings counted
 * in their own future windows, and cannot make everybody else's readings late.
 *
 * <h2>Late readings</h2>
 *
 * A reading whose shortest window has ended still counts in that window, as long as the window's
 * end plus the allowed lateness is ahead of the watermark: the window is re-emitted with all its
 * readings and {@code revision + 1}. Corrections are coalesced ({@link
 * CoalescedCorrectionsTrigger}): a late reading does not fire the window at once but marks it, and
 * the window is re-emitted at the next multiple of the correction interval (1 s by default) with
 * every late reading of that interval, or, at the latest, when its lateness runs out or the input
 * ends. A burst of late readings therefore gives one revision per window and interval, not one per
 * reading. That emission flows into the rollup like any other, replaces the window's earlier
 * statistics there, and, if the longer window has already fired, fires it again (coalesced the same
 * way) with its own revision + 1: a correction reaches every length, one interval later per length.
 * (If the longer window has not fired yet, it simply fires later with the corrected part, as
 * revision 1.) A longer window always accepts the correction, because it ends no earlier than its
 * parts, has the same lateness, and sees a watermark no further ahead. Readings later than that go
 * to the late output, counted, and are never part of any aggregate. Window state, revisions
 * included, is dropped when a window's lateness has passed.
 */
public final class CityAggregationJob {
    private static final Logger LOG = LoggerFactory.getLogger(CityAggregationJob.class);

    static final String JOB_NAME = "city-aggregation";

    /** How often sources emit watermarks. */
    static final Duration WATERMARK_INTERVAL = Duration.ofMillis(100);

    private static final String USAGE = "flink run stream-jobs-<version>-job.jar [options]";
    private static final String SUMMARY =
            "Aggregates sensor readings from Kafka per metric, zone (H3 cell, district, city) and"
                    + " event-time window, with late-data corrections.";

    private CityAggregationJob() {}

    /** Runs the job with Kafka in and out; exits with 2 on a configuration error. */
    public static void main(String[] args) {
        int code =
                CommandLine.run(
                        USAGE,
                        SUMMARY,
                        JobConfig.OPTIONS,
                        args,
                        System.getenv(),
                        System.out,
                        System.err,
                        settings -> {
                            LOG.info("Starting {} with\n{}", JOB_NAME, settings.describe());
                            run(JobConfig.from(settings));
                        });
        // Only on failure: a normal return lets Flink's client finish its own work.
        if (code != 0) {
            System.exit(code);
        }
    }

    private static void run(JobConfig cfg) throws Exception {
        checkZoning(cfg);
        LOG.info("Alerts: {}", cfg.alertRules().describe());
        LOG.info(
                "History store: {}; live layer: {}",
                cfg.historyStore().map(StoreConfig::describe).orElse("none"),
                cfg.liveStore().map(StoreConfig::describe).orElse("none"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, cfg, historySink(cfg), liveSink(cfg));
        env.execute(JOB_NAME);
    }

    /** The GeoMesa sink of {@code cfg}'s history store; {@code null} when it is off. */
    public static Sink<ZoneAggregate> historySink(JobConfig cfg) {
        ZoneGeometries geometries = new ZoningGeometries(cfg.zoning());
        return cfg.historyStore().map(store -> GeoMesaSink.history(store, geometries)).orElse(null);
    }

    /** The GeoMesa sink of {@code cfg}'s live layer; {@code null} when it is off. */
    public static Sink<ZoneAggregate> liveSink(JobConfig cfg) {
        ZoneGeometries geometries = new ZoningGeometries(cfg.zoning());
        return cfg.liveStore().map(store -> GeoMesaSink.live(store, geometries)).orElse(null);
    }

    /** Loads the zoning once in the client, so a wrong districts file fails before submission. */
    private static void checkZoning(JobConfig cfg) {
        try {
            LOG.info("Zoning: {}", Zoning.create(cfg.zoning()));
        } catch (RuntimeException e) {
            throw new ConfigException(
                    "Cannot build the zoning ("
                            + ZoningOptions.DISTRICTS.flag()
                            + ", "
                            + ZoningOptions.H3_RESOLUTION.flag()
                            + "): "
                            + e.getMessage());
        }
    }

    /**
     * The whole job on {@code env}: checkpointing, the Kafka readings source, the aggregation, the
     * late readings to their topic and the aggregates to the aggregates topic (unless configured
     * off) and to the given sinks, and, when there are alert rules, the alert stage ({@link
     * AlertStage}) to the alerts topic and, where {@code history} or {@code live} is a {@link
     * GeoMesaSink}, to the same store's {@code city_alerts} ({@link AlertSink}).
     *
     * @param history receives every aggregate emission, all lengths and revisions; {@code null} for
     *     none
     * @param live the live layer, receives every aggregate emission too: the live sink keeps the
     *     newest window per metric, zone and length itself, partitioning the stream once ({@code
     *     GeoMesaSink}); {@code null} for none
     */
    public static AggregationStreams build(
            StreamExecutionEnvironment env,
            JobConfig cfg,
            Sink<ZoneAggregate> history,
            Sink<ZoneAggregate> live) {
        configure(env, cfg);
        DataStream<Reading> readings =
                env.fromSource(
                                Readings.kafkaSource(cfg),
                                Readings.watermarks(cfg.outOfOrderness(), cfg.idleness()),
                                "readings")
                        .uid("readings-source")
                        .name("readings from " + cfg.readingsTopic());
        AggregationStreams out = aggregate(readings, cfg.aggregation());

        out.lateReadings()
                .sinkTo(KafkaSinks.lateReadings(cfg))
                .uid("late-readings-sink")
                .name("late readings to " + cfg.lateTopic());
        if (!cfg.aggregatesTopic().isEmpty()) {
            out.aggregates()
                    .sinkTo(KafkaSinks.aggregates(cfg))
                    .uid("aggregates-kafka-sink")
                    .name("aggregates to " + cfg.aggregatesTopic());
        }
        if (history != null) {
            out.aggregates().sinkTo(history).uid("history-sink").name("history store");
        }
        if (live != null) {
            out.aggregates().sinkTo(live).uid("live-sink").name("live layer");
        }
        if (!cfg.alertRules().isEmpty()) {
            boolean stored = history instanceof GeoMesaSink || live instanceof GeoMesaSink;
            AlertStage.Streams alerts =
                    AlertStage.streams(
                            readings, out.aggregates(), cfg.alertRules(), cfg.zoning(), stored);
            alerts.alerts()
                    .sinkTo(KafkaSinks.alerts(cfg))
                    .uid("alerts-kafka-sink")
                    .name("alerts to " + cfg.kafka().alertsTopic());
            // The alerts go to the stores the aggregates go to (GeoMesa city_alerts), sensor
            // alerts with their sensors' positions.
            DataStream<LocatedAlert> located = alerts.located();
            if (history instanceof GeoMesaSink h) {
                located.sinkTo(AlertSink.history(h.store(), h.geometries()))
                        .uid("alerts-history-sink")
                        .name("alerts to the history store");
            }
            if (live instanceof GeoMesaSink l) {
                located.sinkTo(AlertSink.live(l.store(), l.geometries()))
                        .uid("alerts-live-sink")
                        .name("active alerts to the live layer");
            }
        }
        return out;
    }

    private static void configure(StreamExecutionEnvironment env, JobConfig cfg) {
        if (cfg.parallelism() > 0) {
            env.setParallelism(cfg.parallelism());
        }
        long interval = cfg.checkpointInterval().toMillis();
        env.enableCheckpointing(interval, CheckpointingMode.EXACTLY_ONCE);
        CheckpointConfig checkpoints = env.getCheckpointConfig();
        // Leave the job time to process between checkpoints when one takes long.
        checkpoints.setMinPauseBetweenCheckpoints(interval / 2);
        // A window fires when the next watermark passes its end: twice as often as Flink's 200 ms
        // default keeps the presenters' map closer to event time, for a negligible cost.
        env.getConfig().setAutoWatermarkInterval(WATERMARK_INTERVAL.toMillis());
        // Network buffers keep Flink's 100 ms timeout: 10 ms cut window close -> alert only for
        // at-least-once delivery (exactly-once waits for the checkpoint: 634 against 651 ms p99 at
        // 500 ms, AlertLatencyBenchmark), and its flusher threads cost 0.03 of a core at the
        // demo's 200 readings/s (PlatformBenchmark: 0.262 cores in all with it).
    }

    /**
     * Windowed aggregates per metric and zone, for every window length of {@code spec}. No I/O:
     * tests feed it a bounded stream with timestamps and watermarks.
     *
     * @param readings readings with event timestamps and watermarks assigned
     */
    public static AggregationStreams aggregate(DataStream<Reading> readings, AggregationSpec spec) {
        // Same parallelism as the input so that it chains to the source: lateness is decided
        // against the watermark the readings arrive with (see ZoneAssignmentFunction).
        SingleOutputStreamOperator<ZoneReading> zoned =
                readings.process(new ZoneAssignmentFunction(spec))
                        .setParallelism(readings.getParallelism())
                        .uid("assign-zones")
                        .name("assign zones, split off late readings");

        // Same parallelism again, so that it chains too: readings are pre-aggregated per zone and
        // window before they cross the network.
        String shortestLabel = ZoneAggregate.windowLabel(spec.shortest().toMillis());
        SingleOutputStreamOperator<ZonePartial> combined =
                zoned.transform(
                                "pre-aggregate " + shortestLabel + " windows",
                                TypeInformation.of(ZonePartial.class),
                                new LocalWindowCombiner(spec.shortest().toMillis()))
                        .setParallelism(readings.getParallelism())
                        .uid("combine-" + shortestLabel);

        Map<Duration, DataStream<WindowPartial>> byLength = new HashMap<>();
        DataStream<WindowPartial> shortest = shortestWindows(combined, spec.shortest(), spec);
        byLength.put(spec.shortest(), shortest);
        DataStream<WindowPartial> all = shortest;
        List<Duration> lengths = spec.windowLengths();
        for (Duration length : lengths.subList(1, lengths.size())) {
            DataStream<WindowPartial> rolledUp =
                    rollupWindows(byLength.get(spec.rollupSource(length)), length, spec);
            byLength.put(length, rolledUp);
            all = all.union(rolledUp);
        }

        DataStream<ZoneAggregate> aggregates =
                all.map(WindowPartial::toAggregate)
                        .returns(TypeInformation.of(ZoneAggregate.class))
                        .uid("to-aggregates")
                        .name("window statistics to aggregates");
        return new AggregationStreams(aggregates, zoned.getSideOutput(ZoneAssignmentFunction.LATE));
    }

    /** The shortest windows, merging the pre-aggregated readings of each zone. */
    static SingleOutputStreamOperator<WindowPartial> shortestWindows(
            DataStream<ZonePartial> partials, Duration length, AggregationSpec spec) {
        String label = ZoneAggregate.windowLabel(length.toMillis());
        return partials.keyBy(ZonePartial::key, Types.STRING)
                .window(TumblingEventTimeWindows.of(length))
                .allowedLateness(spec.allowedLateness())
                .trigger(correctionsTrigger(spec))
                .aggregate(
                        new ZoneStatsAggregator(),
                        new RevisionWindowFunction(length.toMillis()),
                        ZoneStatsTypeInfo.INSTANCE,
                        ZoneStatsTypeInfo.INSTANCE,
                        TypeInformation.of(WindowPartial.class))
                .uid("window-" + label)
                .name("aggregate " + label + " windows");
    }

    /** Windows of {@code length}, rolled up from the emissions of shorter windows. */
    static SingleOutputStreamOperator<WindowPartial> rollupWindows(
            DataStream<WindowPartial> shorter, Duration length, AggregationSpec spec) {
        String label = ZoneAggregate.windowLabel(length.toMillis());
        return shorter.keyBy(WindowPartial::key, Types.STRING)
                .window(
                        LocalDayWindows.isWholeDays(length)
                                ? LocalDayWindows.of(length, spec.timeZone())
                                : TumblingEventTimeWindows.of(length))
                .allowedLateness(spec.allowedLateness())
                .trigger(correctionsTrigger(spec))
                .aggregate(
                        new RollupAggregator(spec.coverageCountsParts(length)),
                        new RevisionWindowFunction(length.toMillis()),
                        Types.MAP(Types.LONG, ZoneStatsTypeInfo.INSTANCE),
                        ZoneStatsTypeInfo.INSTANCE,
                        TypeInformation.of(WindowPartial.class))
                .uid("rollup-" + label)
                .name("roll up " + label + " windows");
    }

    /** Every window stage fires on time once, then at most once per correction interval. */
    private static CoalescedCorrectionsTrigger correctionsTrigger(AggregationSpec spec) {
        return new CoalescedCorrectionsTrigger(spec.correctionInterval(), spec.allowedLateness());
    }
}
