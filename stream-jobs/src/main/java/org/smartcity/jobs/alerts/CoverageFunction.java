package org.smartcity.jobs.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.core.zoning.ZoneKind;

/**
 * Coverage rules ({@link CoverageRule}), keyed by district: when each of the district's sensors
 * last reported (processing time: the clock that still moves when every sensor stops), and, every
 * minute (or every rule limit, when that is shorter: rehearsals and tests with shortened limits),
 * the share of the sensors heard from in the last 24 hours that reported within the rule's limit.
 * Below the rule's share the alert opens (at that check), at or above it the alert clears. Input:
 * {@link DistrictReading}s.
 */
public final class CoverageFunction extends KeyedProcessFunction<String, DistrictReading, Alert> {
    private static final long serialVersionUID = 1L;

    private final CoverageRule rule;
    private final SubjectNames names;
    private transient MapState<String, Long> lastArrival;
    private transient ValueState<Alert> active;
    private transient ValueState<Long> nextCheck;
    private transient AlertMetrics metrics;

    public CoverageFunction(CoverageRule rule, SubjectNames names) {
        this.rule = rule;
        this.names = names;
    }

    @Override
    public void open(OpenContext context) {
        lastArrival =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "coverage-sensors", Types.STRING, Types.LONG));
        active =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "coverage-alert", TypeInformation.of(Alert.class)));
        nextCheck =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("coverage-next-check", Types.LONG));
        metrics = new AlertMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(DistrictReading r, Context ctx, Collector<Alert> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        lastArrival.put(r.sensorId(), now);
        if (nextCheck.value() == null) {
            long every = rule.checkEveryMillis();
            long at = (now / every + 1) * every;
            nextCheck.update(at);
            ctx.timerService().registerProcessingTimeTimer(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        int heard = 0;
        int reporting = 0;
        List<String> forgotten = new ArrayList<>();
        for (Map.Entry<String, Long> e : lastArrival.entries()) {
            long age = timestamp - e.getValue();
            if (age > CoverageRule.HEARD_WITHIN_MILLIS) {
                forgotten.add(e.getKey());
            } else {
                heard++;
                if (age <= rule.afterMillis()) {
                    reporting++;
                }
            }
        }
        for (String sensor : forgotten) {
            lastArrival.remove(sensor);
        }
        Alert current = active.value();
        double share = heard == 0 ? 1 : reporting / (double) heard;
        String district = ctx.getCurrentKey();
        if (current == null && share < rule.minShare()) {
            Alert raised =
                    new Alert(
                            Alert.idOf(rule.id(), SubjectKind.DISTRICT, district, timestamp),
                            rule.id(),
                            AlertStatus.ACTIVE,
                            rule.severity(),
                            rule.metric(),
                            SubjectKind.DISTRICT,
                            district,
                            names.nameOf(ZoneKind.DISTRICT, district),
                            timestamp,
                            timestamp,
                            null,
                            share,
                            share,
                            rule.minShare(),
                            "share",
                            "Only "
                                    + reporting
                                    + " of "
                                    + heard
                                    + " sensors in "
                                    + names.nameOf(ZoneKind.DISTRICT, district)
                                    + " reported within "
                                    + Numbers.format(rule.afterMillis() / 60_000.0)
                                    + " min (below "
                                    + Numbers.format(rule.minShare() * 100)
                                    + "%)",
                            1,
                            List.of());
            active.update(raised);
            metrics.published(raised, timestamp);
            out.collect(raised);
        } else if (current != null && share >= rule.minShare()) {
            Alert cleared =
                    current.cleared(
                            timestamp,
                            timestamp,
                            share,
                            Math.min(current.peak(), share),
                            reporting
                                    + " of "
                                    + heard
                                    + " sensors in "
                                    + current.subjectName()
                                    + " report again");
            active.clear();
            metrics.published(cleared, timestamp);
            out.collect(cleared);
        } else if (current != null && share < current.peak()) {
            // The worst share of the episode, published with the next change.
            active.update(current.withValueAndPeak(share, share));
        }
        if (heard == 0 && current == null) {
            nextCheck.clear(); // nobody left to watch: the next reading starts the checks again
            return;
        }
        long next = timestamp + rule.checkEveryMillis();
        nextCheck.update(next);
        ctx.timerService().registerProcessingTimeTimer(next);
    }
}
