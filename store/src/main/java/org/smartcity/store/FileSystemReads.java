package org.smartcity.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <p>Files are read on a pool made for the query (at most {@value #THREADS} threads, GeoMesa's
 * default too), whose threads inherit the caller's context class loader, so {@link HadoopDefaults}
 * applies to them. A partition holding a file that modifies or deletes rows (which the aggregate
 * writers never make) is read through GeoMesa's reader instead ({@code null}).
 */
final class FileSystemReads {

    /** Files read at once: GeoMesa's default {@code fs.read-threads}. */
    static final int THREADS = 4;

    private FileSystemReads() {}

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
        List<Callable<List<SimpleFeature>>> tasks = new ArrayList<>();
        for (StorageMetadata.StorageFilePath file : files) {
            tasks.add(() -> readFile(reader, file, filter));
        }
        List<SimpleFeature> rows = new ArrayList<>();
        if (tasks.size() == 1) {
            rows.addAll(run(tasks.get(0)));
            return rows;
        }
        if (tasks.isEmpty()) {
            return rows;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, tasks.size()));
        try {
            for (Future<List<SimpleFeature>> f : pool.invokeAll(tasks)) {
                rows.addAll(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading " + typeName, e);
        } catch (ExecutionException e) {
            throw new IOException("Reading " + typeName + " failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
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

    private static List<SimpleFeature> run(Callable<List<SimpleFeature>> task) throws IOException {
        try {
            return task.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
