package org.smartcity.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.Query;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.filter.Filter;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.locationtech.geomesa.fs.data.FileSystemDataStore;
import org.smartcity.core.WindowRevision;

/**
 * Reads aggregates so that every window appears once, with its newest revision: the read side of
 * the "exactly-once as seen by a query" guarantee.
 *
 * <p>Why: the sink writes at least once with deterministic feature ids. Stores that overwrite by id
 * (the Kafka live layer; HBase and Accumulo, whose rows for one window have the same key) then hold
 * one row per window. The FileSystem and Redis stores append instead: a correction (revision 2) or
 * a replay after a failure adds a row with an id that is already there. This class reads the
 * matching rows and keeps, per feature id, the newest emission ({@link WindowRevision}: within one
 * window id, the highest {@code revision}); between equal revisions (a replay), the latest {@code
 * updated}. On an overwriting store it changes nothing, so the dashboard and any analyst tool
 * should always read the history through it.
 *
 * <p>Filter only on attributes all revisions of a window share (area, window start, metric, zone,
 * window length: {@link HistoryQuery}); filter on values after this step. Paging (OGC API {@code
 * limit}/{@code next}) also comes after it, on the returned list, which is sorted by window start,
 * then feature id.
 */
public final class HistoryQueries {

    private static final Comparator<SimpleFeature> BY_WINDOW_THEN_ID =
            Comparator.comparing(
                            (SimpleFeature f) ->
                                    (Date) f.getAttribute(AggregateSchema.WINDOW_START))
                    .thenComparing(SimpleFeature::getID);

    private HistoryQueries() {}

    /**
     * The newest revision of every aggregate in {@code typeName} that matches {@code query}. For
     * {@value AggregateSchema#HISTORY_TYPE} that is every physical type of the history holding the
     * query's window length ({@link HistoryLayout#typesToRead}).
     */
    public static List<StoredAggregate> latest(DataStore store, String typeName, HistoryQuery query)
            throws IOException {
        return latestFeatures(store, typesToRead(store, typeName, query.windowLength()), query)
                .stream()
                .map(StoredAggregate::fromFeature)
                .toList();
    }

    /**
     * The newest revision of every feature of {@code typeName} that matches {@code filter}, as
     * features (e.g. to encode as GeoJSON), sorted by window start, then id. For {@value
     * AggregateSchema#HISTORY_TYPE}, every physical type of the history is read.
     *
     * <p>Every row the store returns is checked against {@code filter} again, in memory: GeoMesa's
     * FileSystem store (5.4, daily partitions) treats a time range open at the end ({@code
     * window_start >= a}) as "the whole partition", returning earlier windows of the day too.
     */
    public static List<SimpleFeature> latestFeatures(
            DataStore store, String typeName, Filter filter) throws IOException {
        return latestFeatures(store, typesToRead(store, typeName, null), filter);
    }

    private static List<SimpleFeature> latestFeatures(
            DataStore store, List<String> typeNames, HistoryQuery query) throws IOException {
        return latestFeatures(store, typeNames, query.toFilter());
    }

    private static List<SimpleFeature> latestFeatures(
            DataStore store, List<String> typeNames, Filter filter) throws IOException {
        // GeoMesa's FileSystem store would otherwise parse Hadoop's defaults per file read.
        HadoopDefaults.Read<List<SimpleFeature>> read =
                () ->
                        HadoopDefaults.withoutDefaults(
                                () -> {
                                    List<SimpleFeature> rows = new ArrayList<>();
                                    for (String typeName : typeNames) {
                                        readMatching(store, typeName, filter, rows);
                                    }
                                    // Rows of one window may sit in two types (a store from
                                    // before the per-length layout, written on after it): the
                                    // newest wins across them.
                                    return keepLatest(rows.iterator());
                                });
        // Only local files are read on this process's cores; a remote store's query mostly
        // waits on the network, and holding it back would only add to its latency.
        return store instanceof FileSystemDataStore ? inTurn(read) : read.run();
    }

    /**
     * Queries of a FileSystem history that run at once in this process: one per core. The others
     * wait in arrival order.
     *
     * <p>Why: a query is CPU-bound (decoding Parquet: about 25 ms of CPU for the items query of
     * {@code HistoryBenchmark}'s year store). With 20 query loops on 2 cores all running at once,
     * each query got a share of a core and took anything from 150 ms to over a second; taking
     * turns, each runs at about its idle speed once admitted and waits for the work in front of it.
     * Measured (6 alternating runs each way): p99 518 to 423 ms, p50 232 to 272 ms, about 5% fewer
     * queries per second. A query alone is never held.
     */
    private static final Semaphore TURNS =
            new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);

    private static <T> T inTurn(HadoopDefaults.Read<T> read) throws IOException {
        try {
            TURNS.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting to read the history");
        }
        try {
            return read.run();
        } finally {
            TURNS.release();
        }
    }

    /**
     * Every row of {@code typeName} that matches {@code filter}, as stored: all revisions, in no
     * particular order. For types other than the aggregates' ({@link AlertQueries}), which keep
     * their own newest-revision rule.
     */
    static List<SimpleFeature> rows(DataStore store, String typeName, Filter filter)
            throws IOException {
        return HadoopDefaults.withoutDefaults(
                () -> {
                    List<SimpleFeature> rows = new ArrayList<>();
                    readMatching(store, typeName, filter, rows);
                    return rows;
                });
    }

    /** The types to read for the logical {@code typeName}; itself unless the history is split. */
    private static List<String> typesToRead(DataStore store, String typeName, String windowLength)
            throws IOException {
        if (!typeName.equals(AggregateSchema.HISTORY_TYPE)) {
            return List.of(typeName);
        }
        List<String> types = HistoryLayout.typesToRead(store, windowLength);
        // None yet: ask for the logical type, which fails as a missing type did before.
        return types.isEmpty() ? List.of(typeName) : types;
    }

    private static void readMatching(
            DataStore store, String typeName, Filter filter, List<SimpleFeature> into)
            throws IOException {
        if (store instanceof FileSystemDataStore fs) {
            List<SimpleFeature> rows = FileSystemReads.read(fs, typeName, filter);
            if (rows != null) {
                into.addAll(rows);
                return;
            }
        }
        try (SimpleFeatureIterator it =
                store.getFeatureSource(typeName)
                        .getFeatures(new Query(typeName, filter))
                        .features()) {
            while (it.hasNext()) {
                SimpleFeature row = it.next();
                if (filter.evaluate(row)) {
                    into.add(row);
                }
            }
        }
    }

    /**
     * Of the given rows, the newest revision per feature id (ties: the latest {@code updated}),
     * sorted by window start, then id.
     */
    public static List<SimpleFeature> keepLatest(Iterator<SimpleFeature> rows) {
        Map<String, SimpleFeature> newest = new HashMap<>();
        while (rows.hasNext()) {
            SimpleFeature row = rows.next();
            newest.merge(row.getID(), row, (kept, other) -> isNewer(other, kept) ? other : kept);
        }
        List<SimpleFeature> result = new ArrayList<>(newest.values());
        result.sort(BY_WINDOW_THEN_ID);
        return result;
    }

    /** Whether {@code a} supersedes {@code b}, two rows with the same feature id. */
    static boolean isNewer(SimpleFeature a, SimpleFeature b) {
        int byEmission = windowRevision(a).compareTo(windowRevision(b));
        if (byEmission != 0) {
            return byEmission > 0;
        }
        // The same emission written twice (a replay after a failure): the later write wins.
        Date aUpdated = (Date) a.getAttribute(AggregateSchema.UPDATED);
        Date bUpdated = (Date) b.getAttribute(AggregateSchema.UPDATED);
        return aUpdated.after(bUpdated);
    }

    private static WindowRevision windowRevision(SimpleFeature f) {
        return new WindowRevision(
                ((Date) f.getAttribute(AggregateSchema.WINDOW_START)).getTime(),
                ((Number) f.getAttribute(AggregateSchema.REVISION)).intValue());
    }
}
