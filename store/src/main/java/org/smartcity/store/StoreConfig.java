package org.smartcity.store;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.smartcity.core.config.Secrets;

/**
 * Where aggregates are stored: one typed, immutable, serializable description per kind of GeoMesa
 * data store. This is the only place where GeoTools {@code DataStoreFinder} parameters are produced
 * ({@link #dataStoreParams(Access)}), so no parameter key is spelled anywhere else.
 *
 * <ul>
 *   <li>{@link FileSystem}: the default history store, Parquet files under a local (or HDFS/S3)
 *       path. It appends: see {@link HistoryQueries} for how a query still sees one row per window.
 *   <li>{@link Kafka}: the live layer, GeoMesa's Kafka DataStore (newest feature per id).
 *   <li>{@link Redis}: a history store in memory; it appends too.
 *   <li>{@link Custom}: any other GeoMesa data store (HBase, Accumulo, ...) given by its raw
 *       parameters, with the caller saying whether it overwrites by id.
 * </ul>
 */
public sealed interface StoreConfig extends Serializable
        permits StoreConfig.FileSystem, StoreConfig.Kafka, StoreConfig.Redis, StoreConfig.Custom {

    /** Whether the data store is opened to write (the sink) or to read (queries, dashboard). */
    enum Access {
        WRITE,
        READ
    }

    /** The parameters for {@code DataStoreFinder.getDataStore}. */
    Map<String, String> dataStoreParams(Access access);

    /**
     * User data the feature type needs when this store creates it (e.g. the FileSystem store's
     * partition scheme); empty if none.
     */
    Map<String, String> featureTypeUserData();

    /**
     * The user data of feature type {@code typeName} in this store: {@link #featureTypeUserData()},
     * except where a type needs its own (the FileSystem store's per-length history types, {@link
     * HistoryLayout}).
     */
    default Map<String, String> featureTypeUserData(String typeName) {
        return featureTypeUserData();
    }

    /**
     * Whether history goes to one feature type per window length ({@link HistoryLayout}) rather
     * than to {@value AggregateSchema#HISTORY_TYPE} alone.
     */
    default boolean historyByWindowLength() {
        return false;
    }

    /**
     * Whether writing a feature id that exists replaces it. False for stores that append, where the
     * reader must keep the newest revision ({@link HistoryQueries}); a live layer needs true.
     */
    boolean overwritesById();

    /** A one-line description for logs and error messages, with credentials masked. */
    default String describe() {
        return getClass().getSimpleName()
                + " "
                + maskSecrets(new TreeMap<>(dataStoreParams(Access.WRITE)));
    }

    /**
     * The GeoMesa FileSystem data store: Parquet (or ORC) files under {@code path}, partitioned by
     * {@code partitionScheme} on the window start.
     *
     * @param path root directory or URI of the store ({@code /var/lib/smartcity/history}, {@code
     *     hdfs://namenode/smartcity}, {@code s3a://bucket/smartcity})
     * @param encoding file format: {@code parquet} or {@code orc}
     * @param partitionScheme GeoMesa partition scheme name, e.g. {@code daily}, {@code hourly},
     *     {@code daily,z2-2bits}; the date part applies to {@code window_start}. Or {@value
     *     #BY_WINDOW_LENGTH}: a type per window length, by metric and time ({@link HistoryLayout}),
     *     written directly; {@value #SPLIT_ON_COMPACTION}: the same layout, made by compaction
     *     (what {@value #DEFAULT_SCHEME} gives a new store); {@value #SINGLE_TYPE}: one daily type
     */
    record FileSystem(String path, String encoding, String partitionScheme) implements StoreConfig {

        /** The partition scheme used when none is given: one directory per day of window start. */
        public static final String DEFAULT_SCHEME = "daily";

        /**
         * The {@code partitionScheme} that splits the history by window length, metric and time
         * ({@link HistoryLayout}) instead of one GeoMesa scheme for one type.
         */
        public static final String BY_WINDOW_LENGTH = "by-window-length";

        /**
         * The {@code partitionScheme} of a history that stays one daily-partitioned type, the
         * layout before issue 10, also in a new store ({@code --store-history-layout single},
         * {@link StoreOptions#HISTORY_LAYOUT}). The default, {@value #DEFAULT_SCHEME}, gives a new
         * store's history the layout split on compaction ({@link #SPLIT_BY_DEFAULT}).
         */
        public static final String SINGLE_TYPE = "single-type";

        /**
         * The {@code partitionScheme} of a history whose new windows go to one daily-partitioned
         * type and whose finished days compaction moves into a type per window length ({@link
         * HistoryLayout}): what a new store gets with the default scheme ({@link
         * #SPLIT_BY_DEFAULT}).
         */
        public static final String SPLIT_ON_COMPACTION = "by-window-length-on-compaction";

        /**
         * Whether a history created with the default scheme is split on compaction. On since {@code
         * HistoryBenchmark} at the size (10 M aggregates over 412 days, compacted) met
         * every idle target with the split layout (one zone's {@code 1h} series over 1, 30 and 365
         * days: p99 14, 102, 879 ms; items 70 ms; a month of every district's {@code 1d} 94 ms)
         * while the single type missed three (80, 333, 3,656; 55; 310 ms). A store's layout is read
         * from the store, so this changes only stores created afterwards: one made before keeps its
         * single type.
         */
        static final boolean SPLIT_BY_DEFAULT = true;

        /** GeoMesa's feature type user data naming the partition scheme. */
        static final String SCHEME_KEY = "geomesa.fs.scheme";

        public FileSystem {
            requireText(path, "path");
            requireText(encoding, "encoding");
            requireText(partitionScheme, "partitionScheme");
            if (!partitionScheme.matches("[A-Za-z0-9,:_-]+")) {
                throw new IllegalArgumentException(
                        "partitionScheme must be GeoMesa scheme names separated by commas, was '"
                                + partitionScheme
                                + "'");
            }
            String enc = encoding.toLowerCase(Locale.ROOT);
            if (!enc.equals("parquet") && !enc.equals("orc")) {
                throw new IllegalArgumentException(
                        "encoding must be parquet or orc, was '" + encoding + "'");
            }
            encoding = enc;
        }

        /**
         * Parquet files under {@code path}: new windows in daily partitions, which compaction moves
         * into a type per window length in a store created now ({@link #SPLIT_BY_DEFAULT}); a store
         * made before keeps its layout.
         */
        public static FileSystem parquet(String path) {
            return new FileSystem(path, "parquet", DEFAULT_SCHEME);
        }

        @Override
        public Map<String, String> dataStoreParams(Access access) {
            return Map.of("fs.path", path, "fs.encoding", encoding);
        }

        @Override
        public Map<String, String> featureTypeUserData() {
            // Without a scheme GeoMesa refuses to create the type. The value is GeoMesa's
            // serialized scheme options (HOCON, here as JSON); the date schemes use the type's
            // default date attribute, which AggregateSchema sets to window_start.
            // With the split layout, the single type (created for readers, never written) keeps
            // the default scheme.
            String scheme =
                    historyByWindowLength()
                                    || partitionScheme.equals(SINGLE_TYPE)
                                    || partitionScheme.equals(SPLIT_ON_COMPACTION)
                            ? DEFAULT_SCHEME
                            : partitionScheme;
            return Map.of(SCHEME_KEY, "{\"name\":\"" + scheme + "\",\"options\":{}}");
        }

        /**
         * A per-length history type ({@link HistoryLayout}) is partitioned by metric and a time
         * scheme that follows its window length; any other type by {@code partitionScheme}. With
         * {@link #SPLIT_ON_COMPACTION}, a history type created now is marked to be split by window
         * length when compacted ({@link HistoryLayout#splitsOnCompaction}); one that exists keeps
         * its layout (the mark is read from the store, not from this configuration).
         */
        @Override
        public Map<String, String> featureTypeUserData(String typeName) {
            String length = HistoryLayout.windowLengthOf(typeName);
            if (length != null) {
                return HistoryLayout.schemeUserData(length);
            }
            if (typeName.equals(AggregateSchema.HISTORY_TYPE)
                    && (partitionScheme.equals(SPLIT_ON_COMPACTION)
                            || (SPLIT_BY_DEFAULT && partitionScheme.equals(DEFAULT_SCHEME)))) {
                Map<String, String> out = new LinkedHashMap<>(featureTypeUserData());
                out.putAll(HistoryLayout.SPLIT_ON_COMPACTION_USER_DATA);
                return out;
            }
            return featureTypeUserData();
        }

        @Override
        public boolean historyByWindowLength() {
            return partitionScheme.equals(BY_WINDOW_LENGTH);
        }

        @Override
        public boolean overwritesById() {
            return false;
        }
    }

    /**
     * GeoMesa's Kafka DataStore, holding the live layer: the newest feature per id, kept by every
     * reader in memory and updated within milliseconds.
     *
     * @param brokers Kafka {@code bootstrap.servers}
     * @param catalogTopic topic where GeoMesa keeps its feature type metadata (no ZooKeeper)
     * @param topicPartitions partitions of new feature topics
     * @param topicReplication replication factor of new feature topics
     * @param readBack how far back a new reader replays the feature topic, a GeoMesa duration such
     *     as {@code Inf} (everything), {@code 2 hours}
     */
    record Kafka(
            String brokers,
            String catalogTopic,
            int topicPartitions,
            int topicReplication,
            String readBack)
            implements StoreConfig {

        /** GeoMesa's default catalog topic. */
        public static final String DEFAULT_CATALOG = "geomesa-catalog";

        public Kafka {
            requireText(brokers, "brokers");
            requireText(catalogTopic, "catalogTopic");
            requireText(readBack, "readBack");
            if (topicPartitions < 1) {
                throw new IllegalArgumentException(
                        "topicPartitions must be at least 1, was " + topicPartitions);
            }
            if (topicReplication < 1) {
                throw new IllegalArgumentException(
                        "topicReplication must be at least 1, was " + topicReplication);
            }
        }

        /** Single-partition topics with replication 1 under the given catalog: a local setup. */
        public static Kafka local(String brokers, String catalogTopic) {
            return new Kafka(brokers, catalogTopic, 1, 1, "Inf");
        }

        @Override
        public Map<String, String> dataStoreParams(Access access) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("kafka.brokers", brokers);
            params.put("kafka.catalog.topic", catalogTopic);
            params.put("kafka.topic.partitions", String.valueOf(topicPartitions));
            params.put("kafka.topic.replication", String.valueOf(topicReplication));
            if (access == Access.WRITE) {
                // A writer never queries: no consumer threads, no in-memory copy of the layer.
                params.put("kafka.consumer.count", "0");
            } else {
                // Without read-back a reader starting after the writer would see an empty layer
                // until the next window closes.
                params.put("kafka.consumer.read-back", readBack);
                params.put("kafka.consumer.start-on-demand", "false");
            }
            return params;
        }

        @Override
        public Map<String, String> featureTypeUserData() {
            // Compaction keeps the last message per feature id, which is all a reader needs.
            return Map.of("kafka.topic.config", "cleanup.policy=compact");
        }

        @Override
        public boolean overwritesById() {
            return true;
        }
    }

    /**
     * GeoMesa's Redis data store (a standalone server or a cluster). It keeps a second row when a
     * feature id is written again with other values (its sorted-set entries hold the serialized
     * feature), so, like the FileSystem store, it is read through {@link HistoryQueries}.
     *
     * @param url {@code redis://[user:password@]host:port[/db]}; comma-separated for a cluster
     * @param catalog name of the GeoMesa catalog table (a key prefix in Redis)
     */
    record Redis(String url, String catalog) implements StoreConfig {

        public Redis {
            requireText(url, "url");
            requireText(catalog, "catalog");
        }

        @Override
        public Map<String, String> dataStoreParams(Access access) {
            return Map.of("redis.url", url, "redis.catalog", catalog);
        }

        @Override
        public Map<String, String> featureTypeUserData() {
            return Map.of();
        }

        @Override
        public boolean overwritesById() {
            return false;
        }
    }

    /**
     * Any GeoMesa data store by its raw parameters, e.g. HBase ({@code hbase.catalog}, {@code
     * hbase.zookeepers}) or Accumulo ({@code accumulo.instance.name}, {@code accumulo.zookeepers},
     * {@code accumulo.user}, {@code accumulo.password}, {@code accumulo.catalog}); its module must
     * be on the classpath.
     *
     * @param params the {@code DataStoreFinder} parameters, the same to write and to read
     * @param userData extra feature type user data the store needs at creation
     * @param overwritesById whether writing an existing feature id replaces it
     */
    record Custom(Map<String, String> params, Map<String, String> userData, boolean overwritesById)
            implements StoreConfig {

        public Custom {
            Objects.requireNonNull(params, "params");
            Objects.requireNonNull(userData, "userData");
            if (params.isEmpty()) {
                throw new IllegalArgumentException("params must not be empty");
            }
            // Immutable, and a serializable map type for the Flink job graph.
            params = Map.copyOf(params);
            userData = Map.copyOf(userData);
        }

        @Override
        public Map<String, String> dataStoreParams(Access access) {
            return params;
        }

        @Override
        public Map<String, String> featureTypeUserData() {
            return userData;
        }
    }

    /** The parameters with passwords and URL credentials replaced by {@code ****}. */
    static Map<String, String> maskSecrets(Map<String, String> params) {
        return params.entrySet().stream()
                .collect(
                        Collectors.toMap(
                                Map.Entry::getKey,
                                e -> Secrets.maskValue(e.getKey(), e.getValue()),
                                (a, b) -> a,
                                TreeMap::new));
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
