package org.smartcity.simulator;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.smartcity.core.Metric;

/**
 * The simulator's meters, read from its running counts: {@code simulator.readings.sent} (readings
 * confirmed by the broker, tag {@code metric}), {@code simulator.faults} (faults injected into
 * confirmed messages, tag {@code kind}), {@code simulator.messages.published} and {@code
 * simulator.messages.failed} (not confirmed by the broker).
 */
final class SimulatorMetrics implements MeterBinder {
    private final SummaryRecorder recorder;

    SimulatorMetrics(SummaryRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Metric metric : Metric.values()) {
            FunctionCounter.builder(
                            "simulator.readings.sent", recorder, r -> r.readingsSent(metric))
                    .description("readings in messages the broker confirmed")
                    .tag("metric", metric.id())
                    .register(registry);
        }
        for (Fault fault : Fault.values()) {
            FunctionCounter.builder("simulator.faults", recorder, r -> r.faults(fault))
                    .description(
                            "faults injected: readings affected, or sensors for silent-sensors")
                    .tag("kind", fault.id())
                    .register(registry);
        }
        FunctionCounter.builder("simulator.messages.published", recorder, r -> r.published())
                .description("messages handed to the broker")
                .register(registry);
        FunctionCounter.builder("simulator.messages.failed", recorder, r -> r.failed())
                .description("messages the broker did not confirm")
                .register(registry);
    }
}
