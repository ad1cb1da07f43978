package org.smartcity.store;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.core.config.OptionSetter;
import org.smartcity.core.config.Settings;

/**
 * The two store settings every runnable that reads or writes aggregates shares (the stream job, the
 * dashboard, the local platform), so that one value means the same store everywhere.
 *
 * <p>{@code store.history} is written as one of:
 *
 * <ul>
 *   <li>a directory or a Hadoop URI ({@code data/history}, {@code /var/lib/smartcity/history},
 *       {@code hdfs://namenode/smartcity}, {@code s3a://bucket/smartcity}): a GeoMesa FileSystem
 *       store with Parquet files and daily partitions;
 *   <li>{@code redis://host:6379} (or {@code rediss://}, several comma-separated for a cluster):
 *       the GeoMesa Redis store, catalog {@value #REDIS_CATALOG};
 *   <li>{@code geomesa:key=value;key=value}: any GeoMesa store by its {@code DataStoreFinder}
 *       parameters, e.g. {@code geomesa:hbase.catalog=smartcity;hbase.zookeepers=zk1:2181} (its
 *       module must be on the class path);
 *   <li>{@code none}: no history store.
 * </ul>
 *
 * <p>{@code store.history-layout} is how a FileSystem history created now is laid out: {@value
 * #LAYOUT_SPLIT} (the default: by window length, made on compaction, {@link HistoryLayout}) or
 * {@value #LAYOUT_SINGLE} (one daily-partitioned type, the layout before issue 10). A store that
 * exists keeps the layout it was made with, whatever this says.
 *
 * <p>{@code store.live-catalog} is the catalog topic of the live layer's GeoMesa Kafka DataStore on
 * the runnable's Kafka cluster, or {@code none}.
 */
public final class StoreOptions {

    /** The value that turns a store off. */
    public static final String NONE = "none";

    /** The Redis catalog (key prefix) of a {@code redis://} history store. */
    public static final String REDIS_CATALOG = "smartcity";

    /** The history store. */
    public static final ConfigOption<Optional<StoreConfig>> HISTORY =
            ConfigOption.custom(
                    "store.history",
                    "data/history",
                    "history store: a directory or hdfs://, s3a:// URI (GeoMesa FileSystem,"
                            + " Parquet), redis://host:port, geomesa:key=value;... (any GeoMesa"
                            + " store), or none",
                    StoreOptions::parseHistory);

    /** {@code store.history-layout}: split by window length on compaction. */
    public static final String LAYOUT_SPLIT = "split";

    /** {@code store.history-layout}: one daily-partitioned type. */
    public static final String LAYOUT_SINGLE = "single";

    /** How a new FileSystem history is laid out; an existing one keeps its own. */
    public static final ConfigOption<String> HISTORY_LAYOUT =
            ConfigOption.custom(
                    "store.history-layout",
                    LAYOUT_SPLIT,
                    "layout of a FileSystem history created now: split (a type per window length,"
                            + " made on compaction) or single (one daily-partitioned type); a store"
                            + " that exists keeps its own",
                    StoreOptions::checkLayout);

    /** The live layer's catalog topic. */
    public static final ConfigOption<String> LIVE_CATALOG =
            ConfigOption.custom(
                    "store.live-catalog",
                    "smartcity-live",
                    "catalog topic of the live layer (GeoMesa Kafka DataStore) on the Kafka"
                            + " cluster, or none",
                    StoreOptions::checkCatalog);

    private StoreOptions() {}

    /**
     * Parses a {@code store.history} value.
     *
     * @return the store, or empty for {@value #NONE}
     * @throws IllegalArgumentException saying what is expected
     */
    public static Optional<StoreConfig> parseHistory(String value) {
        String v = value.trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(
                    "expected a directory, redis://..., geomesa:key=value;... or none");
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.equals(NONE)) {
            return Optional.empty();
        }
        if (lower.startsWith("redis://") || lower.startsWith("rediss://")) {
            return Optional.of(new StoreConfig.Redis(v, REDIS_CATALOG));
        }
        if (lower.startsWith("geomesa:")) {
            // Row-keyed stores (HBase, Accumulo) overwrite a window written again; declaring
            // "appends" is still correct for them, since history is always read through
            // HistoryQueries, which keeps the newest revision either way.
            return Optional.of(
                    new StoreConfig.Custom(
                            parseParams(v.substring("geomesa:".length())), Map.of(), false));
        }
        return Optional.of(StoreConfig.FileSystem.parquet(v));
    }

    /**
     * The history store of {@code settings}: {@link #HISTORY}, with {@link #HISTORY_LAYOUT} applied
     * to a FileSystem store given by its path.
     */
    public static Optional<StoreConfig> history(Settings settings) {
        return withLayout(settings.get(HISTORY), settings.get(HISTORY_LAYOUT));
    }

    /**
     * {@code store} with {@code layout} ({@value #LAYOUT_SPLIT} or {@value #LAYOUT_SINGLE}) when it
     * is a FileSystem store with the default scheme; any other store as it is.
     */
    static Optional<StoreConfig> withLayout(Optional<StoreConfig> store, String layout) {
        return store.map(
                s ->
                        s instanceof StoreConfig.FileSystem fs
                                        && layout.equals(LAYOUT_SINGLE)
                                        && fs.partitionScheme()
                                                .equals(StoreConfig.FileSystem.DEFAULT_SCHEME)
                                ? new StoreConfig.FileSystem(
                                        fs.path(),
                                        fs.encoding(),
                                        StoreConfig.FileSystem.SINGLE_TYPE)
                                : s);
    }

    private static String checkLayout(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals(LAYOUT_SPLIT) && !v.equals(LAYOUT_SINGLE)) {
            throw new IllegalArgumentException("expected " + LAYOUT_SPLIT + " or " + LAYOUT_SINGLE);
        }
        return v;
    }

    /**
     * The live layer on {@code kafkaBootstrap} under {@code catalog}.
     *
     * @return the store, or empty when {@code catalog} is {@value #NONE}
     */
    public static Optional<StoreConfig> live(String kafkaBootstrap, String catalog) {
        if (catalog.trim().equalsIgnoreCase(NONE)) {
            return Optional.empty();
        }
        return Optional.of(StoreConfig.Kafka.local(kafkaBootstrap, catalog.trim()));
    }

    private static String checkCatalog(String value) {
        String v = value.trim();
        if (!v.equalsIgnoreCase(NONE) && !v.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException(
                    "expected a Kafka topic name (letters, digits, . _ -) or none");
        }
        return v;
    }

    private static Map<String, String> parseParams(String s) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : s.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "expected geomesa:key=value;key=value, got '" + pair.trim() + "'");
            }
            params.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        if (params.isEmpty()) {
            throw new IllegalArgumentException(
                    "expected at least one parameter after geomesa:, e.g."
                            + " geomesa:hbase.catalog=smartcity;hbase.zookeepers=zk:2181");
        }
        return params;
    }

    /**
     * The store options' setters, for the builder of a runnable that lists them (see {@link
     * org.smartcity.core.config.ConfigBuilder}): the dashboard's and the job's.
     */
    public interface Setter<B> extends OptionSetter<B> {
        /** The history store; empty for none. */
        default B history(Optional<StoreConfig> store) {
            return put(HISTORY, store);
        }

        /**
         * The live layer's catalog topic on the runnable's Kafka, or {@value StoreOptions#NONE}.
         */
        default B liveCatalog(String catalog) {
            return put(LIVE_CATALOG, catalog);
        }
    }
}
