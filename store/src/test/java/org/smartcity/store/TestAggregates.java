package org.smartcity.store;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.FeatureWriter;
import org.geotools.api.data.Transaction;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;

/** Aggregates for tests, with readable times and values derived from the revision. */
public final class TestAggregates {

    /** 2026-11-24T05:00:00Z, a window start used throughout the tests. */
    public static final Instant T0 = Instant.parse("2026-11-24T05:00:00Z");

    private TestAggregates() {}

    /** A 15-minute window starting at {@code start} (ISO-8601), revision {@code revision}. */
    public static ZoneAggregate aggregate(
            Metric metric, ZoneKind kind, String zoneId, String start, int revision) {
        return aggregate(
                metric, kind, zoneId, Instant.parse(start), Duration.ofMinutes(15), revision);
    }

    /**
     * An aggregate whose values are derived from its zone, window and revision, so that every
     * revision of every window has distinct, predictable numbers.
     */
    public static ZoneAggregate aggregate(
            Metric metric,
            ZoneKind kind,
            String zoneId,
            Instant start,
            Duration length,
            int revision) {
        double base = 10 + Math.floorMod(zoneId.hashCode(), 50) + revision;
        return fromBase(metric, kind, zoneId, start, length, revision, base);
    }

    /**
     * An aggregate whose statistics all derive from {@code base} and {@code revision} (count from
     * the revision, the others as fixed offsets from the base): a test that picks its own base can
     * recompute any of them.
     */
    public static ZoneAggregate fromBase(
            Metric metric,
            ZoneKind kind,
            String zoneId,
            Instant start,
            Duration length,
            int revision,
            double base) {
        long count = 10L * revision + 2;
        return new ZoneAggregate(
                metric,
                kind,
                zoneId,
                start.toEpochMilli(),
                length.toMillis(),
                count,
                revision + 1L,
                base + 0.5,
                base - 4.25,
                base + 7.75,
                (base + 0.5) * count,
                base + 0.25,
                base + 6.5,
                revision,
                0);
    }

    /**
     * Revision 1 of every window starting at one of {@code starts}, of each of {@code lengths},
     * {@code metrics} and {@code zones}: starts outermost, zones innermost.
     */
    public static List<ZoneAggregate> firstEmissions(
            List<Instant> starts,
            List<Duration> lengths,
            List<Metric> metrics,
            List<TestZones.Zone> zones) {
        List<ZoneAggregate> out = new ArrayList<>();
        for (Instant start : starts) {
            for (Duration length : lengths) {
                for (Metric m : metrics) {
                    for (TestZones.Zone z : zones) {
                        out.add(aggregate(m, z.kind(), z.id(), start, length, 1));
                    }
                }
            }
        }
        return out;
    }

    /** {@code a}'s window again, at {@code revision}. */
    public static ZoneAggregate revised(ZoneAggregate a, int revision) {
        return aggregate(
                a.metric(),
                a.zoneKind(),
                a.zoneId(),
                Instant.ofEpochMilli(a.windowStartMillis()),
                Duration.ofMillis(a.windowLengthMillis()),
                revision);
    }

    /**
     * Late corrections: revision 2 of every {@code nth} window of {@code first}, from the first.
     */
    public static List<ZoneAggregate> corrections(List<ZoneAggregate> first, int nth) {
        List<ZoneAggregate> out = new ArrayList<>();
        for (int i = 0; i < first.size(); i += nth) {
            out.add(revised(first.get(i), 2));
        }
        return out;
    }

    public static ZoneAggregate pm25District(String start, int revision) {
        return aggregate(Metric.PM25, ZoneKind.DISTRICT, TestZones.WUHUA, start, revision);
    }

    /**
     * Appends {@code rows} to {@code type} in one writer, as the sink's writer does: every
     * attribute through {@link AggregateSchema#setAttributes}, the zone of {@link TestZones},
     * written at {@code updated}, under the row's history id.
     */
    public static void append(
            DataStore store, String type, List<ZoneAggregate> rows, Instant updated)
            throws IOException {
        append(store, type, rows, updated, TestZones::geometry, ZoneAggregate::featureId);
    }

    /** The same with the zones of {@code geometries}, under the ids {@code ids} gives. */
    public static void append(
            DataStore store,
            String type,
            List<ZoneAggregate> rows,
            Instant updated,
            ZoneGeometries geometries,
            Function<ZoneAggregate, String> ids)
            throws IOException {
        try (FeatureWriter<SimpleFeatureType, SimpleFeature> w =
                store.getFeatureWriterAppend(type, Transaction.AUTO_COMMIT)) {
            for (ZoneAggregate a : rows) {
                SimpleFeature f = w.next();
                AggregateSchema.setAttributes(
                        f, a, geometries.geometry(a.zoneKind(), a.zoneId()), updated);
                DataStores.useProvidedId(f, ids.apply(a));
                w.write();
            }
        }
    }

    /** {@code a} as the history returns it: its feature id and zone, written at {@code written}. */
    public static StoredAggregate stored(ZoneAggregate a, Instant written) {
        return new StoredAggregate(
                a.featureId(), a, TestZones.geometry(a.zoneKind(), a.zoneId()), written);
    }

    /**
     * What every history query must see after {@code first} was written at {@code firstWritten},
     * then {@code corrected} (newer revisions of some of its windows) at {@code correctedWritten}:
     * per window the newest revision, stamped by its last write; by feature id.
     */
    public static Map<String, StoredAggregate> newest(
            List<ZoneAggregate> first,
            Instant firstWritten,
            List<ZoneAggregate> corrected,
            Instant correctedWritten) {
        Map<String, StoredAggregate> out = new HashMap<>();
        for (ZoneAggregate a : first) {
            out.put(a.featureId(), stored(a, firstWritten));
        }
        for (ZoneAggregate a : corrected) {
            out.put(a.featureId(), stored(a, correctedWritten));
        }
        return out;
    }
}
