package org.smartcity.jobs;

import java.util.Objects;
import org.smartcity.core.AggregateId;
import org.smartcity.core.Metric;
import org.smartcity.core.zoning.ZoneKind;

/**
 * What the job groups readings by: one metric in one zone.
 *
 * <p>Flink partitions by {@link #id()}, a string, not by this record: an enum's {@code hashCode} is
 * an identity hash that differs between JVMs, so a key containing {@link Metric} or {@link
 * ZoneKind} would be routed to different key groups on different task managers.
 *
 * @param metric the catalogue metric
 * @param zoneKind h3, district or city
 * @param zoneId the cell address, district code or city id
 */
public record ZoneKey(Metric metric, ZoneKind zoneKind, String zoneId) {

    /** The feature ids' separator: this key is their first three parts. */
    private static final char SEPARATOR = AggregateId.SEPARATOR;

    public ZoneKey {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(zoneKind, "zoneKind");
        Objects.requireNonNull(zoneId, "zoneId");
    }

    /**
     * The Flink key, {@code {metric}|{zoneKind}|{zoneId}}: the first three parts of the aggregate
     * feature ids.
     */
    public String id() {
        return metric.id() + SEPARATOR + zoneKind.id() + SEPARATOR + zoneId;
    }

    /**
     * The inverse of {@link #id()}.
     *
     * @throws IllegalArgumentException if {@code id} was not made by {@link #id()}
     */
    public static ZoneKey parse(String id) {
        int first = id.indexOf(SEPARATOR);
        int second = first < 0 ? -1 : id.indexOf(SEPARATOR, first + 1);
        if (second < 0) {
            throw new IllegalArgumentException("not a zone key: " + id);
        }
        String metric = id.substring(0, first);
        String kind = id.substring(first + 1, second);
        return new ZoneKey(
                Metric.byId(metric)
                        .orElseThrow(
                                () -> new IllegalArgumentException("unknown metric " + metric)),
                ZoneKind.byId(kind)
                        .orElseThrow(
                                () -> new IllegalArgumentException("unknown zone kind " + kind)),
                id.substring(second + 1));
    }
}
