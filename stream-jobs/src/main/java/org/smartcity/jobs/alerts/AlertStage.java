package org.smartcity.jobs.alerts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.zoning.ZoningSpec;

/**
 * The alert stage of the aggregation job: threshold rules on the zone aggregates, sensor and
 * silent-sensor rules and coverage rules on the readings, each evaluated in keyed state by one
 * writer per rule and subject. No I/O: the job sends the result to the alerts topic, tests collect
 * it.
 */
public final class AlertStage {
    private AlertStage() {}

    /**
     * Every alert revision that {@code rules} raise on these streams; {@code null} when there are
     * no rules.
     *
     * @param readings the job's readings, with event timestamps and watermarks
     * @param aggregates every aggregate emission (all window lengths and revisions)
     * @param zoning the job's zones: names of zones, districts of sensors
     */
    public static DataStream<Alert> alerts(
            DataStream<Reading> readings,
            DataStream<ZoneAggregate> aggregates,
            AlertRules rules,
            ZoningSpec zoning) {
        return streams(readings, aggregates, rules, zoning, false).alerts();
    }

    /**
     * The alert stage's output.
     *
     * @param alerts every alert revision (to the alerts topic); {@code null} without rules
     * @param located the same revisions with each sensor alert's sensor position (to the stores),
     *     when asked for; else {@code null}
     */
    public record Streams(DataStream<Alert> alerts, DataStream<LocatedAlert> located) {}

    /**
     * Every alert revision that {@code rules} raise on these streams ({@link #alerts}), and, when
     * {@code located}, the same revisions with the sensors' positions for the stores ({@link
     * AlertPositionFunction}).
     */
    public static Streams streams(
            DataStream<Reading> readings,
            DataStream<ZoneAggregate> aggregates,
            AlertRules rules,
            ZoningSpec zoning,
            boolean located) {
        SubjectNames names = SubjectNames.of(zoning);
        DataStream<Alert> thresholds = thresholdAlerts(aggregates, rules.thresholds(), names);
        SensorRulesFunction sensorRules = sensorRules(rules.silentSensors(), rules.sensorRules());
        SingleOutputStreamOperator<SensorSample> inputs =
                sensorRules == null && rules.coverage().isEmpty()
                        ? null
                        : inputs(
                                readings,
                                sensorRules,
                                rules.coverage(),
                                zoning,
                                located
                                        && sensorRules != null
                                        && !HeardCombiner.holdsAny(sensorRules));
        SensorAlerts sensorStage = sensorAlerts(inputs, sensorRules, located);
        DataStream<Alert> sensors = sensorStage == null ? null : sensorStage.alerts();
        // Zone alerts: every alert but those on sensors, which are stored with the sensors'
        // positions instead of a zone's outline.
        DataStream<Alert> zoneAlerts =
                unionOf(
                        thresholds,
                        cellRollups(thresholds, rules.thresholds(), zoning, names),
                        coverageAlerts(inputs, rules.coverage(), names));
        DataStream<Alert> all = unionOf(zoneAlerts, sensors);
        if (!located || all == null) {
            return new Streams(all, null);
        }
        DataStream<LocatedAlert> placed =
                zoneAlerts == null
                        ? null
                        : zoneAlerts
                                .map(LocatedAlert::of)
                                .returns(TypeInformation.of(LocatedAlert.class))
                                .uid("alerts-zones-located")
                                .name("zone alerts (located by their zones)");
        if (sensors != null) {
            DataStream<LocatedAlert> sensorPlaced =
                    withPositions(sensors, sensorStage.positionsFrom());
            placed = placed == null ? sensorPlaced : placed.union(sensorPlaced);
        }
        return new Streams(all, placed);
    }

    /** The union of the streams that are not {@code null}; {@code null} if all are. */
    @SafeVarargs
    private static DataStream<Alert> unionOf(DataStream<Alert>... streams) {
        return unionOf(Arrays.asList(streams));
    }

    private static DataStream<Alert> unionOf(List<DataStream<Alert>> streams) {
        DataStream<Alert> union = null;
        for (DataStream<Alert> s : streams) {
            if (s != null) {
                union = union == null ? s : union.union(s);
            }
        }
        return union;
    }

    /**
     * The sensor alerts with their sensors' positions ({@link AlertPositionFunction}), told on
     * {@link AlertInputs#POSITIONS} by {@code positionsFrom}.
     */
    private static DataStream<LocatedAlert> withPositions(
            DataStream<Alert> sensorAlerts,
            SingleOutputStreamOperator<SensorSample> positionsFrom) {
        return sensorAlerts
                .keyBy((KeySelector<Alert, String>) Alert::subjectId, Types.STRING)
                .connect(
                        positionsFrom
                                .getSideOutput(AlertInputs.POSITIONS)
                                .keyBy(
                                        (KeySelector<SensorPosition, String>)
                                                SensorPosition::sensorId,
                                        Types.STRING))
                .process(new AlertPositionFunction(), TypeInformation.of(LocatedAlert.class))
                .uid("alerts-sensor-positions")
                .name("sensor alerts with their positions");
    }

    /** The alerts of threshold rules on zone aggregates; {@code null} without such rules. */
    public static DataStream<Alert> thresholdAlerts(
            DataStream<ZoneAggregate> aggregates, List<ThresholdRule> rules, SubjectNames names) {
        if (rules.isEmpty()) {
            return null;
        }
        List<ThresholdRule> thresholds = List.copyOf(rules);
        return aggregates
                .<RuleAggregate>flatMap(
                        (ZoneAggregate a, Collector<RuleAggregate> c) -> {
                            for (ThresholdRule rule : thresholds) {
                                if (rule.watches(a)) {
                                    c.collect(new RuleAggregate(rule.id(), a));
                                }
                            }
                        })
                .returns(TypeInformation.of(RuleAggregate.class))
                // Same parallelism as the aggregates, so that it chains to them: each zone's
                // windows then reach its rule state in the order they were emitted (a rebalance
                // in between could swap two windows of one zone).
                .setParallelism(aggregates.getParallelism())
                .uid("alerts-match-thresholds")
                .name("aggregates to threshold rules")
                .keyBy((KeySelector<RuleAggregate, String>) RuleAggregate::key, Types.STRING)
                .process(
                        new ThresholdAlertFunction(thresholds, names),
                        TypeInformation.of(Alert.class))
                .uid("alerts-thresholds")
                .name("threshold alerts");
    }

    /**
     * The district roll-ups of the cell alerts of threshold rules with {@link
     * ThresholdRule#rollupCells()}; {@code null} without such rules.
     */
    public static DataStream<Alert> cellRollups(
            DataStream<Alert> zoneAlerts,
            List<ThresholdRule> rules,
            ZoningSpec zoning,
            SubjectNames names) {
        Map<String, Integer> minCells = new HashMap<>();
        for (ThresholdRule rule : rules) {
            if (rule.rollupCells() > 0) {
                minCells.put(rule.id(), rule.rollupCells());
            }
        }
        if (minCells.isEmpty() || zoneAlerts == null) {
            return null;
        }
        return zoneAlerts
                .flatMap(new DistrictOfCell(zoning, minCells.keySet()))
                .returns(TypeInformation.of(CellAlert.class))
                // Chained to the threshold operator: each cell's revisions stay in order.
                .setParallelism(zoneAlerts.getParallelism())
                .uid("alerts-rollup-districts")
                .name("districts of cell alerts")
                .keyBy((KeySelector<CellAlert, String>) CellAlert::key, Types.STRING)
                .process(new CellRollupFunction(minCells, names), TypeInformation.of(Alert.class))
                .uid("alerts-rollup")
                .name("district roll-ups of cell alerts");
    }

    /** The alerts of coverage rules, per district; {@code null} without such rules. */
    private static DataStream<Alert> coverageAlerts(
            SingleOutputStreamOperator<SensorSample> inputs,
            List<CoverageRule> rules,
            SubjectNames names) {
        List<DataStream<Alert>> perRule = new ArrayList<>();
        for (CoverageRule rule : rules) {
            DataStream<Alert> one =
                    inputs.getSideOutput(AlertInputs.coverage(rule))
                            .keyBy(
                                    (KeySelector<DistrictReading, String>)
                                            DistrictReading::districtId,
                                    Types.STRING)
                            .process(
                                    new CoverageFunction(rule, names),
                                    TypeInformation.of(Alert.class))
                            .uid("alerts-coverage-" + rule.id())
                            .name("coverage alerts " + rule.id());
            perRule.add(one);
        }
        return unionOf(perRule);
    }

    /** The alerts of silent-sensor rules on the readings; {@code null} without such rules. */
    public static DataStream<Alert> silentSensorAlerts(
            DataStream<Reading> readings, List<SilentSensorRule> rules) {
        SensorRulesFunction function = sensorRules(rules, List.of());
        return function == null
                ? null
                : sensorAlerts(inputs(readings, function, List.of(), null, false), function, false)
                        .alerts();
    }

    /** The operator of these rules on sensors' own readings; {@code null} without any. */
    private static SensorRulesFunction sensorRules(
            List<SilentSensorRule> silentRules, List<SensorRule> sensorRules) {
        return silentRules.isEmpty() && sensorRules.isEmpty()
                ? null
                : new SensorRulesFunction(silentRules, sensorRules);
    }

    /**
     * What the rules on readings need of them ({@link AlertInputs}), chained to the readings'
     * source: the samples of {@code sensorRules} (if not {@code null}), the district readings of
     * the coverage rules and, if {@code positions}, the sampled sensors' positions.
     */
    private static SingleOutputStreamOperator<SensorSample> inputs(
            DataStream<Reading> readings,
            SensorRulesFunction sensorRules,
            List<CoverageRule> coverage,
            ZoningSpec zoning,
            boolean positions) {
        return readings.process(
                        new AlertInputs(sensorRules, coverage, zoning, positions),
                        TypeInformation.of(SensorSample.class))
                .setParallelism(readings.getParallelism())
                .uid("alerts-inputs")
                .name("readings to sensor and coverage rules");
    }

    /**
     * The alerts of the rules on each sensor's own readings, silent-sensor rules and sensor rules
     * (levels, rises), in one keyed operator ({@link SensorRulesFunction}) fed the samples of
     * {@link AlertInputs}, less those that only say "heard" again ({@link HeardCombiner}); {@code
     * null} without such rules.
     */
    private static SensorAlerts sensorAlerts(
            SingleOutputStreamOperator<SensorSample> inputs,
            SensorRulesFunction rules,
            boolean positions) {
        if (rules == null) {
            return null;
        }
        SingleOutputStreamOperator<SensorSample> samples = inputs;
        if (HeardCombiner.holdsAny(rules)) {
            // Chained to the inputs: most samples only say "heard" again, and stay here. It
            // tells the positions too: it looks every sensor up anyway.
            samples =
                    inputs.transform(
                                    "hold back heard-only samples",
                                    inputs.getType(),
                                    new HeardCombiner(rules, positions))
                            .setParallelism(inputs.getParallelism())
                            .uid("alerts-heard-combiner");
        }
        DataStream<Alert> alerts =
                samples.keyBy(
                                (KeySelector<SensorSample, String>) SensorSample::sensorId,
                                Types.STRING)
                        .process(rules, TypeInformation.of(Alert.class))
                        .uid("alerts-sensor-rules-and-silence")
                        .name("sensor and silent-sensor alerts");
        return new SensorAlerts(alerts, samples);
    }

    /**
     * The alerts of the rules on sensors' own readings, and the operator that tells the sensors'
     * positions on {@link AlertInputs#POSITIONS} when asked to: the {@link HeardCombiner} if there
     * is one, else {@link AlertInputs}.
     */
    private record SensorAlerts(
            DataStream<Alert> alerts, SingleOutputStreamOperator<SensorSample> positionsFrom) {}
}
