package org.smartcity.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.geotools.api.data.DataStore;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.filter.Filter;
import org.geotools.api.filter.FilterFactory;
import org.geotools.factory.CommonFactoryFinder;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.alert.SubjectKind;

/**
 * Reads alerts from the feature type {@value AlertSchema#TYPE} so that each alert appears once, at
 * its newest revision ({@link Alert#isNewerThan}, the rule the dashboard's alert book applies to
 * the topic too).
 *
 * <p>Why: the history store appends a row for every revision, and the alert sink writes what a
 * checkpoint committed, again after a failure that came before the commit was acknowledged (the
 * same revision, the same values). On the live layer, which holds the newest revision of each
 * active alert, this changes nothing.
 */
public final class AlertQueries {

    /** Newest opening first, then by id: the order of the {@code alerts} collection. */
    public static final Comparator<Alert> NEWEST_FIRST =
            Comparator.comparingLong(Alert::openedAtMillis).reversed().thenComparing(Alert::id);

    private static final FilterFactory FF = CommonFactoryFinder.getFilterFactory();

    private AlertQueries() {}

    /**
     * The newest revision of every alert in {@code store} matching {@code query}, newest opening
     * first.
     */
    public static List<Alert> latest(DataStore store, AlertQuery query) throws IOException {
        Map<String, Alert> newest = new HashMap<>();
        for (SimpleFeature row :
                HistoryQueries.rows(store, AlertSchema.TYPE, query.storeFilter())) {
            newest.merge(
                    row.getID(),
                    AlertSchema.fromFeature(row),
                    (kept, other) -> other.isNewerThan(kept) ? other : kept);
        }
        List<Alert> result = new ArrayList<>();
        for (Alert a : newest.values()) {
            if (query.matches(a)) {
                result.add(a);
            }
        }
        result.sort(NEWEST_FIRST);
        return result;
    }

    /**
     * Batches of at most this many sensors are picked out by the store, larger ones in memory
     * ({@link #sensorRevisions}).
     */
    static final int MAX_IDS_IN_FILTER = 100;

    /**
     * Every stored revision of every alert about the sensors {@code sensorIds} opened from {@code
     * openedFromMillis} to {@code openedToMillis}, both included ({@link Long#MIN_VALUE} and {@link
     * Long#MAX_VALUE}: unbounded), as stored: with the position the job stored it at ({@link
     * LocatedAlert#hasPosition()} false where it did not know the sensor's), in no particular
     * order. None when the store has no {@value AlertSchema#TYPE} (a history the job has not
     * written alerts to).
     *
     * <p>A batch of up to {@link #MAX_IDS_IN_FILTER} sensors (the dashboard's later reads of a few
     * sensors) goes to the store as a filter on their ids, so that rows of other sensors are not
     * decoded; a larger one (the dashboard's first read, of every sensor with an alert) is one read
     * of all stored sensor alerts with the ids picked out in memory, rather than a filter with an
     * alternative per sensor. The bounds on the opening time are what save reading: the opening
     * time is the type's default date, which a FileSystem store's daily partitions are keyed by, so
     * only the partitions of those days are read, but only when both bounds are given (GeoMesa 5.4
     * lists a date scheme's partitions for a closed range only, and reads all of them otherwise).
     */
    public static List<LocatedAlert> sensorRevisions(
            DataStore store, Set<String> sensorIds, long openedFromMillis, long openedToMillis)
            throws IOException {
        if (sensorIds.isEmpty() || !List.of(store.getTypeNames()).contains(AlertSchema.TYPE)) {
            return List.of();
        }
        List<LocatedAlert> out = new ArrayList<>();
        Filter filter = sensorFilter(sensorIds, openedFromMillis, openedToMillis);
        for (SimpleFeature row : HistoryQueries.rows(store, AlertSchema.TYPE, filter)) {
            if (row.getAttribute(AlertSchema.SUBJECT_ID) instanceof String id
                    && sensorIds.contains(id)) {
                out.add(AlertSchema.located(row));
            }
        }
        return out;
    }

    /** What {@link #sensorRevisions} asks the store for. */
    static Filter sensorFilter(Set<String> sensorIds, long openedFromMillis, long openedToMillis) {
        List<Filter> parts = new ArrayList<>();
        parts.add(AlertQuery.all().subjectKind(SubjectKind.SENSOR).storeFilter());
        if (openedFromMillis != Long.MIN_VALUE) {
            parts.add(
                    FF.greaterOrEqual(
                            FF.property(AlertSchema.OPENED_AT),
                            FF.literal(new Date(openedFromMillis))));
        }
        if (openedToMillis != Long.MAX_VALUE) {
            parts.add(
                    FF.lessOrEqual(
                            FF.property(AlertSchema.OPENED_AT),
                            FF.literal(new Date(openedToMillis))));
        }
        if (sensorIds.size() <= MAX_IDS_IN_FILTER) {
            List<Filter> ids = new ArrayList<>();
            for (String id : new TreeSet<>(sensorIds)) {
                ids.add(FF.equals(FF.property(AlertSchema.SUBJECT_ID), FF.literal(id)));
            }
            parts.add(ids.size() == 1 ? ids.get(0) : FF.or(ids));
        }
        return parts.size() == 1 ? parts.get(0) : FF.and(parts);
    }
}
