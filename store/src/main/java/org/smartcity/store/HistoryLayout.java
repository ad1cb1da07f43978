package org.smartcity.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.geotools.api.data.DataStore;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.smartcity.core.ZoneAggregate;

/**
 * How a FileSystem history store lays its aggregates out, so that a query reads about what it
 * returns: one feature type per window length ({@code city_aggregates_1h}), each partitioned by
 * metric, then by time, with longer time partitions for longer windows. The default of a new store,
 * see below.
 *
 * <pre>
 * history/city_aggregates_1m/pm25/2026/12/04/…parquet   daily    (1,440 windows per zone a day)
 * history/city_aggregates_15m/pm25/2026/12/04/…          daily
 * history/city_aggregates_1h/pm25/2026/12/…              monthly  (about 720 per zone)
 * history/city_aggregates_1d/pm25/2026/…                 yearly   (365 per zone)
 * </pre>
 *
 * <p>Why one type per length: GeoMesa (5.4) gives a feature type one partition scheme, the same
 * time granularity for every partition, and an attribute scheme partitions on one attribute; a year
 * of one zone's hourly means in one type with daily partitions opens 365 directories of every
 * metric and length. Split by length and metric, it opens 12 monthly partitions of one metric. The
 * time scheme is GeoMesa's, on {@code window_start}, in UTC.
 *
 * <p>The logical type stays {@value AggregateSchema#HISTORY_TYPE}: readers ask {@link
 * HistoryQueries} for it and get the union of {@link #typesToRead the physical types} there are,
 * including a {@value AggregateSchema#HISTORY_TYPE} written before this layout (a data directory
 * from before keeps working, and its windows are merged with newer rows of the same id).
 *
 * <p>How rows get there. By default (a store created with the default scheme since issue 10, marked
 * so in its {@value AggregateSchema#HISTORY_TYPE} type: {@link #splitsOnCompaction}) the sink
 * writes into {@value AggregateSchema#HISTORY_TYPE}, daily partitions, and {@link HistoryCompactor}
 * moves each finished day into the per-length types. Why not write there directly ({@link
 * StoreConfig.FileSystem#BY_WINDOW_LENGTH}, still possible): the sink writes a file per partition
 * on every flush, and this layout has a partition per length and metric where the single type has
 * one per day; profiled with {@code HistoryBenchmark} (batches of 1,000), 17x the files, each
 * costing a Parquet writer, footer and metadata update, so 3x the CPU and a third of the write rate
 * even without Hadoop's {@code chmod} processes ({@link LocalFiles}). Other stores (Redis, HBase,
 * ...) keep one type, as their own indexes serve the same queries.
 */
public final class HistoryLayout {

    /**
     * Feature type user data of a {@value AggregateSchema#HISTORY_TYPE} type whose finished
     * partitions the compactor moves into the per-length types ({@link #splitsOnCompaction}).
     */
    static final String LAYOUT_KEY = "smartcity.history.layout";

    /** {@link #LAYOUT_KEY}'s value: split by window length on compaction. */
    static final String SPLIT_ON_COMPACTION = "split-on-compaction";

    /**
     * The user data marking a new history type. GeoMesa keeps only user data whose key starts with
     * {@code geomesa} or with a prefix listed under {@code geomesa.user-data.prefix}.
     */
    static final Map<String, String> SPLIT_ON_COMPACTION_USER_DATA =
            Map.of(LAYOUT_KEY, SPLIT_ON_COMPACTION, "geomesa.user-data.prefix", "smartcity");

    /** Prefix of the per-length types: {@code city_aggregates_} + the length's label. */
    public static final String TYPE_PREFIX = AggregateSchema.HISTORY_TYPE + "_";

    /**
     * The order of rows within a file: metric, zone kind, zone id, window start. A file's row
     * groups and pages then cover few zones, and Parquet's statistics skip the others.
     */
    public static final Comparator<ZoneAggregate> ROW_ORDER =
            Comparator.comparing((ZoneAggregate a) -> a.metric().id())
                    .thenComparing(a -> a.zoneKind().id())
                    .thenComparing(ZoneAggregate::zoneId)
                    .thenComparingLong(ZoneAggregate::windowStartMillis);

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private HistoryLayout() {}

    /** The feature type holding windows of {@code windowLength} ({@code 1h}). */
    public static String typeName(String windowLength) {
        lengthMillis(windowLength);
        return TYPE_PREFIX + windowLength;
    }

    /** The feature type holding {@code a}. */
    public static String typeOf(ZoneAggregate a) {
        return TYPE_PREFIX + ZoneAggregate.windowLabel(a.windowLengthMillis());
    }

    /**
     * The window length a per-length type holds, or null if {@code typeName} is not one (the
     * single-type {@value AggregateSchema#HISTORY_TYPE}, the live layer, anything else).
     */
    public static String windowLengthOf(String typeName) {
        if (!typeName.startsWith(TYPE_PREFIX)) {
            return null;
        }
        String label = typeName.substring(TYPE_PREFIX.length());
        try {
            lengthMillis(label);
            return label;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * GeoMesa's time partition for windows of {@code windowLength}: {@code daily} below an hour,
     * {@code monthly} from an hour, yearly from a day. Each keeps a zone's windows of one partition
     * between 96 and 1,440 (a {@code 1m} day) rows.
     */
    static String timeScheme(String windowLength) {
        long millis = lengthMillis(windowLength);
        return millis < HOUR ? "daily" : millis < DAY ? "monthly" : YEARLY;
    }

    /** GeoMesa (5.4) names no yearly scheme: its {@code datetime} scheme, by year. */
    private static final String YEARLY = "datetime";

    /**
     * The {@code geomesa.fs.scheme} user data of a per-length type: GeoMesa's composite of its
     * {@code attribute} scheme on {@code metric} and the time scheme (the schemes of a composite
     * share one set of options).
     */
    static Map<String, String> schemeUserData(String windowLength) {
        String time = timeScheme(windowLength);
        String options = "\"partitioned-attribute\":\"" + AggregateSchema.METRIC + "\"";
        if (time.equals(YEARLY)) {
            options += ",\"datetime-format\":\"yyyy\",\"step-unit\":\"years\",\"step\":\"1\"";
        }
        return Map.of(
                StoreConfig.FileSystem.SCHEME_KEY,
                "{\"name\":\"attribute," + time + "\",\"options\":{" + options + "}}");
    }

    /**
     * The physical types of {@code store} that hold windows of {@code windowLength} (null: every
     * length): its per-length types and the single-type {@value AggregateSchema#HISTORY_TYPE} of an
     * older layout, those that exist.
     */
    public static List<String> typesToRead(DataStore store, String windowLength)
            throws IOException {
        List<String> types = new ArrayList<>();
        for (String name : store.getTypeNames()) {
            String length = windowLengthOf(name);
            if (name.equals(AggregateSchema.HISTORY_TYPE)
                    || (length != null && (windowLength == null || windowLength.equals(length)))) {
                types.add(name);
            }
        }
        types.sort(null);
        return types;
    }

    /**
     * Whether the compactor moves the finished partitions of {@code type} (a {@value
     * AggregateSchema#HISTORY_TYPE} type created with the default scheme since issue 10) into the
     * per-length types, rather than compacting them in place (a store made before, or with {@link
     * StoreConfig.FileSystem#SINGLE_TYPE}).
     */
    public static boolean splitsOnCompaction(SimpleFeatureType type) {
        return type.getTypeName().equals(AggregateSchema.HISTORY_TYPE)
                && SPLIT_ON_COMPACTION.equals(type.getUserData().get(LAYOUT_KEY));
    }

    /**
     * The layout of the history in {@code store}, for a log line.
     *
     * @param direct whether the writers put each length in its type ({@link
     *     StoreConfig#historyByWindowLength()})
     */
    public static String describe(DataStore store, boolean direct) throws IOException {
        List<String> types = typesToRead(store, null);
        if (!types.contains(AggregateSchema.HISTORY_TYPE)) {
            return "no history yet";
        }
        if (splitsOnCompaction(store.getSchema(AggregateSchema.HISTORY_TYPE))) {
            return "by window length: new windows go to "
                    + AggregateSchema.HISTORY_TYPE
                    + " (daily partitions), and compaction moves each finished day into "
                    + TYPE_PREFIX
                    + "<length> (by metric, then day, month or year)";
        }
        if (direct || types.size() > 1) {
            return "by window length, written directly ("
                    + StoreConfig.FileSystem.BY_WINDOW_LENGTH
                    + "), with "
                    + AggregateSchema.HISTORY_TYPE
                    + " of an older layout read along";
        }
        return "single type "
                + AggregateSchema.HISTORY_TYPE
                + " (daily partitions, compacted in place; a store keeps the layout it was"
                + " made with)";
    }

    /**
     * The length in milliseconds of a label written by {@link ZoneAggregate#windowLabel}.
     *
     * @throws IllegalArgumentException if {@code label} is not one
     */
    public static long lengthMillis(String label) {
        int digits = 0;
        while (digits < label.length() && Character.isDigit(label.charAt(digits))) {
            digits++;
        }
        long unit =
                switch (label.substring(digits)) {
                    case "s" -> 1_000L;
                    case "m" -> 60_000L;
                    case "h" -> HOUR;
                    case "d" -> DAY;
                    default -> 0L;
                };
        if (digits == 0 || digits > 9 || unit == 0) {
            throw new IllegalArgumentException(
                    "window length must be a label such as 1m, 15m, 1h or 1d, was '" + label + "'");
        }
        long millis = Long.parseLong(label.substring(0, digits)) * unit;
        if (millis == 0 || !ZoneAggregate.windowLabel(millis).equals(label)) {
            throw new IllegalArgumentException(
                    "window length '" + label + "' is not written as its canonical label");
        }
        return millis;
    }
}
