package org.smartcity.store;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.Query;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.api.filter.Filter;
import org.geotools.feature.simple.SimpleFeatureBuilder;
import org.locationtech.geomesa.fs.data.FileSystemDataStore;
import org.locationtech.geomesa.fs.storage.api.FileSystemStorage;
import org.locationtech.geomesa.fs.storage.api.StorageMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * Compacts finished partitions of a GeoMesa FileSystem history: the files the sink added on every
 * flush become one file, holding each window once (its newest revision, as {@link HistoryQueries}
 * would pick it) in {@link #ROW_ORDER}, so that a query opens one file per partition and Parquet's
 * statistics can skip by length, metric and zone.
 *
 * <p>A partition is finished when nothing was written to it for {@code quiet} (longer than the
 * job's allowed lateness: after that no correction can reach it); compacting one that is not would
 * still be correct, only less useful.
 *
 * <p>Safe against readers and crashes, because readers already take the newest row per id:
 *
 * <ol>
 *   <li>the partition's rows are read and written as a new file, which the store lists at once: a
 *       reader now sees every window twice, with equal values, and shows it once;
 *   <li>the old files are recorded in a trash note under {@code <type>/compaction/};
 *   <li>they are removed from the store's metadata: new readers see the new file only;
 *   <li>they are deleted by a later run, once the note is older than {@code grace}, so that a
 *       reader that listed them before (or through the FileSystem store's 10 s listing cache) can
 *       still open them; a file the metadata still lists (a crash between 2 and 3) is never
 *       deleted.
 * </ol>
 *
 * A crash after 1 leaves duplicates (hidden by readers) that the next run merges; after 2 or 3, a
 * note whose files are kept or deleted as above.
 */
public final class HistoryCompactor {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryCompactor.class);

    /**
     * The order of rows in a compacted file: window length, metric, zone kind, zone id, window
     * start (the single type holds every length; a per-length type has one).
     */
    static final Comparator<SimpleFeature> ROW_ORDER =
            Comparator.comparing((SimpleFeature f) -> attr(f, AggregateSchema.WINDOW_LENGTH))
                    .thenComparing(f -> attr(f, AggregateSchema.METRIC))
                    .thenComparing(f -> attr(f, AggregateSchema.ZONE_KIND))
                    .thenComparing(f -> attr(f, AggregateSchema.ZONE_ID))
                    .thenComparing(f -> (Date) f.getAttribute(AggregateSchema.WINDOW_START));

    private static final String TRASH_DIR = "compaction";
    private static final String TRASH_SUFFIX = ".trash";

    /** Where a test makes a run stop, as a crash would. */
    enum Step {
        WRITTEN,
        NOTED,
        UNLISTED
    }

    /** A simulated crash. */
    static final class Crash extends RuntimeException {
        Crash(Step step) {
            super("crash after " + step);
        }
    }

    /**
     * What one run did: partitions written (compacted, or moved into), the files they replaced, the
     * rows written, and the replaced files of earlier runs deleted.
     */
    public record Result(int partitions, long filesBefore, long rowsWritten, int filesDeleted) {}

    private final Duration quiet;
    private final Duration grace;
    private final Clock clock;
    private final Step crashAfter;

    /**
     * @param quiet how long a partition must have had no new file to be compacted
     * @param grace how long replaced files stay on disk for readers that listed them
     */
    public HistoryCompactor(Duration quiet, Duration grace, Clock clock) {
        this(quiet, grace, clock, null);
    }

    HistoryCompactor(Duration quiet, Duration grace, Clock clock, Step crashAfter) {
        this.quiet = quiet;
        this.grace = grace;
        this.clock = clock;
        this.crashAfter = crashAfter;
    }

    /**
     * Deletes the files of old enough trash notes, then compacts every finished partition with more
     * than one file, in every history type of {@code store} (nothing for a store that is not a
     * FileSystem store).
     */
    public Result run(DataStore store) throws IOException {
        if (!(store instanceof FileSystemDataStore fs)) {
            return new Result(0, 0, 0, 0);
        }
        int partitions = 0;
        long filesBefore = 0;
        long rows = 0;
        int deleted = 0;
        // The single type first: moving its days may create per-length types, compacted next.
        List<String> done = new ArrayList<>();
        for (List<String> types = HistoryLayout.typesToRead(store, null);
                !done.containsAll(types);
                types = HistoryLayout.typesToRead(store, null)) {
            String type = types.stream().filter(t -> !done.contains(t)).findFirst().orElseThrow();
            done.add(type);
            FileSystemStorage storage = fs.storage(type);
            deleted += emptyTrash(storage);
            storage.metadata().invalidate();
            boolean split = HistoryLayout.splitsOnCompaction(storage.metadata().sft());
            for (StorageMetadata.PartitionMetadata p :
                    JavaConverters.seqAsJavaList(
                            storage.metadata().getPartitions(Option.empty()))) {
                List<StorageMetadata.StorageFile> files = JavaConverters.seqAsJavaList(p.files());
                if (files.size() < (split ? 1 : 2) || !finished(files)) {
                    continue;
                }
                Moved m = split ? move(fs, storage, p) : compact(type, storage, p);
                rows += m.rows();
                partitions += m.partitions();
                filesBefore += files.size();
            }
        }
        if (partitions > 0 || deleted > 0) {
            LOG.info(
                    "Compacted {} history partitions ({} files into one each, {} rows); deleted {}"
                            + " replaced files",
                    partitions,
                    filesBefore,
                    rows,
                    deleted);
        }
        return new Result(partitions, filesBefore, rows, deleted);
    }

    private boolean finished(List<StorageMetadata.StorageFile> files) {
        long newest =
                files.stream().mapToLong(StorageMetadata.StorageFile::timestamp).max().orElse(0);
        return clock.millis() - newest >= quiet.toMillis();
    }

    /** Rows written by compacting or moving one partition, and the partitions they went to. */
    private record Moved(long rows, int partitions) {}

    /** Compacts one partition. */
    private Moved compact(
            String type, FileSystemStorage storage, StorageMetadata.PartitionMetadata p)
            throws IOException {
        List<Path> replaced = filePaths(storage, p);
        // 1. Every row of the partition (any file added since the listing too: its rows are then
        // written twice, which readers hide), the newest per id, sorted.
        List<SimpleFeature> rows =
                HadoopDefaults.withoutDefaults(() -> newestRows(type, storage, p.name()));
        rows.sort(ROW_ORDER);
        try (FileSystemStorage.FileSystemWriter writer = storage.getWriter(p.name())) {
            for (SimpleFeature f : rows) {
                writer.write(f);
            }
        }
        unlist(storage, p, replaced);
        return new Moved(rows.size(), 1);
    }

    /**
     * Moves one finished partition of the single type into the per-length types ({@link
     * HistoryLayout}): the same steps as {@link #compact}, except that step 1 writes each window
     * length's rows to its own type, one file per partition there (a later run compacts a partition
     * that has gathered several, a month of {@code 1h} for instance). A reader between steps 1 and
     * 3 finds each window in two types, with equal values, and shows it once.
     */
    private Moved move(
            FileSystemDataStore store,
            FileSystemStorage storage,
            StorageMetadata.PartitionMetadata p)
            throws IOException {
        List<Path> replaced = filePaths(storage, p);
        List<SimpleFeature> rows =
                HadoopDefaults.withoutDefaults(
                        () -> newestRows(AggregateSchema.HISTORY_TYPE, storage, p.name()));
        Map<String, List<SimpleFeature>> byType = new TreeMap<>();
        for (SimpleFeature f : rows) {
            String length = attr(f, AggregateSchema.WINDOW_LENGTH);
            byType.computeIfAbsent(HistoryLayout.typeName(length), t -> new ArrayList<>()).add(f);
        }
        StoreConfig target =
                new StoreConfig.FileSystem(
                        storage.context().root().toString(),
                        storage.metadata().encoding(),
                        StoreConfig.FileSystem.BY_WINDOW_LENGTH);
        int partitions = 0;
        for (Map.Entry<String, List<SimpleFeature>> e : byType.entrySet()) {
            DataStores.ensureType(store, target, e.getKey());
            FileSystemStorage to = store.storage(e.getKey());
            SimpleFeatureType type = to.metadata().sft();
            Map<String, List<SimpleFeature>> byPartition = new TreeMap<>();
            for (SimpleFeature f : e.getValue()) {
                SimpleFeature copy = copy(type, f);
                byPartition
                        .computeIfAbsent(
                                to.metadata().scheme().getPartitionName(copy),
                                k -> new ArrayList<>())
                        .add(copy);
            }
            for (Map.Entry<String, List<SimpleFeature>> part : byPartition.entrySet()) {
                part.getValue().sort(ROW_ORDER);
                try (FileSystemStorage.FileSystemWriter writer = to.getWriter(part.getKey())) {
                    for (SimpleFeature f : part.getValue()) {
                        writer.write(f);
                    }
                }
                partitions++;
            }
            DataStores.afterWrite(store, e.getKey());
        }
        unlist(storage, p, replaced);
        return new Moved(rows.size(), partitions);
    }

    /** {@code f} as a feature of {@code type}, attribute by attribute, with the same id. */
    private static SimpleFeature copy(SimpleFeatureType type, SimpleFeature f) {
        Object[] values = new Object[type.getAttributeCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = f.getAttribute(type.getDescriptor(i).getLocalName());
        }
        return SimpleFeatureBuilder.build(type, values, f.getID());
    }

    private static List<Path> filePaths(
            FileSystemStorage storage, StorageMetadata.PartitionMetadata p) {
        List<Path> paths = new ArrayList<>();
        for (StorageMetadata.StorageFilePath f :
                JavaConverters.seqAsJavaList(storage.getFilePaths(p.name()))) {
            paths.add(f.path());
        }
        return paths;
    }

    /** Steps 2 and 3, once the partition's rows are written anew. */
    private void unlist(
            FileSystemStorage storage, StorageMetadata.PartitionMetadata p, List<Path> replaced)
            throws IOException {
        crashPoint(Step.WRITTEN);
        // 2. The note first: a crash after it leaves files the metadata still lists, which the
        // clean-up keeps.
        writeTrashNote(storage, p.name(), replaced);
        crashPoint(Step.NOTED);
        // 3. Unlist exactly the files read above.
        storage.metadata()
                .removePartition(
                        new StorageMetadata.PartitionMetadata(
                                p.name(), p.files(), p.bounds(), p.count()));
        crashPoint(Step.UNLISTED);
    }

    private static List<SimpleFeature> newestRows(
            String type, FileSystemStorage storage, String partition) throws IOException {
        scala.collection.Iterator<SimpleFeature> it =
                storage.getReader(new Query(type, Filter.INCLUDE), Option.apply(partition), 1);
        try {
            List<SimpleFeature> all = new ArrayList<>();
            while (it.hasNext()) {
                all.add(it.next());
            }
            return new ArrayList<>(HistoryQueries.keepLatest(all.iterator()));
        } finally {
            if (it instanceof Closeable c) {
                c.close();
            }
        }
    }

    private void crashPoint(Step step) {
        if (step == crashAfter) {
            throw new Crash(step);
        }
    }

    private static Path trashDir(FileSystemStorage storage, String type) {
        return new Path(new Path(storage.context().root(), type), TRASH_DIR);
    }

    private static void writeTrashNote(
            FileSystemStorage storage, String partition, List<Path> files) throws IOException {
        FileSystem fs = storage.context().fs();
        Path dir = trashDir(storage, storage.metadata().sft().getTypeName());
        fs.mkdirs(dir);
        String name = UUID.randomUUID().toString();
        Path tmp = new Path(dir, name + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            StringBuilder note = new StringBuilder(partition).append('\n');
            for (Path f : files) {
                note.append(f).append('\n');
            }
            out.write(note.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (!fs.rename(tmp, new Path(dir, name + TRASH_SUFFIX))) {
            throw new IOException("Cannot rename " + tmp);
        }
    }

    /** Deletes the files of notes older than the grace period; returns how many. */
    private int emptyTrash(FileSystemStorage storage) throws IOException {
        FileSystem fs = storage.context().fs();
        Path dir = trashDir(storage, storage.metadata().sft().getTypeName());
        if (!fs.exists(dir)) {
            return 0;
        }
        int deleted = 0;
        storage.metadata().invalidate();
        for (FileStatus note : fs.listStatus(dir)) {
            String name = note.getPath().getName();
            boolean old = clock.millis() - note.getModificationTime() >= grace.toMillis();
            if (!old) {
                continue;
            }
            if (!name.endsWith(TRASH_SUFFIX)) {
                // A note being written when a run crashed: its files were never unlisted.
                fs.delete(note.getPath(), false);
                continue;
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(
                                    fs.open(note.getPath()), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (!line.isEmpty()) {
                        lines.add(line);
                    }
                }
            }
            if (!lines.isEmpty()) {
                Set<String> listed = new HashSet<>();
                for (StorageMetadata.StorageFilePath f :
                        JavaConverters.seqAsJavaList(storage.getFilePaths(lines.get(0)))) {
                    listed.add(f.path().toString());
                }
                for (String file : lines.subList(1, lines.size())) {
                    // Still listed: the run that wrote the note crashed before unlisting it.
                    if (!listed.contains(file) && fs.delete(new Path(file), false)) {
                        deleted++;
                    }
                }
            }
            fs.delete(note.getPath(), false);
        }
        return deleted;
    }

    private static String attr(SimpleFeature f, String name) {
        Object v = f.getAttribute(name);
        return v == null ? "" : v.toString();
    }
}
