package org.smartcity.store;

import java.util.Date;
import java.util.List;
import java.util.Map;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.feature.simple.SimpleFeatureBuilder;
import org.locationtech.geomesa.utils.interop.SimpleFeatureTypes;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;

/**
 * The GeoMesa feature type {@value #TYPE} of DESIGN.md (Alerts), and the mapping between {@link
 * Alert} and {@link SimpleFeature}. One type name in both stores, next to the aggregates:
 *
 * <ul>
 *   <li>in the history store, every revision of every alert (a row per revision written; {@link
 *       AlertQueries} shows each alert once, at its newest revision);
 *   <li>in the live layer (GeoMesa Kafka), the active alerts only: a revision replaces the previous
 *       one, and a cleared alert is deleted.
 * </ul>
 *
 * <p>The feature id is the alert id. The attributes are the alert's JSON fields; {@code opened_at}
 * is the default date, so every revision of one alert lands in the same FileSystem partition. The
 * geometry is the subject zone's polygon, or for a sensor its position (a point, which the stream
 * job passes along with the alert, not in it); null for a sensor whose position the writer did not
 * know.
 */
public final class AlertSchema {

    /** The feature type of alerts, in the history store and in the live layer. */
    public static final String TYPE = "city_alerts";

    public static final String RULE = "rule";
    public static final String STATUS = "status";
    public static final String SEVERITY = "severity";
    public static final String METRIC = "metric";
    public static final String SUBJECT_KIND = "subject_kind";
    public static final String SUBJECT_ID = "subject_id";
    public static final String SUBJECT_NAME = "subject_name";
    public static final String OPENED_AT = "opened_at";
    public static final String UPDATED_AT = "updated_at";
    public static final String CLEARED_AT = "cleared_at";
    public static final String VALUE = "value";
    public static final String PEAK = "peak";
    public static final String THRESHOLD = "threshold";
    public static final String UNIT = "unit";
    public static final String MESSAGE = "message";
    public static final String REVISION = "revision";

    /** A district roll-up's cells, comma-separated; null for other alerts. */
    public static final String CELLS = "cells";

    public static final String GEOM = "geom";

    /** The GeoMesa specification, in attribute order. */
    public static final String SPEC =
            String.join(
                    ",",
                    RULE + ":String",
                    STATUS + ":String",
                    SEVERITY + ":String",
                    METRIC + ":String",
                    SUBJECT_KIND + ":String",
                    SUBJECT_ID + ":String",
                    SUBJECT_NAME + ":String",
                    OPENED_AT + ":Date",
                    UPDATED_AT + ":Date",
                    CLEARED_AT + ":Date",
                    VALUE + ":Double",
                    PEAK + ":Double",
                    THRESHOLD + ":Double",
                    UNIT + ":String",
                    MESSAGE + ":String",
                    REVISION + ":Integer",
                    CELLS + ":String",
                    "*" + GEOM + ":Geometry:srid=4326");

    private AlertSchema() {}

    /** The alert feature type for {@code config}'s store (its partitioning or topic settings). */
    public static SimpleFeatureType featureType(StoreConfig config) {
        return featureType(config.featureTypeUserData(TYPE));
    }

    /** The alert feature type with store-specific user data. */
    public static SimpleFeatureType featureType(Map<String, String> userData) {
        SimpleFeatureType type = SimpleFeatureTypes.createType(TYPE, SPEC);
        type.getUserData().put(AggregateSchema.DEFAULT_DATE_KEY, OPENED_AT);
        // Zones are polygons or multipolygons (see AggregateSchema), sensors points.
        type.getUserData().put(AggregateSchema.MIXED_GEOMETRIES_KEY, "true");
        type.getUserData().putAll(userData);
        return type;
    }

    /** A new feature for {@code a} in {@code type}, id = the alert id. */
    public static SimpleFeature toFeature(SimpleFeatureType type, Alert a, Geometry geometry) {
        SimpleFeature f =
                SimpleFeatureBuilder.build(type, new Object[type.getAttributeCount()], a.id());
        setAttributes(f, a, geometry);
        return f;
    }

    /** Sets every attribute of {@code f} (e.g. from a store's feature writer), by name. */
    public static void setAttributes(SimpleFeature f, Alert a, Geometry geometry) {
        f.setAttribute(RULE, a.rule());
        f.setAttribute(STATUS, a.status().id());
        f.setAttribute(SEVERITY, a.severity().id());
        f.setAttribute(METRIC, a.metric().id());
        f.setAttribute(SUBJECT_KIND, a.subjectKind().id());
        f.setAttribute(SUBJECT_ID, a.subjectId());
        f.setAttribute(SUBJECT_NAME, a.subjectName());
        f.setAttribute(OPENED_AT, new Date(a.openedAtMillis()));
        f.setAttribute(UPDATED_AT, new Date(a.updatedAtMillis()));
        f.setAttribute(
                CLEARED_AT, a.clearedAtMillis() == null ? null : new Date(a.clearedAtMillis()));
        f.setAttribute(VALUE, a.value());
        f.setAttribute(PEAK, a.peak());
        f.setAttribute(THRESHOLD, a.threshold());
        f.setAttribute(UNIT, a.unit());
        f.setAttribute(MESSAGE, a.message());
        f.setAttribute(REVISION, a.revision());
        f.setAttribute(CELLS, a.isRollup() ? String.join(",", a.cells()) : null);
        f.setDefaultGeometry(geometry);
    }

    /**
     * The alert a feature of this type holds.
     *
     * @throws IllegalArgumentException naming the feature and attribute, for anything else
     */
    public static Alert fromFeature(SimpleFeature f) {
        Date cleared = (Date) f.getAttribute(CLEARED_AT);
        return new Alert(
                f.getID(),
                text(f, RULE),
                AlertStatus.byId(text(f, STATUS)).orElseThrow(() -> invalid(f, STATUS)),
                Severity.byId(text(f, SEVERITY)).orElseThrow(() -> invalid(f, SEVERITY)),
                Metric.byId(text(f, METRIC)).orElseThrow(() -> invalid(f, METRIC)),
                SubjectKind.byId(text(f, SUBJECT_KIND)).orElseThrow(() -> invalid(f, SUBJECT_KIND)),
                text(f, SUBJECT_ID),
                text(f, SUBJECT_NAME),
                date(f, OPENED_AT),
                date(f, UPDATED_AT),
                cleared == null ? null : cleared.getTime(),
                number(f, VALUE).doubleValue(),
                number(f, PEAK).doubleValue(),
                number(f, THRESHOLD).doubleValue(),
                text(f, UNIT),
                text(f, MESSAGE),
                number(f, REVISION).intValue(),
                f.getAttribute(CELLS) instanceof String cells && !cells.isEmpty()
                        ? List.of(cells.split(","))
                        : List.of());
    }

    /**
     * The alert a feature of this type holds, with the sensor's position when its geometry is a
     * point (a sensor alert stored where its sensor stood); without one for a zone's outline or no
     * geometry.
     *
     * @throws IllegalArgumentException as {@link #fromFeature} does
     */
    public static LocatedAlert located(SimpleFeature f) {
        Alert a = fromFeature(f);
        return f.getDefaultGeometry() instanceof Point p && !p.isEmpty()
                ? LocatedAlert.at(a, p.getY(), p.getX())
                : LocatedAlert.of(a);
    }

    private static String text(SimpleFeature f, String attribute) {
        if (f.getAttribute(attribute) instanceof String s) {
            return s;
        }
        throw invalid(f, attribute);
    }

    private static long date(SimpleFeature f, String attribute) {
        if (f.getAttribute(attribute) instanceof Date d) {
            return d.getTime();
        }
        throw invalid(f, attribute);
    }

    private static Number number(SimpleFeature f, String attribute) {
        if (f.getAttribute(attribute) instanceof Number n) {
            return n;
        }
        throw invalid(f, attribute);
    }

    private static IllegalArgumentException invalid(SimpleFeature f, String attribute) {
        return new IllegalArgumentException(
                "Alert feature "
                        + f.getID()
                        + " has no valid "
                        + attribute
                        + ": "
                        + f.getAttribute(attribute));
    }
}
