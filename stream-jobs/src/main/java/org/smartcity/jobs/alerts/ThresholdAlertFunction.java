package org.smartcity.jobs.alerts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.smartcity.core.alert.Alert;

/**
 * Threshold rules on zone aggregates, keyed by rule and zone ({@link RuleAggregate#key}): the one
 * writer of that rule's alerts for that zone, so two emissions close together are evaluated one
 * after the other and can never open two episodes. The state machine is {@link ThresholdEpisodes};
 * its state is checkpointed with the job.
 */
public final class ThresholdAlertFunction
        extends KeyedProcessFunction<String, RuleAggregate, Alert> {
    private static final long serialVersionUID = 1L;

    private final List<ThresholdRule> rules;
    private final SubjectNames names;
    private transient Map<String, ThresholdRule> byId;
    private transient ValueState<ThresholdState> state;
    private transient AlertMetrics metrics;

    public ThresholdAlertFunction(List<ThresholdRule> rules, SubjectNames names) {
        this.rules = List.copyOf(rules);
        this.names = names;
    }

    @Override
    public void open(OpenContext context) {
        metrics = new AlertMetrics(getRuntimeContext().getMetricGroup());
        byId = new HashMap<>();
        rules.forEach(r -> byId.put(r.id(), r));
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "threshold-episode",
                                        TypeInformation.of(ThresholdState.class)));
    }

    @Override
    public void processElement(RuleAggregate in, Context ctx, Collector<Alert> out)
            throws Exception {
        ThresholdRule rule = byId.get(in.ruleId());
        ThresholdState current = state.value();
        ThresholdEpisodes.Step step =
                ThresholdEpisodes.step(
                        rule,
                        current == null ? ThresholdState.INITIAL : current,
                        in.aggregate(),
                        names.nameOf(in.aggregate().zoneKind(), in.aggregate().zoneId()));
        state.update(step.state());
        step.alert()
                .ifPresent(
                        a -> {
                            metrics.published(a, ctx.timerService().currentProcessingTime());
                            out.collect(a);
                        });
    }
}
