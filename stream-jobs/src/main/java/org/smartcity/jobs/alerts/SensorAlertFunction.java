package org.smartcity.jobs.alerts;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.smartcity.core.Reading;
import org.smartcity.core.alert.Alert;

/**
 * Sensor rules (levels, rises: {@link SensorRule}) keyed by sensor id: the one writer of those
 * rules' alerts for the sensor, so readings a millisecond apart are evaluated one after the other
 * and cannot open two episodes. The state machine is {@link SensorEpisodes}.
 */
public final class SensorAlertFunction extends KeyedProcessFunction<String, Reading, Alert> {
    private static final long serialVersionUID = 1L;

    private final List<SensorRule> rules;
    private transient MapState<String, SensorAlertState> states;
    private transient AlertMetrics metrics;

    public SensorAlertFunction(List<SensorRule> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public void open(OpenContext context) {
        metrics = new AlertMetrics(getRuntimeContext().getMetricGroup());
        states =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "sensor-rule",
                                        Types.STRING,
                                        TypeInformation.of(SensorAlertState.class)));
    }

    @Override
    public void processElement(Reading r, Context ctx, Collector<Alert> out) throws Exception {
        for (SensorRule rule : rules) {
            if (!rule.watches(r)) {
                continue;
            }
            SensorAlertState s = states.get(rule.id());
            SensorEpisodes.Step step =
                    SensorEpisodes.step(rule, s == null ? SensorEpisodes.INITIAL : s, r);
            states.put(rule.id(), step.state());
            step.alert()
                    .ifPresent(
                            a -> {
                                metrics.published(a, ctx.timerService().currentProcessingTime());
                                out.collect(a);
                            });
        }
    }
}
