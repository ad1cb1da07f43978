package org.smartcity.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.filter.Filter;
import org.locationtech.geomesa.fs.data.FileSystemDataStore;
import org.locationtech.geomesa.fs.storage.api.FileSystemStorage;
import org.locationtech.geomesa.fs.storage.api.StorageMetadata;
import org.locationtech.geomesa.fs.storage.common.AbstractFileSystemStorage;
import org.locationtech.geomesa.utils.collection.CloseableIterator;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * Reads the rows of a GeoMesa FileSystem feature type that match a filter with GeoMesa's own pieces
 * (its partition pruning, its Parquet reader with the filter pushed down), but without its {@code
 * FileSystemThreadedReader}, which polls its queue with a 100 ms timeout until its reader threads
 * are done (GeoMesa 5.4.0): every query waited up to 100 ms after its last row, the bulk of a
 * one-day query on a compacted store.
 *
 * <p>The files of a query are read by the calling thread and up to {@link #THREADS} - 1 helpers of
 * a pool all queries share (see {@link #POOL}). A partition holding a file that modifies or deletes
 * rows (which the aggregate writers never make) is read through GeoMesa's reader instead ({@code
 * null}).
 */
final class FileSystemReads {

    /**
     * Files read at once by one query: one per core, at most GeoMesa's default {@code
     * fs.read-threads} (4). The caller is one of them.
     */
    static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /**
     * The helper threads every query shares ({@link #THREADS} - 1 of them, at least one). Why
     * shared: a pool per query (as GeoMesa's reader makes) started up to 4 threads per query, 80
     * with 20 concurrent queries on 2 cores, each query paying for their creation; a query running
     * alone still reads its files on every core. Daemon threads with Hadoop's defaults hidden
     * ({@link HadoopDefaults}), since they outlive the read that started them.
     */
    private static final ExecutorService POOL = pool(Math.max(1, THREADS - 1));

    private FileSystemReads() {}

    private static ExecutorService pool(int threads) {
        AtomicInteger count = new AtomicInteger();
        ClassLoader loader = HadoopDefaults.hiding(FileSystemReads.class.getClassLoader());
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(
                        threads,
                        threads,
                        30,
                        TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(),
                        r -> {
                            Thread t = new Thread(r, "history-read-" + count.incrementAndGet());
                            t.setDaemon(true);
                            t.setContextClassLoader(loader);
                            return t;
                        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * The rows of {@code typeName} in {@code store} matching {@code filter}, or null when this
     * store or type needs GeoMesa's reader.
     */
    static List<SimpleFeature> read(FileSystemDataStore store, String typeName, Filter filter)
            throws IOException {
        Map<String, List<StorageMetadata.StorageFilePath>> plan = files(store, typeName, filter);
        if (plan == null) {
            return null;
        }
        List<StorageMetadata.StorageFilePath> all = new ArrayList<>();
        plan.values().forEach(all::addAll);
        return read(store, typeName, all, filter);
    }

    /**
     * The files a read of {@code filter} opens, per partition in the order GeoMesa gives them, or
     * null when this store or type needs GeoMesa's reader (a partition holds a file that modifies
     * or deletes rows).
     */
    static Map<String, List<StorageMetadata.StorageFilePath>> files(
            FileSystemDataStore store, String typeName, Filter filter) throws IOException {
        FileSystemStorage storage = store.storage(typeName);
        if (!(storage instanceof AbstractFileSystemStorage)) {
            return null;
        }
        Map<String, List<StorageMetadata.StorageFilePath>> byPartition = new LinkedHashMap<>();
        for (var part :
                JavaConverters.seqAsJavaList(storage.getPartitionFilters(filter, Option.empty()))) {
            for (String partition : JavaConverters.seqAsJavaList(part.partitions())) {
                if (byPartition.containsKey(partition)) {
                    continue;
                }
                List<StorageMetadata.StorageFilePath> files = new ArrayList<>();
                byPartition.put(partition, files);
                for (StorageMetadata.StorageFilePath file :
                        JavaConverters.seqAsJavaList(storage.getFilePaths(partition))) {
                    if (file.file().action()
                            != StorageMetadata.StorageFileAction$.MODULE$.Append()) {
                        return null;
                    }
                    files.add(file);
                }
            }
        }
        return byPartition;
    }

    /**
     * The rows of the given files of {@code typeName} (from {@link #files}) that match {@code
     * filter}.
     */
    static List<SimpleFeature> read(
            FileSystemDataStore store,
            String typeName,
            List<StorageMetadata.StorageFilePath> files,
            Filter filter)
            throws IOException {
        AbstractFileSystemStorage storage = (AbstractFileSystemStorage) store.storage(typeName);
        AbstractFileSystemStorage.FileSystemPathReader reader =
                storage.createReader(Option.apply(filter), Option.empty());
        int n = files.size();
        List<List<SimpleFeature>> perFile = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            perFile.add(null);
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable work =
                () -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        try {
                            if (failure.get() == null) {
                                perFile.set(i, readFile(reader, files.get(i), filter));
                            }
                        } catch (IOException | RuntimeException | Error e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            done.countDown();
                        }
                    }
                };
        // Helpers from the shared pool take files too; the caller reads until none is left, so a
        // query never waits for a pool busy with others' files (a helper that starts late finds
        // nothing to do and returns).
        for (int h = 0; h < Math.min(THREADS - 1, n - 1); h++) {
            POOL.execute(work);
        }
        work.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading " + typeName, e);
        }
        Throwable t = failure.get();
        if (t instanceof IOException io) {
            throw new IOException("Reading " + typeName + " failed", io);
        } else if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error err) {
            throw err;
        }
        List<SimpleFeature> rows = new ArrayList<>();
        perFile.forEach(rows::addAll);
        return rows;
    }

    private static List<SimpleFeature> readFile(
            AbstractFileSystemStorage.FileSystemPathReader reader,
            StorageMetadata.StorageFilePath file,
            Filter filter)
            throws IOException {
        List<SimpleFeature> rows = new ArrayList<>();
        // GeoMesa's reader logs and skips a file it cannot read, as its threaded reader did.
        try (CloseableIterator<SimpleFeature> it = reader.read(file.path())) {
            while (it.hasNext()) {
                SimpleFeature row = it.next();
                if (filter.evaluate(row)) {
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
