package org.smartcity.dashboard;

import org.smartcity.core.ZoneAggregate;
import org.smartcity.store.StoredAggregate;

/**
 * What {@code /api/live/stream} carries: every change of the live layer as an {@code aggregate}
 * event (the GeoJSON feature, to the clients whose filter wants it) and the pipeline's status as a
 * {@code status} event to every client. The live layer's listener and a timer call it; it never
 * blocks them ({@link LiveStream}).
 */
final class LiveFeed {
    private final LiveStream stream;
    private final AggregateFeatures features;
    private final ReadingsMonitor monitor;

    LiveFeed(LiveStream stream, AggregateFeatures features, ReadingsMonitor monitor) {
        this.stream = stream;
        this.features = features;
        this.monitor = monitor;
    }

    /** Publishes a change of the live layer to the clients that want it. */
    void aggregateChanged(StoredAggregate s) {
        if (stream.clients() == 0) {
            return;
        }
        ZoneAggregate a = s.aggregate();
        String metric = a.metric().id();
        String kind = a.zoneKind().id();
        String length = ZoneAggregate.windowLabel(a.windowLengthMillis());
        stream.publish(
                "aggregate", Json.text(features.feature(s)), f -> f.matches(metric, kind, length));
    }

    /** Publishes the status to every client. */
    void publishStatus() {
        if (stream.clients() > 0) {
            stream.publish("status", Json.text(DashboardApi.statusDocument(monitor)), f -> true);
        }
    }
}
