package org.smartcity.dashboard;

import org.smartcity.core.ZoneAggregate;
import org.smartcity.store.StoredAggregate;

/**
 * What {@code /api/live/stream} carries: every change of the live layer that is not older than one
 * already sent for the same live id ({@link NewestEmissions}) as an {@code aggregate} event (the
 * GeoJSON feature, to the clients whose filter wants it) and the pipeline's status as a {@code
 * status} event to every client. The live layer's listener and a timer call it; it never blocks
 * them ({@link LiveStream}).
 */
final class LiveFeed {
    private final LiveStream stream;
    private final AggregateFeatures features;
    private final ReadingsMonitor monitor;
    private final NewestEmissions newest = new NewestEmissions();

    LiveFeed(LiveStream stream, AggregateFeatures features, ReadingsMonitor monitor) {
        this.stream = stream;
        this.features = features;
        this.monitor = monitor;
    }

    /**
     * Publishes a change of the live layer to the clients that want it, unless it is older than
     * what was already published for its live id.
     */
    void aggregateChanged(StoredAggregate s) {
        ZoneAggregate a = s.aggregate();
        if (!newest.offer(s.id(), a.windowRevision()) || stream.clients() == 0) {
            return;
        }
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
