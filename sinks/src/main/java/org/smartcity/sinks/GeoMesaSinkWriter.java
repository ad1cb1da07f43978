package org.smartcity.sinks;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.FeatureWriter;
import org.geotools.api.data.Transaction;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.locationtech.jts.geom.Geometry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.WindowRevision;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryCompactor;
import org.smartcity.store.HistoryLayout;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;

/**
 * The writer of one {@link GeoMesaSink} subtask.
 *
 * <p>Threads: Flink calls {@code write}, {@code flush}, the flush timer and {@code close} on the
 * task's mailbox thread; batches are written on one background thread, at most one batch at a time
 * (a full buffer waits for the previous batch: backpressure). A failed batch poisons the writer:
 * its error is rethrown by the next {@code write}, {@code flush} or timer, which fails the task,
 * and Flink restarts from the last checkpoint.
 *
 * <p>The buffer is keyed by feature id, so a newer revision of a window that is still buffered
 * replaces the older one instead of being written after it.
 */
final class GeoMesaSinkWriter implements SinkWriter<ZoneAggregate> {

    private static final Logger LOG = LoggerFactory.getLogger(GeoMesaSinkWriter.class);

    /** Skipped aggregates logged one by one; after that, one in {@value #SKIP_LOG_EVERY}. */
    private static final int SKIP_LOG_LIMIT = 10;

    private static final int SKIP_LOG_EVERY = 1_000;

    /** How long replaced files stay on disk for readers that listed them: beyond any query. */
    static final Duration COMPACTION_GRACE = Duration.ofMinutes(10);

    /** Longest {@link #close()} waits for a batch still being written. */
    private static final long CLOSE_TIMEOUT_SECONDS = 60;

    /** A buffered aggregate with its feature id and zone polygon. */
    private record Pending(String id, ZoneAggregate aggregate, Geometry geometry) {

        /**
         * The one to keep of two pendings with the same id: the newer emission ({@link
         * WindowRevision}), else the later.
         */
        static Pending newer(Pending buffered, Pending arriving) {
            return arriving.aggregate()
                            .windowRevision()
                            .isOlderThan(buffered.aggregate().windowRevision())
                    ? buffered
                    : arriving;
        }
    }

    private final GeoMesaSink sink;
    private final DataStore store;
    private final ProcessingTimeService timers;
    private final long flushIntervalMillis;
    private final ExecutorService io;
    private final NewestWindows newestWindows = new NewestWindows();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Whether history rows go to one type per window length ({@link HistoryLayout}). */
    private final boolean splitsHistory;

    /**
     * Compacts finished partitions of a FileSystem history, on the background thread, at most once
     * per {@link GeoMesaSink#compactionInterval()}; only subtask 0 of a history sink has one (null
     * otherwise).
     */
    private final HistoryCompactor compactor;

    private long nextCompactionMillis;

    /** Per-length types this writer has made sure exist; used on the background thread only. */
    private final Set<String> ensuredTypes = new HashSet<>();

    private final Counter numRecordsSend;
    private final Counter numRecordsSendErrors;
    private final Counter unlocated;
    private final Counter superseded;
    private volatile long lastBatchMillis;

    private LinkedHashMap<String, Pending> buffer = new LinkedHashMap<>();
    private Future<?> inFlight;
    private ScheduledFuture<?> flushTimer;
    private boolean closed;

    /**
     * @param store an open store holding the sink's feature type; the writer disposes it on close
     * @param timers for the flush interval; null to write only on full batches and flushes
     */
    GeoMesaSinkWriter(
            GeoMesaSink sink,
            DataStore store,
            SinkWriterMetricGroup metrics,
            ProcessingTimeService timers,
            int subtask) {
        this.sink = sink;
        this.store = store;
        this.timers = timers;
        this.flushIntervalMillis = sink.flushInterval().toMillis();
        // File timestamps are wall-clock time, whatever clock stamps the rows.
        this.compactor =
                sink.layer() == Layer.HISTORY
                                && sink.store() instanceof StoreConfig.FileSystem
                                && subtask == 0
                        ? new HistoryCompactor(
                                sink.compactionQuiet(), COMPACTION_GRACE, Clock.systemUTC())
                        : null;
        this.nextCompactionMillis =
                System.currentTimeMillis() + sink.compactionInterval().toMillis();
        this.splitsHistory =
                sink.layer() == Layer.HISTORY
                        && sink.store().historyByWindowLength()
                        && sink.typeName().equals(AggregateSchema.HISTORY_TYPE);
        String threadName = "geomesa-sink-" + sink.typeName() + "-" + subtask;
        this.io =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, threadName);
                            t.setDaemon(true);
                            return t;
                        });
        this.numRecordsSend = metrics.getNumRecordsSendCounter();
        this.numRecordsSendErrors = metrics.getNumRecordsSendErrorsCounter();
        this.unlocated = metrics.counter("unlocatedAggregates");
        this.superseded = metrics.counter("supersededLiveUpdates");
        metrics.setCurrentSendTimeGauge(() -> lastBatchMillis);
        LOG.info("Subtask {} writes to {}", subtask, sink);
    }

    @Override
    public void write(ZoneAggregate aggregate, Context context)
            throws IOException, InterruptedException {
        rethrowFailure();
        Geometry geometry = sink.geometries().geometry(aggregate.zoneKind(), aggregate.zoneId());
        if (geometry == null) {
            // A zoning that does not match the job's is a deployment mistake, but one unknown
            // zone must not stop the city's other aggregates: skip, count, and say so.
            unlocated.inc();
            if (unlocated.getCount() <= SKIP_LOG_LIMIT
                    || unlocated.getCount() % SKIP_LOG_EVERY == 0) {
                LOG.warn(
                        "No geometry for {} zone {}: aggregate {} skipped ({} so far)",
                        aggregate.zoneKind().id(),
                        aggregate.zoneId(),
                        aggregate.featureId(),
                        unlocated.getCount());
            }
            return;
        }
        String id = sink.layer().featureId(aggregate);
        if (sink.layer() == Layer.LIVE && !newestWindows.admit(id, aggregate)) {
            superseded.inc();
            return;
        }
        buffer.merge(id, new Pending(id, aggregate, geometry), Pending::newer);
        if (buffer.size() >= sink.batchSize()) {
            startBatch();
        } else {
            armFlushTimer();
        }
    }

    /**
     * Writes everything buffered and waits until it is stored: called before every checkpoint and
     * at the end of input, which makes the sink at-least-once.
     */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        rethrowFailure();
        startBatch();
        awaitInFlight();
        rethrowFailure();
        if (compactor != null) {
            // A subtask 0 that got no batch lately still compacts when due.
            inFlight = io.submit(this::maybeCompact);
            awaitInFlight();
        }
    }

    /**
     * Stops the timer, lets a batch being written finish, and disposes the store. Whatever is still
     * buffered is dropped: Flink flushes before a clean close, and after a failure the records are
     * replayed from the last checkpoint.
     */
    @Override
    public void close() {
        closed = true;
        if (flushTimer != null) {
            flushTimer.cancel(false);
        }
        io.shutdown();
        try {
            if (!io.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("A batch to {} did not finish within {} s", sink, CLOSE_TIMEOUT_SECONDS);
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            io.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            store.dispose();
        }
    }

    /** Hands the buffer to the background thread, after the previous batch has finished. */
    private void startBatch() throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        awaitInFlight();
        rethrowFailure();
        List<Pending> batch = new ArrayList<>(buffer.values());
        buffer = new LinkedHashMap<>();
        inFlight = io.submit(() -> writeBatch(batch));
    }

    private void awaitInFlight() throws InterruptedException {
        if (inFlight == null) {
            return;
        }
        try {
            inFlight.get();
        } catch (ExecutionException e) {
            // writeBatch records its own failures; this is only reached by an Error.
            failure.compareAndSet(null, e.getCause());
        }
        inFlight = null;
    }

    /** Runs on the background thread. */
    private void writeBatch(List<Pending> batch) {
        long started = System.nanoTime();
        try {
            Instant now = sink.clock().instant();
            for (Map.Entry<String, List<Pending>> part : byType(batch).entrySet()) {
                writeType(part.getKey(), part.getValue(), now);
            }
        } catch (IOException | RuntimeException e) {
            numRecordsSendErrors.inc(batch.size());
            failure.compareAndSet(
                    null,
                    new IOException(
                            "Writing "
                                    + batch.size()
                                    + " features to "
                                    + sink.typeName()
                                    + " in "
                                    + sink.store().describe()
                                    + " failed",
                            e));
            return;
        }
        numRecordsSend.inc(batch.size());
        lastBatchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        maybeCompact();
    }

    /**
     * Compacts finished partitions when due. Runs between batches on the background thread, so the
     * next batch (or a checkpoint's flush) waits for it; a failure is logged and never fails the
     * job: the store is as readable as before (see {@link HistoryCompactor}).
     */
    private void maybeCompact() {
        if (compactor == null || System.currentTimeMillis() < nextCompactionMillis) {
            return;
        }
        nextCompactionMillis = System.currentTimeMillis() + sink.compactionInterval().toMillis();
        try {
            compactor.run(store);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Compacting the history in {} failed; will try again in {}",
                    sink.store().describe(),
                    sink.compactionInterval(),
                    e);
        }
    }

    /**
     * The batch by feature type. A history split by window length ({@link HistoryLayout}) gets each
     * length's rows in its own type, sorted by metric, zone and window start, so that a file's row
     * groups and pages cover few zones and Parquet's statistics can skip the rest.
     */
    private Map<String, List<Pending>> byType(List<Pending> batch) {
        if (!splitsHistory) {
            return Map.of(sink.typeName(), batch);
        }
        Map<String, List<Pending>> parts = new TreeMap<>();
        for (Pending p : batch) {
            parts.computeIfAbsent(HistoryLayout.typeOf(p.aggregate()), t -> new ArrayList<>())
                    .add(p);
        }
        for (List<Pending> part : parts.values()) {
            part.sort(Comparator.comparing(Pending::aggregate, HistoryLayout.ROW_ORDER));
        }
        return parts;
    }

    private void writeType(String typeName, List<Pending> rows, Instant now) throws IOException {
        if (splitsHistory && ensuredTypes.add(typeName)) {
            DataStores.ensureType(store, sink.store(), typeName);
        }
        try (FeatureWriter<SimpleFeatureType, SimpleFeature> writer =
                store.getFeatureWriterAppend(typeName, Transaction.AUTO_COMMIT)) {
            for (Pending p : rows) {
                SimpleFeature f = writer.next();
                AggregateSchema.setAttributes(f, p.aggregate(), p.geometry(), now);
                DataStores.useProvidedId(f, p.id());
                writer.write();
            }
        }
        DataStores.afterWrite(store, typeName);
    }

    /** {@link DataStores#useProvidedId}, under the name the alert committer calls. */
    static void useProvidedId(SimpleFeature f, String id) {
        DataStores.useProvidedId(f, id);
    }

    private void armFlushTimer() {
        if (timers == null || flushIntervalMillis == 0 || flushTimer != null || closed) {
            return;
        }
        flushTimer =
                timers.registerTimer(
                        timers.getCurrentProcessingTime() + flushIntervalMillis,
                        this::onFlushTimer);
    }

    /** Runs on the mailbox thread. Throwing here fails the task, like a failed write would. */
    private void onFlushTimer(long time) throws IOException, InterruptedException {
        flushTimer = null;
        if (closed) {
            return;
        }
        rethrowFailure();
        if (inFlight != null && !inFlight.isDone()) {
            // The store is busy; try again rather than block the mailbox thread.
            armFlushTimer();
            return;
        }
        startBatch();
    }

    private void rethrowFailure() throws IOException {
        Throwable t = failure.get();
        if (t == null) {
            return;
        }
        if (t instanceof IOException e) {
            throw new IOException(e.getMessage(), e);
        }
        throw new IOException("Writing to " + sink + " failed", t);
    }

    /** Live ids whose newest window this writer remembers; for tests. */
    int trackedLiveIds() {
        return newestWindows.size();
    }

    /** Aggregates skipped because their zone has no geometry; for tests. */
    long skippedUnlocated() {
        return unlocated.getCount();
    }

    /** Live updates dropped because a newer window was written; for tests. */
    long droppedSuperseded() {
        return superseded.getCount();
    }
}
