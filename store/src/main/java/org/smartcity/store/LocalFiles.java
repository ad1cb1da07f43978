package org.smartcity.store;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's local file system ({@code file:} paths, the default history store), setting permissions
 * in Java instead of starting a {@code chmod} process.
 *
 * <p>Why: without Hadoop's native library (it is not on the class path of the job, the dashboard or
 * the demo), {@link RawLocalFileSystem#setPermission} runs {@code chmod} in a new process, and it
 * does so for every file and directory it creates: a Parquet file, its {@code .crc}, and GeoMesa's
 * metadata update and its {@code .crc}, four processes (and eight threads) per partition a batch
 * touches. A JFR profile of {@code HistoryBenchmark}'s load (60,000 aggregates) counted 5,486
 * {@code chmod} processes, with the writing thread mostly waiting for them: that is why the layout
 * by window length (a partition per length and metric, so 17 times the files per batch) wrote at an
 * eighth of the single type's rate. {@link java.nio.file.Files#setPosixFilePermissions} does the
 * same in the process. Where the file system has no POSIX permissions, or Hadoop's native library
 * is loaded, Hadoop's own way is used.
 *
 * <p>Selected per store through GeoMesa's {@code fs.config.xml} parameter ({@link #params}), so
 * nothing changes for other Hadoop users in the same JVM. Hadoop caches one file system per scheme
 * and user: if something else in the JVM got a {@code file:} file system first, that one is used,
 * which is only slower.
 */
public final class LocalFiles extends LocalFileSystem {

    /** GeoMesa FileSystem store parameter: Hadoop properties as a {@code <configuration>}. */
    static final String CONFIG_XML_PARAM = "fs.config.xml";

    /** Hadoop's property naming the class of {@code file:} file systems. */
    static final String FILE_IMPL = "fs.file.impl";

    /**
     * System property that turns this on ({@code true}). Off by default until a failure of {@code
     * FileSystemHistoryIT} with it on (a reader opened right after a Flink job saw no rows) is
     * understood.
     */
    static final String ENABLED_PROPERTY = "smartcity.store.local-files";

    /** Whether FileSystem stores use this class ({@value #ENABLED_PROPERTY} is true). */
    static boolean enabled() {
        return "true".equals(System.getProperty(ENABLED_PROPERTY));
    }

    public LocalFiles() {
        super(new Raw());
    }

    /**
     * {@code params} of a GeoMesa FileSystem store, plus the Hadoop property that makes its {@code
     * file:} paths use this class (unless the caller set {@value #CONFIG_XML_PARAM} itself).
     */
    static Map<String, String> params(Map<String, String> params) {
        if (params.containsKey(CONFIG_XML_PARAM)) {
            return params;
        }
        Map<String, String> out = new LinkedHashMap<>(params);
        out.put(
                CONFIG_XML_PARAM,
                "<configuration><property><name>"
                        + FILE_IMPL
                        + "</name><value>"
                        + LocalFiles.class.getName()
                        + "</value></property></configuration>");
        return out;
    }

    /** The raw local file system, with {@code chmod} done in Java. */
    static final class Raw extends RawLocalFileSystem {

        @Override
        public void setPermission(Path p, FsPermission permission) throws IOException {
            File file = pathToFile(p);
            if (NativeIO.isAvailable()
                    || !file.toPath()
                            .getFileSystem()
                            .supportedFileAttributeViews()
                            .contains("posix")) {
                super.setPermission(p, permission);
                return;
            }
            Files.setPosixFilePermissions(file.toPath(), posix(permission.toShort()));
        }
    }

    /** The POSIX permissions of the low nine bits of {@code mode} (e.g. {@code 0644}). */
    static Set<PosixFilePermission> posix(int mode) {
        // PosixFilePermission lists OWNER_READ ... OTHERS_EXECUTE, bit 8 down to bit 0.
        PosixFilePermission[] all = PosixFilePermission.values();
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < all.length; i++) {
            if ((mode & (1 << (all.length - 1 - i))) != 0) {
                out.add(all[i]);
            }
        }
        return out;
    }
}
