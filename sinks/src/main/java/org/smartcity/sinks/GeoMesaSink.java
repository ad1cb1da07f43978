package org.smartcity.sinks;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.geotools.api.data.DataStore;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.ZoneGeometries;

/**
 * A Flink Sink V2 that writes {@link ZoneAggregate}s as features to a GeoMesa data store: the
 * history ({@link Layer#HISTORY}, type {@value AggregateSchema#HISTORY_TYPE}) or the live layer
 * ({@link Layer#LIVE}, type {@value AggregateSchema#LIVE_TYPE}).
 *
 * <p>This object only holds validated configuration ({@link #builder()} checks every field). Each
 * subtask's writer opens one {@link DataStore}, creates the feature type if it is missing, buffers
 * features and writes a batch when it is full, when {@link Builder#flushInterval} has passed, and
 * on every checkpoint ({@code flush}): at-least-once delivery. Feature ids are deterministic, so a
 * replay after a failure writes the same ids again: stores that overwrite by id end up exactly as
 * before, and for stores that append, {@link HistoryQueries} shows one row per window, its newest
 * revision.
 *
 * <p>Before the writers the sink partitions the stream by {@link AggregateSchema#liveId}, so every
 * window and revision of one metric, zone and window length goes through one writer, in order. The
 * live layer's sink then keeps only the newest window per live id ({@link NewestWindowFilter},
 * checkpointed keyed state, chained to the writer): a late correction of an older window goes to
 * the history, never over a newer window on the live map. That is the live path's one partitioning:
 * the job hands the live sink every aggregate.
 *
 * <pre>{@code
 * aggregates.sinkTo(GeoMesaSink.builder()
 *         .layer(Layer.HISTORY)
 *         .store(StoreConfig.FileSystem.parquet("/var/lib/smartcity/history"))
 *         .geometries(zoning)
 *         .build())
 *     .uid("geomesa-history").name("GeoMesa history");
 * }</pre>
 */
public final class GeoMesaSink
        implements Sink<ZoneAggregate>, SupportsPreWriteTopology<ZoneAggregate> {

    private static final long serialVersionUID = 1L;

    /** Features per write unless configured otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 1_000;

    /** Largest batch accepted: a batch is held in memory. */
    public static final int MAX_BATCH_SIZE = 100_000;

    /** How often a FileSystem history is compacted unless configured otherwise. */
    public static final Duration DEFAULT_COMPACTION_INTERVAL = Duration.ofMinutes(10);

    /**
     * How long a partition must have had no new file to be compacted unless configured otherwise:
     * well past the job's default allowed lateness (10 minutes), after which no correction reaches
     * it.
     */
    public static final Duration DEFAULT_COMPACTION_QUIET = Duration.ofHours(1);

    /** Longest a history feature waits in the buffer unless configured otherwise. */
    public static final Duration DEFAULT_HISTORY_FLUSH_INTERVAL = Duration.ofSeconds(30);

    /**
     * Longest a live feature waits in the buffer unless configured otherwise. A window-close burst
     * is one batch either way; the interval only bounds how long a presenter's map lags behind
     * (JobBenchmark: p99 from window close to a live reader 1.5 s at 500 ms, 0.6 s at 100 ms).
     */
    public static final Duration DEFAULT_LIVE_FLUSH_INTERVAL = Duration.ofMillis(100);

    private final Layer layer;
    private final StoreConfig store;
    private final String typeName;
    private final ZoneGeometries geometries;
    private final int batchSize;
    private final Duration flushInterval;
    private final Clock clock;
    private final Duration compactionInterval;
    private final Duration compactionQuiet;

    private GeoMesaSink(Builder b) {
        this.layer = b.layer;
        this.store = b.store;
        this.typeName = b.typeName != null ? b.typeName : b.layer.defaultTypeName();
        this.geometries = b.geometries;
        this.batchSize = b.batchSize;
        this.flushInterval =
                b.flushInterval != null
                        ? b.flushInterval
                        : b.layer == Layer.LIVE
                                ? DEFAULT_LIVE_FLUSH_INTERVAL
                                : DEFAULT_HISTORY_FLUSH_INTERVAL;
        this.clock = b.clock;
        this.compactionInterval = b.compactionInterval;
        this.compactionQuiet = b.compactionQuiet;
    }

    /** A builder; {@link Builder#layer}, {@link Builder#store} and geometries are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The history sink with default batching, writing to {@code store}. */
    public static GeoMesaSink history(StoreConfig store, ZoneGeometries geometries) {
        return builder().layer(Layer.HISTORY).store(store).geometries(geometries).build();
    }

    /** The live layer sink with default batching, writing to {@code store}. */
    public static GeoMesaSink live(StoreConfig store, ZoneGeometries geometries) {
        return builder().layer(Layer.LIVE).store(store).geometries(geometries).build();
    }

    @Override
    public SinkWriter<ZoneAggregate> createWriter(WriterInitContext context) throws IOException {
        DataStore dataStore = DataStores.openWithSchema(store, StoreConfig.Access.WRITE, typeName);
        return new GeoMesaSinkWriter(
                this,
                dataStore,
                context.metricGroup(),
                context.getProcessingTimeService(),
                context.getTaskInfo().getIndexOfThisSubtask());
    }

    /**
     * Routes every window and revision of one metric, zone and window length to the same writer, so
     * revisions reach the store in the order they were produced; for the live layer, drops on the
     * way what is older than the newest window already passed.
     *
     * <p>Flink gives these operators the sink's parallelism, so the filter chains to the writer,
     * and prefixes their uid with the sink's ({@code live-sink: newest-window-filter}).
     */
    @Override
    public DataStream<ZoneAggregate> addPreWriteTopology(DataStream<ZoneAggregate> input) {
        KeyedStream<ZoneAggregate, String> byLiveId =
                input.keyBy(AggregateSchema::liveId, Types.STRING);
        if (layer != Layer.LIVE) {
            return byLiveId;
        }
        return byLiveId.process(new NewestWindowFilter())
                .returns(TypeInformation.of(ZoneAggregate.class))
                .uid("newest-window-filter")
                .name("newest window per zone");
    }

    public Layer layer() {
        return layer;
    }

    public StoreConfig store() {
        return store;
    }

    public String typeName() {
        return typeName;
    }

    public ZoneGeometries geometries() {
        return geometries;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    public Clock clock() {
        return clock;
    }

    /** How often subtask 0 of a FileSystem history sink compacts finished partitions. */
    public Duration compactionInterval() {
        return compactionInterval;
    }

    /** How long a partition must have had no new file to count as finished. */
    public Duration compactionQuiet() {
        return compactionQuiet;
    }

    @Override
    public String toString() {
        return "GeoMesaSink{"
                + layer
                + " "
                + typeName
                + " in "
                + store.describe()
                + ", batch "
                + batchSize
                + ", flush every "
                + flushInterval
                + "}";
    }

    /**
     * Builds a {@link GeoMesaSink}; {@link #build()} checks every field and names the first one
     * that is missing or invalid.
     */
    public static final class Builder {
        private Layer layer;
        private StoreConfig store;
        private String typeName;
        private ZoneGeometries geometries;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration flushInterval;
        private Clock clock = Clock.systemUTC();
        private Duration compactionInterval = DEFAULT_COMPACTION_INTERVAL;
        private Duration compactionQuiet = DEFAULT_COMPACTION_QUIET;

        private Builder() {}

        /**
         * Compaction of a FileSystem history ({@link org.smartcity.store.HistoryCompactor}), done
         * by subtask 0 between batches: at most once per {@code interval}, of the partitions that
         * had no new file for {@code quiet} (keep it above the job's allowed lateness).
         */
        public Builder compaction(Duration interval, Duration quiet) {
            this.compactionInterval = interval;
            this.compactionQuiet = quiet;
            return this;
        }

        /** Which layer to write (required). */
        public Builder layer(Layer layer) {
            this.layer = layer;
            return this;
        }

        /** The data store to write to (required). */
        public Builder store(StoreConfig store) {
            this.store = store;
            return this;
        }

        /**
         * The feature type name; defaults to the layer's ({@value AggregateSchema#HISTORY_TYPE} or
         * {@value AggregateSchema#LIVE_TYPE}).
         */
        public Builder typeName(String typeName) {
            this.typeName = typeName;
            return this;
        }

        /** The polygons of the zones (required). */
        public Builder geometries(ZoneGeometries geometries) {
            this.geometries = geometries;
            return this;
        }

        /** Features buffered before a write, 1 to {@value #MAX_BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Longest a buffered feature waits before it is written even if the batch is not full;
         * {@link Duration#ZERO} to write only on full batches and checkpoints. Defaults to {@link
         * #DEFAULT_LIVE_FLUSH_INTERVAL} for the live layer (a presenter's map should move within a
         * second) and {@link #DEFAULT_HISTORY_FLUSH_INTERVAL} for history (each FileSystem write
         * adds files).
         */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        /** The clock for the {@code updated} attribute; the system's UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * The sink.
         *
         * @throws IllegalArgumentException naming the first field that is missing or invalid
         */
        public GeoMesaSink build() {
            require(layer != null, "layer is required (Layer.HISTORY or Layer.LIVE)");
            require(store != null, "store is required (a StoreConfig)");
            require(geometries != null, "geometries is required (a ZoneGeometries)");
            require(clock != null, "clock must not be null");
            require(
                    compactionInterval != null
                            && !compactionInterval.isNegative()
                            && compactionQuiet != null
                            && !compactionQuiet.isNegative(),
                    "compaction interval and quiet period must not be negative");
            require(
                    typeName == null || typeName.matches("[A-Za-z_][A-Za-z0-9_]*"),
                    "typeName must be letters, digits and underscores, not starting with a"
                            + " digit, was '"
                            + typeName
                            + "'");
            require(
                    batchSize >= 1 && batchSize <= MAX_BATCH_SIZE,
                    "batchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + batchSize);
            require(
                    flushInterval == null
                            || (!flushInterval.isNegative()
                                    && flushInterval.compareTo(Duration.ofHours(1)) <= 0),
                    "flushInterval must be between 0 and 1 hour, was " + flushInterval);
            require(
                    layer != Layer.LIVE || store.overwritesById(),
                    "the live layer needs a store that overwrites by feature id, but "
                            + store.describe()
                            + " appends: use StoreConfig.Kafka for Layer.LIVE");
            // Fails here, on the client, rather than in every subtask at deployment.
            requireSerializable(geometries);
            return new GeoMesaSink(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException("GeoMesaSink: " + message);
            }
        }

        private static void requireSerializable(ZoneGeometries geometries) {
            try (var out =
                    new java.io.ObjectOutputStream(java.io.OutputStream.nullOutputStream())) {
                out.writeObject(geometries);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "GeoMesaSink: geometries must be serializable (Flink ships it to every"
                                + " subtask): "
                                + e,
                        e);
            }
        }
    }
}
