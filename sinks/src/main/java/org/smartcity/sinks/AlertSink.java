package org.smartcity.sinks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.store.AlertQueries;
import org.smartcity.store.AlertSchema;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.ZoneGeometries;

/**
 * A Flink Sink V2 that writes alert revisions to the GeoMesa feature type {@value
 * AlertSchema#TYPE}: to the history store ({@link Layer#HISTORY}, every revision) or to the live
 * layer ({@link Layer#LIVE}, the active alerts: a revision replaces the previous one, a cleared
 * alert is deleted). The geometry is the subject zone's outline, or for a sensor alert the sensor's
 * position that comes with it ({@link LocatedAlert}): a point. A sensor alert without a known
 * position has no geometry; it is stored in the history but not in the live layer, whose GeoMesa
 * cache drops a feature without one.
 *
 * <p>Exactly once as seen by a query, like the alerts topic: the writers only collect what arrives
 * between two checkpoints ({@link AlertBatch}, kept in the checkpoint), and the committer writes it
 * once the checkpoint is complete. Unlike aggregates, alert revisions are not always the same when
 * replayed (a silent-sensor alert opened on the TaskManager's clock gets another opening time, so
 * another id), so writing before the checkpoint could leave an alert in the store that the topic
 * never committed. A commit repeated after a failure writes the same revisions again: the live
 * layer overwrites them, and {@link AlertQueries} shows each alert once, at its newest revision.
 *
 * <p>Before the writers the stream is partitioned by alert id, so every revision of one alert goes
 * through one writer and one committer, in order.
 */
public final class AlertSink
        implements Sink<LocatedAlert>,
                SupportsCommitter<AlertBatch>,
                SupportsPreWriteTopology<LocatedAlert> {

    private static final long serialVersionUID = 1L;

    private final Layer layer;
    private final StoreConfig store;
    private final ZoneGeometries geometries;

    private AlertSink(Layer layer, StoreConfig store, ZoneGeometries geometries) {
        this.layer = Objects.requireNonNull(layer, "layer");
        this.store = Objects.requireNonNull(store, "store");
        this.geometries = Objects.requireNonNull(geometries, "geometries");
        if (layer == Layer.LIVE && !store.overwritesById()) {
            throw new IllegalArgumentException(
                    "AlertSink: the live layer needs a store that overwrites by feature id, but "
                            + store.describe()
                            + " appends: use StoreConfig.Kafka for Layer.LIVE");
        }
    }

    /** Every alert revision into {@code store}'s history. */
    public static AlertSink history(StoreConfig store, ZoneGeometries geometries) {
        return new AlertSink(Layer.HISTORY, store, geometries);
    }

    /** The active alerts into the live layer {@code store} (one that overwrites by id). */
    public static AlertSink live(StoreConfig store, ZoneGeometries geometries) {
        return new AlertSink(Layer.LIVE, store, geometries);
    }

    public Layer layer() {
        return layer;
    }

    public StoreConfig store() {
        return store;
    }

    @Override
    public CommittingSinkWriter<LocatedAlert, AlertBatch> createWriter(WriterInitContext context) {
        return new Writer(layer);
    }

    @Override
    public Committer<AlertBatch> createCommitter(CommitterInitContext context) {
        return new AlertCommitter(layer, store, geometries, context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<AlertBatch> getCommittableSerializer() {
        return new AlertBatch.Serializer();
    }

    /** Every revision of one alert to one writer, in the order they were produced. */
    @Override
    public DataStream<LocatedAlert> addPreWriteTopology(DataStream<LocatedAlert> input) {
        return input.keyBy((KeySelector<LocatedAlert, String>) LocatedAlert::id, Types.STRING);
    }

    @Override
    public String toString() {
        return "AlertSink{" + layer + " " + AlertSchema.TYPE + " in " + store.describe() + "}";
    }

    /**
     * Collects the alerts of one checkpoint. The history keeps every revision; the live layer only
     * the newest per alert, which is all it will hold.
     */
    static final class Writer implements CommittingSinkWriter<LocatedAlert, AlertBatch> {
        private final Layer layer;
        private List<LocatedAlert> revisions = new ArrayList<>();
        private Map<String, LocatedAlert> newest = new LinkedHashMap<>();

        Writer(Layer layer) {
            this.layer = layer;
        }

        @Override
        public void write(LocatedAlert alert, Context context) {
            if (layer == Layer.LIVE) {
                newest.merge(
                        alert.id(),
                        alert,
                        (kept, other) -> other.alert().isNewerThan(kept.alert()) ? other : kept);
            } else {
                revisions.add(alert);
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            // Nothing to write here: the committer writes what prepareCommit hands it.
        }

        @Override
        public Collection<AlertBatch> prepareCommit() {
            List<LocatedAlert> out =
                    layer == Layer.LIVE ? new ArrayList<>(newest.values()) : revisions;
            revisions = new ArrayList<>();
            newest = new LinkedHashMap<>();
            return out.isEmpty() ? List.of() : List.of(new AlertBatch(out));
        }

        @Override
        public void close() {}
    }
}
