package org.smartcity.dashboard;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The dashboard's meters: requests by path template (never the raw path: ids would make the
 * cardinality unbounded) and status, live stream clients, the live layer's size, what the readings
 * monitor consumed, and the alerts active now (from the whole alerts topic, so exact whatever the
 * job's parallelism and restarts; the job counts raised, changed and cleared alerts and its
 * evaluation lag itself).
 */
final class DashboardMetrics implements MeterBinder {
    private final LiveStream stream;
    private final LiveLayer live;
    private final ReadingsMonitor monitor;
    private final AlertBook alerts;
    private MeterRegistry registry;

    DashboardMetrics(LiveStream stream, LiveLayer live, ReadingsMonitor monitor, AlertBook alerts) {
        this.stream = stream;
        this.live = live;
        this.monitor = monitor;
        this.alerts = alerts;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("dashboard.sse.clients", stream, LiveStream::clients)
                .description("clients connected to /api/live/stream")
                .register(registry);
        counter(registry, "dashboard.sse.events", LiveStream::eventsSent, "events sent");
        counter(
                registry,
                "dashboard.sse.dropped",
                LiveStream::droppedClients,
                "live stream clients dropped because they fell too far behind");
        if (live != null) {
            Gauge.builder("dashboard.live.features", live, LiveLayer::size)
                    .description("features in the live layer")
                    .register(registry);
        }
        FunctionCounter.builder("dashboard.monitor.records", monitor, ReadingsMonitor::consumed)
                .description("records read from the readings and dead-letter topics")
                .register(registry);
        Gauge.builder("dashboard.alerts.active", alerts, AlertBook::active)
                .description("alerts active now (newest revision not cleared)")
                .register(registry);
    }

    private void counter(
            MeterRegistry registry,
            String name,
            ToDoubleFunction<LiveStream> f,
            String description) {
        FunctionCounter.builder(name, stream, f).description(description).register(registry);
    }

    /** Records one request: its route's template, method and status. */
    void request(String pathTemplate, String method, int status, long nanos) {
        if (registry == null) {
            return;
        }
        Timer.builder("dashboard.http.requests")
                .description("HTTP requests by route")
                .tag("path", pathTemplate)
                .tag("method", method)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
