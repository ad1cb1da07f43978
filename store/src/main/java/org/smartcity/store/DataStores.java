package org.smartcity.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.DataStoreFinder;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.api.feature.type.AttributeDescriptor;
import org.geotools.filter.identity.FeatureIdImpl;
import org.geotools.util.factory.Hints;
import org.locationtech.geomesa.fs.data.FileSystemDataStore;
import org.locationtech.geomesa.fs.storage.common.utils.PathCache$;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.config.Secrets;

/**
 * Opens GeoMesa data stores from a {@link StoreConfig} and makes sure the aggregate feature types
 * exist. A {@link DataStore} is thread-safe and expensive (connections, consumer threads, metadata
 * caches): open one per process or Flink subtask and {@link DataStore#dispose() dispose} it when
 * done.
 */
public final class DataStores {

    private static final Logger LOG = LoggerFactory.getLogger(DataStores.class);

    /** Serializes feature type creation among the sink writers of one JVM. */
    private static final Object SCHEMA_LOCK = new Object();

    /**
     * The FileSystem history paths whose layout was logged: once per store and JVM, not on every
     * open (each sink subtask, the compactor and the dashboard open the same store).
     */
    private static final Set<String> LAYOUT_LOGGED = ConcurrentHashMap.newKeySet();

    /** Tries to open a store and prepare its type before giving up. */
    private static final int SCHEMA_ATTEMPTS = 3;

    /** GeoMesa's system property: how long the FileSystem store caches paths and listings. */
    static final String FS_PATH_CACHE_DURATION = "geomesa.fs.file.cache.duration";

    static {
        // GeoMesa's FileSystem store caches file listings JVM-wide for 15 minutes by default, and
        // only writers in the same JVM update that cache: a reader in another process (the
        // dashboard reading what the Flink job writes) that listed a partition or the metadata at
        // the wrong moment would not see new windows for a quarter of an hour. Read before any
        // store opens; a value given by the user wins.
        if (System.getProperty(FS_PATH_CACHE_DURATION) == null) {
            System.setProperty(FS_PATH_CACHE_DURATION, "10 seconds");
        }
    }

    private DataStores() {}

    /**
     * Opens the data store described by {@code config}.
     *
     * @throws IOException if no GeoTools factory on the classpath accepts the parameters, or the
     *     store cannot be reached
     */
    public static DataStore open(StoreConfig config, StoreConfig.Access access) throws IOException {
        // Local paths without a chmod process per file written (LocalFiles).
        Map<String, String> params =
                config instanceof StoreConfig.FileSystem && LocalFiles.enabled()
                        ? LocalFiles.params(config.dataStoreParams(access))
                        : config.dataStoreParams(access);
        DataStore store;
        try {
            store = withOwnClassLoader(() -> DataStoreFinder.getDataStore(params));
        } catch (IOException | RuntimeException e) {
            // The library's own message may carry the connection string: masked, like describe().
            throw new IOException(
                    "Cannot open the GeoMesa store " + config.describe(), Secrets.scrub(e));
        }
        if (store == null) {
            throw new IOException(
                    "No GeoTools data store accepts "
                            + config.describe()
                            + ": is the GeoMesa module for this store on the classpath,"
                            + " and are the parameter names right?");
        }
        LOG.info("Opened {} for {}", config.describe(), access);
        return store;
    }

    /**
     * Opens the store and creates the aggregate feature type {@code typeName} in it unless it
     * exists; closes the store again if that fails. Long-lived readers of the live layer use this
     * too: a GeoMesa Kafka DataStore does not pick up a type created after it opened.
     *
     * <p>Every subtask of a sink does this at once. Within a JVM they take turns; across JVMs one
     * may fail because another just created the type (the FileSystem store caches its metadata and
     * sees the other's files only when reopened), so a failure is retried on a fresh store.
     */
    public static DataStore openWithSchema(
            StoreConfig config, StoreConfig.Access access, String typeName) throws IOException {
        return openWithType(
                config,
                access,
                AggregateSchema.featureType(typeName, config.featureTypeUserData(typeName)));
    }

    /**
     * Opens the store and creates {@code type} in it unless a type of that name exists, as {@link
     * #openWithSchema} does for the aggregates (e.g. {@link AlertSchema#featureType}).
     */
    public static DataStore openWithType(
            StoreConfig config, StoreConfig.Access access, SimpleFeatureType type)
            throws IOException {
        String typeName = type.getTypeName();
        for (int attempt = 1; ; attempt++) {
            DataStore store = open(config, access);
            try {
                synchronized (SCHEMA_LOCK) {
                    ensureSchema(store, type, config);
                }
                if (config instanceof StoreConfig.FileSystem fs
                        && typeName.equals(AggregateSchema.HISTORY_TYPE)
                        && LAYOUT_LOGGED.add(fs.path())) {
                    LOG.info(
                            "History layout of {}: {}",
                            config.describe(),
                            HistoryLayout.describe(store, config.historyByWindowLength()));
                }
                return store;
            } catch (IOException | RuntimeException e) {
                store.dispose();
                if (attempt == SCHEMA_ATTEMPTS) {
                    throw e;
                }
                LOG.info(
                        "Preparing {} in {} failed ({}); reopening the store to check again",
                        typeName,
                        config.describe(),
                        Secrets.mask(e.toString()));
            }
        }
    }

    /**
     * Creates the aggregate feature type {@code typeName} in an open {@code store} unless it exists
     * (a writer meeting a window length for the first time, {@link HistoryLayout}).
     *
     * @throws IOException if the type cannot be created, or an existing one does not fit
     */
    public static void ensureType(DataStore store, StoreConfig config, String typeName)
            throws IOException {
        SimpleFeatureType type =
                AggregateSchema.featureType(typeName, config.featureTypeUserData(typeName));
        synchronized (SCHEMA_LOCK) {
            ensureSchema(store, type, config);
        }
    }

    /**
     * Makes what a writer just wrote to {@code typeName} visible at once to readers in this JVM.
     *
     * <p>Why: GeoMesa's FileSystem store (5.4) notes a file it writes in its JVM-wide listing cache
     * and refreshes the directory's listing there asynchronously; until that finishes, a reader in
     * the same JVM (a test, the demo's dashboard next to its job) lists the type's metadata without
     * the new file. Dropping the metadata directory's listing makes the next reader list it again.
     * Other stores: nothing to do.
     */
    public static void afterWrite(DataStore store, String typeName) {
        if (store instanceof FileSystemDataStore fs) {
            var context = fs.storage(typeName).context();
            org.apache.hadoop.fs.Path metadata =
                    new org.apache.hadoop.fs.Path(
                            new org.apache.hadoop.fs.Path(context.root(), typeName), "metadata");
            PathCache$.MODULE$.invalidate(context.fs(), metadata);
        }
    }

    /**
     * Makes the store keep {@code id}, our deterministic id, for a feature from its feature writer
     * rather than generate one, so that a replay overwrites instead of duplicating. GeoMesa reads
     * {@link Hints#PROVIDED_FID}; other GeoTools stores read the identifier when {@link
     * Hints#USE_PROVIDED_FID} is set.
     */
    public static void useProvidedId(SimpleFeature f, String id) {
        f.getUserData().put(Hints.USE_PROVIDED_FID, Boolean.TRUE);
        f.getUserData().put(Hints.PROVIDED_FID, id);
        if (f.getIdentifier() instanceof FeatureIdImpl fid) {
            fid.setID(id);
        }
    }

    /**
     * Runs {@code action} with this class's loader as the thread's context class loader.
     *
     * <p>Why: GeoMesa finds its partition schemes through a {@code ServiceLoader} on the context
     * class loader and keeps the lazily read result in a static field. Inside Flink that loader is
     * the job's user-code loader, closed when the job ends; where GeoMesa sits on the parent class
     * path (a MiniCluster, the demo), a later job meeting a scheme not yet read (a new window
     * length's {@code attribute,yearly}) failed with "Trying to access closed classloader".
     */
    private static <T> T withOwnClassLoader(HadoopDefaults.Read<T> action) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(DataStores.class.getClassLoader());
        try {
            return action.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Creates {@code type} in {@code store} unless a type of that name exists; an existing type
     * must have every aggregate attribute with the same binding, except the {@linkplain
     * AggregateSchema#OPTIONAL_ATTRIBUTES optional} ones, which a type created before they existed
     * lacks (then they are neither written nor read; GeoMesa stores cannot all add an attribute to
     * a type in place, so it is not attempted).
     *
     * @throws IOException if the type cannot be created, or an existing one does not fit
     */
    static void ensureSchema(DataStore store, SimpleFeatureType type, StoreConfig config)
            throws IOException {
        withOwnClassLoader(
                () -> {
                    createUnlessExists(store, type, config);
                    return null;
                });
    }

    private static void createUnlessExists(
            DataStore store, SimpleFeatureType type, StoreConfig config) throws IOException {
        String name = type.getTypeName();
        if (!exists(store, name)) {
            try {
                store.createSchema(type);
                LOG.info("Created feature type {} in {}", name, config.describe());
            } catch (IOException | RuntimeException e) {
                // Another subtask may have created it a moment ago: that is success.
                if (!exists(store, name)) {
                    throw new IOException(
                            "Cannot create feature type " + name + " in " + config.describe(),
                            Secrets.scrub(e));
                }
            }
        }
        checkCompatible(store.getSchema(name), type);
    }

    private static boolean exists(DataStore store, String name) throws IOException {
        return Arrays.asList(store.getTypeNames()).contains(name);
    }

    static void checkCompatible(SimpleFeatureType existing, SimpleFeatureType wanted)
            throws IOException {
        List<String> problems = new ArrayList<>();
        for (AttributeDescriptor want : wanted.getAttributeDescriptors()) {
            AttributeDescriptor have = existing.getDescriptor(want.getLocalName());
            if (have == null && AggregateSchema.OPTIONAL_ATTRIBUTES.contains(want.getLocalName())) {
                LOG.warn(
                        "Feature type {} has no {} attribute (created by an older version):"
                                + " aggregates are stored without it",
                        existing.getTypeName(),
                        want.getLocalName());
            } else if (have == null) {
                problems.add(want.getLocalName() + " is missing");
            } else if (!want.getType().getBinding().isAssignableFrom(have.getType().getBinding())) {
                problems.add(
                        want.getLocalName()
                                + " is "
                                + have.getType().getBinding().getSimpleName()
                                + ", expected "
                                + want.getType().getBinding().getSimpleName());
            }
        }
        if (!problems.isEmpty()) {
            boolean alerts = wanted.getTypeName().equals(AlertSchema.TYPE);
            throw new IOException(
                    "Feature type "
                            + existing.getTypeName()
                            + " exists but cannot hold "
                            + (alerts ? "alerts: " : "aggregates: ")
                            + String.join("; ", problems)
                            + ". Expected spec: "
                            + (alerts ? AlertSchema.SPEC : AggregateSchema.SPEC));
        }
    }
}
