package org.smartcity.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.geotools.api.data.DataStore;
import org.geotools.api.feature.simple.SimpleFeature;
import org.locationtech.geomesa.fs.data.FileSystemDataStore;
import org.locationtech.geomesa.fs.storage.api.StorageMetadata;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * The history read partition by partition, for readers that keep what they derive from a partition
 * (the dashboard's SDG indicators) and must know when it changed.
 *
 * <p>Why a partition's file list tells: the GeoMesa FileSystem store never changes a file in place.
 * The sink adds a file on every flush (a late correction or a backfill writes new files into old
 * partitions), and compaction ({@link HistoryCompactor}) writes a new file and then drops the old
 * ones from the listing. So two listings of a partition with the same files hold the same rows, and
 * anything that changed a partition's rows changed its listing. A store or partition this cannot be
 * said of (another store, or a file that modifies or deletes rows) gives no partitions: read it
 * whole with {@link HistoryQueries}.
 */
public final class HistoryPartitions {
    private HistoryPartitions() {}

    /** The physical types of the logical {@code typeName} holding {@code windowLength}. */
    private static List<String> physicalTypes(DataStore store, String typeName, String windowLength)
            throws IOException {
        return typeName.equals(AggregateSchema.HISTORY_TYPE)
                ? HistoryLayout.typesToRead(store, windowLength)
                : List.of(typeName);
    }

    private static String key(String typeName, String partition) {
        return typeName + "|" + partition;
    }

    /** One partition of one physical type of the history, and the files it held when listed. */
    public static final class Partition {
        private final String typeName;
        private final String name;
        private final Set<String> files;
        private final List<StorageMetadata.StorageFilePath> listed;

        Partition(String typeName, String name, List<StorageMetadata.StorageFilePath> listed) {
            this.typeName = Objects.requireNonNull(typeName, "typeName");
            this.name = Objects.requireNonNull(name, "name");
            this.listed = List.copyOf(listed);
            Set<String> paths = new LinkedHashSet<>();
            listed.forEach(f -> paths.add(f.path().toString()));
            this.files = Collections.unmodifiableSet(paths);
        }

        /** The physical feature type. */
        public String typeName() {
            return typeName;
        }

        /** The partition, as GeoMesa names it. */
        public String name() {
            return name;
        }

        /** The paths of its files when listed: equal sets, equal rows. */
        public Set<String> files() {
            return files;
        }

        /** The key to keep what is derived from this partition under: type and partition. */
        public String key() {
            return HistoryPartitions.key(typeName, name);
        }

        List<StorageMetadata.StorageFilePath> listed() {
            return listed;
        }

        @Override
        public String toString() {
            return key() + " (" + files.size() + " files)";
        }
    }

    /**
     * The partitions of the logical {@code typeName} (for {@value AggregateSchema#HISTORY_TYPE},
     * every physical type holding the query's window length) that {@code query} touches, each with
     * its files now; empty when the store cannot tell (see the class comment).
     */
    public static Optional<List<Partition>> touchedBy(
            DataStore store, String typeName, HistoryQuery query) throws IOException {
        if (!(store instanceof FileSystemDataStore fs)) {
            return Optional.empty();
        }
        List<String> types = physicalTypes(store, typeName, query.windowLength());
        if (types.isEmpty()) {
            // No type yet: HistoryQueries answers as for a missing type.
            return Optional.empty();
        }
        List<Partition> partitions = new ArrayList<>();
        for (String type : types) {
            Map<String, List<StorageMetadata.StorageFilePath>> files =
                    HadoopDefaults.withoutDefaults(
                            () -> FileSystemReads.files(fs, type, query.toFilter()));
            if (files == null) {
                return Optional.empty();
            }
            files.forEach((name, listed) -> partitions.add(new Partition(type, name, listed)));
        }
        return Optional.of(partitions);
    }

    /**
     * The {@link Partition#key() keys} of every partition the store lists now in the physical types
     * of the logical {@code typeName} that hold {@code windowLength} (null: every length); empty
     * when the store cannot tell (see the class comment). A reader that keeps what it derived from
     * partitions drops those no longer listed: a day that compaction moved into the per-length
     * types is unlisted from {@value AggregateSchema#HISTORY_TYPE}, and no query touches it again.
     */
    public static Optional<Set<String>> listedKeys(
            DataStore store, String typeName, String windowLength) throws IOException {
        if (!(store instanceof FileSystemDataStore fs)) {
            return Optional.empty();
        }
        Set<String> keys = new HashSet<>();
        for (String type : physicalTypes(store, typeName, windowLength)) {
            for (StorageMetadata.PartitionMetadata p :
                    JavaConverters.seqAsJavaList(
                            fs.storage(type).metadata().getPartitions(Option.empty()))) {
                keys.add(key(type, p.name()));
            }
        }
        return Optional.of(keys);
    }

    /**
     * The newest revision of every aggregate matching {@code query} in the files the partition
     * listed (not listed again: what is read is what {@link Partition#files} names).
     */
    public static List<StoredAggregate> latest(
            DataStore store, Partition partition, HistoryQuery query) throws IOException {
        FileSystemDataStore fs = (FileSystemDataStore) store;
        List<SimpleFeature> rows =
                HadoopDefaults.withoutDefaults(
                        () ->
                                FileSystemReads.read(
                                        fs,
                                        partition.typeName(),
                                        partition.listed(),
                                        query.toFilter()));
        return HistoryQueries.keepLatest(rows.iterator()).stream()
                .map(StoredAggregate::fromFeature)
                .toList();
    }
}
