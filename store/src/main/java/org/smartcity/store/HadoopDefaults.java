package org.smartcity.store;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * Keeps Hadoop from parsing its default configuration files once per Parquet file read.
 *
 * <p>Why: GeoMesa's FileSystem store (5.4) opens every file of a query with Parquet's {@code
 * ParquetReader.builder(readSupport, path)}, whose constructor (parquet-hadoop 1.15) makes a fresh
 * {@code new Configuration()} and reads a setting from it before GeoMesa replaces it with the
 * store's own configuration ({@code withConf}). Reading that throw-away configuration parses {@code
 * core-default.xml}, {@code core-site.xml} and the others Hadoop registered (hdfs, mapred, yarn)
 * from the class path: profiled with JFR on an 11-day store (422 files), that was 76% of a query's
 * CPU samples, for values nobody uses.
 *
 * <p>Hadoop finds those files through the context class loader of the thread that creates the
 * {@code Configuration}. GeoMesa reads the files of a query on a thread pool it creates for that
 * query, whose threads inherit the context class loader of the querying thread. {@link
 * #withoutDefaults} runs a read with a context class loader that answers "not found" for exactly
 * those files (Hadoop then skips them, as it does whenever they are missing) and delegates
 * everything else. The store's own configuration, made when the store was opened, keeps every value
 * from both files; so does each per-read copy GeoMesa makes of it.
 */
final class HadoopDefaults {

    /**
     * Hadoop's default resources: {@code core-default.xml} and {@code core-site.xml}, which {@code
     * Configuration} adds, and those its siblings add when loaded ({@code hdfs-}, {@code mapred-},
     * {@code yarn-} {@code default.xml}/{@code site.xml}: GeoMesa loads some of them).
     */
    private static final Pattern HIDDEN = Pattern.compile("[a-z]+(-[a-z]+)*-(default|site)\\.xml");

    private HadoopDefaults() {}

    /** Whether {@code name} is one of Hadoop's default resources, which reads do without. */
    static boolean hidden(String name) {
        return HIDDEN.matcher(name).matches();
    }

    /** Something that reads from a store. */
    @FunctionalInterface
    interface Read<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code read} on this thread with Hadoop's default resources hidden from any {@code
     * Configuration} created by it, or by threads it starts, while it runs.
     */
    static <T> T withoutDefaults(Read<T> read) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(
                hiding(previous != null ? previous : HadoopDefaults.class.getClassLoader()));
        try {
            return read.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The loader hiding Hadoop's defaults in front of {@code parent}: one per parent, kept while in
     * use. Why not a new one per read: Hadoop keeps what it looked up per class loader ({@code
     * Configuration}'s class cache), which a fresh loader on every query would start empty.
     */
    static ClassLoader hiding(ClassLoader parent) {
        if (parent instanceof Hiding) {
            return parent;
        }
        synchronized (LOADERS) {
            WeakReference<Hiding> kept = LOADERS.get(parent);
            Hiding h = kept == null ? null : kept.get();
            if (h == null) {
                h = new Hiding(parent);
                LOADERS.put(parent, new WeakReference<>(h));
            }
            return h;
        }
    }

    /** By parent; weak both ways, so that a closed job's class loader can go. */
    private static final Map<ClassLoader, WeakReference<Hiding>> LOADERS = new WeakHashMap<>();

    /** Delegates everything to its parent but the lookup of Hadoop's default resources. */
    static final class Hiding extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        Hiding(ClassLoader parent) {
            super(parent);
        }

        @Override
        public URL getResource(String name) {
            return hidden(name) ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return hidden(name) ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }
}
