package org.smartcity.jobs.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.FeatureEvent;
import org.geotools.api.data.FeatureListener;
import org.geotools.api.feature.simple.SimpleFeature;
import org.locationtech.geomesa.kafka.utils.KafkaFeatureEvent;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;

/**
 * A reader of the live layer as the dashboard has one (its own GeoMesa Kafka DataStore), noting
 * when each window's aggregate becomes visible to it: a feature listener is called as the reader's
 * consumer applies a change, which is when a query of the reader starts returning it.
 *
 * <p>For every aggregate of the measured window length whose window ends at or after {@code
 * measureFromMillis}, its first appearance (revision 1) gives one sample: visible time minus the
 * earliest moment the job can close the window, window end + the watermark's out-of-orderness.
 */
final class LiveLayerProbe implements AutoCloseable {
    private final DataStore reader;
    private final String windowLabel;
    private final long outOfOrdernessMillis;
    private final long measureFromMillis;
    private final FeatureListener listener = this::changed;
    private final Set<String> seen = new HashSet<>();
    private final List<Long> latencies = new ArrayList<>();
    private final Map<Long, Long> latestPerWindow = new HashMap<>();
    private long otherEvents;

    /**
     * Opens the reader and creates the live type if it is missing: a Kafka DataStore does not pick
     * up a type created after it opened.
     */
    LiveLayerProbe(
            StoreConfig store, long windowLengthMillis, long outOfOrdernessMillis, long measureFrom)
            throws IOException {
        this.windowLabel = ZoneAggregate.windowLabel(windowLengthMillis);
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.measureFromMillis = measureFrom;
        this.reader =
                DataStores.openWithSchema(
                        store, StoreConfig.Access.READ, AggregateSchema.LIVE_TYPE);
        reader.getFeatureSource(AggregateSchema.LIVE_TYPE).addFeatureListener(listener);
    }

    private void changed(FeatureEvent event) {
        long now = System.currentTimeMillis();
        if (!(event instanceof KafkaFeatureEvent.KafkaFeatureChanged change)) {
            synchronized (this) {
                otherEvents++;
            }
            return;
        }
        SimpleFeature f = change.feature();
        if (!windowLabel.equals(f.getAttribute(AggregateSchema.WINDOW_LENGTH))) {
            return;
        }
        long start = ((Date) f.getAttribute(AggregateSchema.WINDOW_START)).getTime();
        long end = ((Date) f.getAttribute(AggregateSchema.WINDOW_END)).getTime();
        if (end < measureFromMillis) {
            return;
        }
        long latency = now - (end + outOfOrdernessMillis);
        synchronized (this) {
            if (seen.add(f.getID() + "@" + start)) {
                latencies.add(latency);
                latestPerWindow.merge(start, latency, Math::max);
                notifyAll();
            }
        }
    }

    /** Latencies of every (zone, window) sample so far, in milliseconds. */
    synchronized List<Long> latencies() {
        return List.copyOf(latencies);
    }

    /** Per window (all zones and metrics): when its last aggregate became visible. */
    synchronized Map<Long, Long> slowestPerWindow() {
        return Map.copyOf(latestPerWindow);
    }

    /** Waits until an aggregate of the window starting at {@code startMillis} is visible. */
    synchronized boolean awaitWindow(long startMillis, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!latestPerWindow.containsKey(startMillis)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    synchronized long otherEvents() {
        return otherEvents;
    }

    @Override
    public void close() throws IOException {
        reader.getFeatureSource(AggregateSchema.LIVE_TYPE).removeFeatureListener(listener);
        reader.dispose();
    }
}
