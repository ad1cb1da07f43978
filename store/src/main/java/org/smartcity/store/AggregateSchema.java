package org.smartcity.store;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.feature.simple.SimpleFeatureBuilder;
import org.locationtech.geomesa.utils.interop.SimpleFeatureTypes;
import org.locationtech.jts.geom.Geometry;
import org.smartcity.core.AggregateId;
import org.smartcity.core.ZoneAggregate;

/**
 * The GeoMesa feature types for aggregates, and the mapping between {@link ZoneAggregate} and
 * {@link SimpleFeature}. Both stores use the same attributes; they differ in type name and feature
 * id:
 *
 * <ul>
 *   <li>{@value #HISTORY_TYPE}: every window, id {@link ZoneAggregate#featureId()}, e.g. {@code
 *       pm25|district|530102|1795496400000|15m};
 *   <li>{@value #LIVE_TYPE}: the newest window per metric, zone and window length, id {@link
 *       #liveId(ZoneAggregate)}, e.g. {@code pm25|district|530102|15m}.
 * </ul>
 *
 * <p>Geometries are WGS 84 longitude/latitude polygons of the zone (H3 cell, district, city).
 */
public final class AggregateSchema {

    /** The history feature type: one feature per window. */
    public static final String HISTORY_TYPE = "city_aggregates";

    /** The live layer feature type: the newest window per metric, zone and window length. */
    public static final String LIVE_TYPE = "city_live";

    public static final String METRIC = "metric";
    public static final String ZONE_KIND = "zone_kind";
    public static final String ZONE_ID = "zone_id";
    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String WINDOW_LENGTH = "window_length";
    public static final String COUNT = "count";
    public static final String DISTINCT_SENSORS = "distinct_sensors";
    public static final String MEAN = "mean";
    public static final String MIN = "min";
    public static final String MAX = "max";
    public static final String SUM = "sum";
    public static final String P50 = "p50";
    public static final String P95 = "p95";
    public static final String REVISION = "revision";
    public static final String UNIT = "unit";
    public static final String UPDATED = "updated";

    /**
     * {@link ZoneAggregate#coverage()}: shorter windows with data. Optional: a store whose type was
     * created before it keeps working without it (written as nothing, read as 0, "unknown").
     */
    public static final String COVERAGE = "coverage";

    public static final String GEOM = "geom";

    /** Attributes added after the first stores were made: an existing type may lack them. */
    public static final Set<String> OPTIONAL_ATTRIBUTES = Set.of(COVERAGE);

    /**
     * The GeoMesa specification of both types, in attribute order. {@code window_start} is the
     * default date (time index, FileSystem partitions), {@code geom} the default geometry.
     */
    public static final String SPEC =
            String.join(
                    ",",
                    METRIC + ":String",
                    ZONE_KIND + ":String",
                    ZONE_ID + ":String",
                    WINDOW_START + ":Date",
                    WINDOW_END + ":Date",
                    WINDOW_LENGTH + ":String",
                    COUNT + ":Long",
                    DISTINCT_SENSORS + ":Long",
                    MEAN + ":Double",
                    MIN + ":Double",
                    MAX + ":Double",
                    SUM + ":Double",
                    P50 + ":Double",
                    P95 + ":Double",
                    REVISION + ":Integer",
                    UNIT + ":String",
                    UPDATED + ":Date",
                    COVERAGE + ":Long",
                    "*" + GEOM + ":Geometry:srid=4326");

    /** Feature type user data naming the default date attribute (GeoMesa's key). */
    static final String DEFAULT_DATE_KEY = "geomesa.index.dtg";

    /** Feature type user data allowing a {@code Geometry} (not a single kind) attribute. */
    static final String MIXED_GEOMETRIES_KEY = "geomesa.mixed.geometries";

    private AggregateSchema() {}

    /**
     * The feature type {@code typeName} with the aggregate attributes, plus store-specific user
     * data (see {@link StoreConfig#featureTypeUserData()}).
     */
    public static SimpleFeatureType featureType(String typeName, Map<String, String> userData) {
        SimpleFeatureType type = SimpleFeatureTypes.createType(typeName, SPEC);
        type.getUserData().put(DEFAULT_DATE_KEY, WINDOW_START);
        // Zones are polygons, and districts with exclaves multipolygons. GeoMesa refuses a
        // mixed type unless told: its warning is about points, which lose their faster index,
        // and a zone is never a point.
        type.getUserData().put(MIXED_GEOMETRIES_KEY, "true");
        type.getUserData().putAll(userData);
        return type;
    }

    /** The live layer id, {@link AggregateId.Live}: the history id without the window start. */
    public static String liveId(ZoneAggregate a) {
        return AggregateId.liveOf(a).toString();
    }

    /** The history id, {@link AggregateId.History} (also {@link ZoneAggregate#featureId()}). */
    public static String historyId(ZoneAggregate a) {
        return AggregateId.historyOf(a).toString();
    }

    /**
     * The feature for {@code a} in {@code type}, with id {@code id}.
     *
     * @param geometry the zone's polygon, longitude/latitude
     * @param updated when the feature is written; breaks ties between equal revisions on read
     */
    public static SimpleFeature toFeature(
            SimpleFeatureType type,
            String id,
            ZoneAggregate a,
            Geometry geometry,
            Instant updated) {
        SimpleFeature f =
                SimpleFeatureBuilder.build(type, new Object[type.getAttributeCount()], id);
        setAttributes(f, a, geometry, updated);
        return f;
    }

    /**
     * Sets every aggregate attribute of {@code f}, which may come from a store's feature writer, by
     * name, so the attribute order of an existing type does not matter; an {@linkplain
     * #OPTIONAL_ATTRIBUTES optional} attribute the type lacks is left out.
     */
    public static void setAttributes(
            SimpleFeature f, ZoneAggregate a, Geometry geometry, Instant updated) {
        f.setAttribute(METRIC, a.metric().id());
        f.setAttribute(ZONE_KIND, a.zoneKind().id());
        f.setAttribute(ZONE_ID, a.zoneId());
        f.setAttribute(WINDOW_START, new Date(a.windowStartMillis()));
        f.setAttribute(WINDOW_END, new Date(a.windowEndMillis()));
        f.setAttribute(WINDOW_LENGTH, ZoneAggregate.windowLabel(a.windowLengthMillis()));
        f.setAttribute(COUNT, a.count());
        f.setAttribute(DISTINCT_SENSORS, a.distinctSensors());
        f.setAttribute(MEAN, a.mean());
        f.setAttribute(MIN, a.min());
        f.setAttribute(MAX, a.max());
        f.setAttribute(SUM, a.sum());
        f.setAttribute(P50, a.p50());
        f.setAttribute(P95, a.p95());
        f.setAttribute(REVISION, a.revision());
        f.setAttribute(UNIT, a.metric().unit());
        f.setAttribute(UPDATED, Date.from(updated));
        if (f.getFeatureType().indexOf(COVERAGE) >= 0) {
            f.setAttribute(COVERAGE, a.coverage());
        }
        f.setDefaultGeometry(geometry);
    }
}
