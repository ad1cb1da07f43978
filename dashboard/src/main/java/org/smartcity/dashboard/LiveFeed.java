package org.smartcity.dashboard;

import java.util.ArrayList;
import java.util.List;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.store.StoredAggregate;

/**
 * What {@code /api/live/stream} carries: every change of the live layer that is not older than one
 * already sent for the same live id ({@link NewestEmissions}) as an {@code aggregate} event (the
 * GeoJSON feature, to the clients whose filter wants it) and the pipeline's status as a {@code
 * status} event to every client. The live layer's thread (with a batch of changes) and a timer call
 * it; it never blocks them ({@link LiveStream}).
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
     * Publishes changes of the live layer, in their order and as one batch, to the clients that
     * want them, leaving out each change older than what was already published for its live id.
     */
    void aggregatesChanged(List<StoredAggregate> changes) {
        List<LiveStream.Event> events = new ArrayList<>(changes.size());
        for (StoredAggregate s : changes) {
            ZoneAggregate a = s.aggregate();
            // The newest is kept even with nobody listening, for whoever connects next.
            if (newest.offer(s.id(), a.windowRevision()) && stream.clients() > 0) {
                events.add(event(s));
            }
        }
        stream.publishAll(events);
    }

    private LiveStream.Event event(StoredAggregate s) {
        ZoneAggregate a = s.aggregate();
        String metric = a.metric().id();
        String kind = a.zoneKind().id();
        String length = ZoneAggregate.windowLabel(a.windowLengthMillis());
        return LiveStream.Event.of(
                "aggregate", Json.bytes(features.feature(s)), f -> f.matches(metric, kind, length));
    }

    /** Publishes the status to every client. */
    void publishStatus() {
        if (stream.clients() > 0) {
            stream.publish("status", Json.text(DashboardApi.statusDocument(monitor)), f -> true);
        }
    }
}
