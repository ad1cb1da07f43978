package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.smartcity.core.AggregateId;
import org.smartcity.core.CityArea;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoredAggregate;

/**
 * What the two aggregate collections share: their query parameters ({@code metric}, {@code
 * zone_kind}, {@code zone_id}, {@code window_length}; {@code datetime} on the window start, {@code
 * bbox} intersecting the zone polygon), their order (window start, then id) and their GeoJSON and
 * CSV shape ({@link AggregateFeatures}). Each subclass says where its aggregates are.
 */
abstract class AggregateCollection implements CollectionProvider<StoredAggregate> {
    private static final List<Queryable> QUERYABLES =
            List.of(
                    Queryable.METRIC,
                    Queryable.ZONE_KIND,
                    Queryable.ZONE_ID,
                    Queryable.WINDOW_LENGTH);

    private final CityArea area;
    private final AggregateFeatures features;

    AggregateCollection(CityArea area, AggregateFeatures features) {
        this.area = area;
        this.features = features;
    }

    /** The aggregates matching {@code q}, sorted by window start, then id. */
    abstract List<StoredAggregate> matching(HistoryQuery q) throws IOException;

    /** Whether ids carry no window start ({@code {metric}|{zoneKind}|{zoneId}|{length}}). */
    abstract boolean liveIds();

    @Override
    public CityArea extent() {
        return area;
    }

    @Override
    public List<Queryable> queryables() {
        return QUERYABLES;
    }

    @Override
    public Page<StoredAggregate> query(ItemQuery query) throws IOException {
        HistoryQuery q = storeQuery(query.params());
        return Page.of(q == null ? List.of() : matching(q), query);
    }

    @Override
    public Optional<StoredAggregate> get(String featureId) throws IOException {
        HistoryQuery q = idQuery(featureId, liveIds());
        if (q == null) {
            return Optional.empty();
        }
        return matching(q).stream().filter(a -> a.id().equals(featureId)).findFirst();
    }

    @Override
    public ObjectNode feature(StoredAggregate item) {
        return features.feature(item);
    }

    @Override
    public List<String> csvHeader() {
        return AggregateFeatures.CSV_HEADER;
    }

    @Override
    public List<Object> csvRow(StoredAggregate item) {
        return features.csvRow(item);
    }

    /**
     * The store query of the items parameters, or null when the datetime matches nothing. Every
     * parameter is parsed before anything is decided, so a bad one is a 400 whatever the others.
     */
    static HistoryQuery storeQuery(Params p) {
        Params.BBox box = p.bbox();
        Params.Interval t = p.datetime();
        Metric metric = p.metric();
        ZoneKind kind = p.zoneKind();
        String zoneId = p.zoneId();
        String length = p.windowLength();
        HistoryQuery q = HistoryQuery.all();
        if (box != null) {
            q = q.bbox(box.minLon(), box.minLat(), box.maxLon(), box.maxLat());
        }
        if (t != null) {
            Instant from = t.startMillis();
            Instant to = t.endMillisExclusive();
            if (from != null && to != null && !from.isBefore(to)) {
                return null;
            }
            q = q.windowsStarting(from, to);
        }
        if (metric != null) {
            q = q.metric(metric);
        }
        if (kind != null) {
            q = q.zoneKind(kind);
        }
        if (zoneId != null) {
            q = q.zoneId(zoneId);
        }
        if (length != null) {
            q = q.windowLength(length);
        }
        return q;
    }

    /**
     * The store query that finds the aggregate a feature id names, or null when it cannot name one
     * (a malformed id is simply not found).
     */
    private static HistoryQuery idQuery(String featureId, boolean live) {
        AggregateId id;
        try {
            id = live ? AggregateId.parseLive(featureId) : AggregateId.parseHistory(featureId);
        } catch (AggregateId.MalformedException e) {
            return null;
        }
        HistoryQuery q =
                HistoryQuery.all()
                        .metric(id.metric())
                        .zoneKind(id.zoneKind())
                        .zoneId(id.zoneId())
                        .windowLength(ZoneAggregate.windowLabel(id.windowLengthMillis()));
        if (id instanceof AggregateId.History window) {
            // Only a window start within the range datetime accepts names a window.
            Instant start = Instant.ofEpochMilli(window.windowStartMillis());
            if (start.isBefore(Params.EARLIEST) || start.isAfter(Params.LATEST)) {
                return null;
            }
            q = q.windowsStarting(start, start.plusMillis(1));
        }
        return q;
    }
}
