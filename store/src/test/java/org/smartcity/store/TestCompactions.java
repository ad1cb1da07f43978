package org.smartcity.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.geotools.api.data.DataStore;
import org.locationtech.geomesa.fs.data.FileSystemDataStore;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * What the history ITs need around {@link HistoryCompactor}: compactors on a fixed clock with the
 * tests' grace period, one that crashes at a step, and the files a FileSystem history lists and
 * keeps on disk, to check that compaction left one file per partition and nothing behind.
 */
final class TestCompactions {

    /** How long replaced files stay for readers that listed them. */
    static final Duration GRACE = Duration.ofMinutes(5);

    private TestCompactions() {}

    /** A compactor whose clock reads {@code now}; partitions count as quiet at once. */
    static HistoryCompactor at(Instant now) {
        return new HistoryCompactor(Duration.ZERO, GRACE, Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The same compactor, crashing ({@link HistoryCompactor.Crash}) at {@code step}. */
    static HistoryCompactor crashingAt(Instant now, HistoryCompactor.Step step) {
        return new HistoryCompactor(Duration.ZERO, GRACE, Clock.fixed(now, ZoneOffset.UTC), step);
    }

    /**
     * The runs after one that crashed at {@code crashedAt}, each a grace period later than the
     * last: they finish what it left and delete what it replaced.
     */
    static void runAfterCrash(DataStore store, Instant crashedAt) throws Exception {
        for (int i = 1; i <= 3; i++) {
            at(crashedAt.plus(GRACE.multipliedBy(i))).run(store);
        }
    }

    /**
     * The files listed per partition over every history type, by {@code type:partition} (e.g.
     * {@code city_aggregates_1h:no2/2026/12}), read afresh from the metadata.
     */
    static Map<String, Integer> listedFiles(DataStore store) throws Exception {
        Map<String, Integer> out = new LinkedHashMap<>();
        FileSystemDataStore fs = (FileSystemDataStore) store;
        for (String type : HistoryLayout.typesToRead(store, null)) {
            var storage = fs.storage(type);
            storage.metadata().invalidate();
            for (var p :
                    JavaConverters.seqAsJavaList(
                            storage.metadata().getPartitions(Option.empty()))) {
                out.put(type + ":" + p.name(), p.files().size());
            }
        }
        return out;
    }

    /** The Parquet files under {@code root}, listed or not. */
    static long parquetFiles(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".parquet")).count();
        }
    }
}
