package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.smartcity.core.CityArea;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;

/**
 * {@value #ID}: every alert once, at its newest revision ({@link AlertBook}), newest first by
 * opening time. Filters {@code status}, {@code rule}, {@code severity}, {@code subject_kind},
 * {@code subject_id}; {@code datetime} matches alerts whose episode ({@code opened_at} to {@code
 * cleared_at}, open while active) overlaps it; {@code bbox} matches the subject's geometry. The
 * geometry is the zone's outline, or a sensor's position: its newest from the readings monitor,
 * else the one the job stored the alert at in the history store ({@link StoredSensorPositions}: a
 * sensor silent since before the monitor's lookback); none when neither has one. The CAP documents
 * take their area from here too ({@link #geometry}).
 */
final class AlertCollection implements CollectionProvider<Alert> {
    static final String ID = "alerts";

    static final Queryable STATUS =
            new Queryable(
                    "status",
                    "Only active alerts, or only cleared ones.",
                    Queryable.enumeration("active", "cleared"));
    static final Queryable RULE =
            new Queryable(
                    "rule", "Only alerts of this rule.", Queryable.string().put("minLength", 1));
    static final Queryable SEVERITY =
            new Queryable(
                    "severity",
                    "Only alerts of this severity (CAP's).",
                    Queryable.enumeration(
                            Arrays.stream(Severity.values())
                                    .map(Severity::id)
                                    .toArray(String[]::new)));
    static final Queryable SUBJECT_KIND =
            new Queryable(
                    "subject_kind",
                    "Only alerts about this kind of subject: an H3 cell, a district, the city or a"
                            + " sensor.",
                    Queryable.enumeration(
                            Arrays.stream(SubjectKind.values())
                                    .map(SubjectKind::id)
                                    .toArray(String[]::new)));
    static final Queryable SUBJECT_ID =
            new Queryable(
                    "subject_id",
                    "Only alerts about this subject: a cell address, district code, city id or"
                            + " sensor id.",
                    Queryable.string().put("minLength", 1));

    static final List<String> CSV_HEADER =
            List.of(
                    "id",
                    "rule",
                    "status",
                    "severity",
                    "metric",
                    "subject_kind",
                    "subject_id",
                    "subject_name",
                    "opened_at",
                    "updated_at",
                    "cleared_at",
                    "value",
                    "peak",
                    "threshold",
                    "unit",
                    "message",
                    "revision",
                    "geometry");

    private static final GeometryFactory POINTS = new GeometryFactory();

    private final AlertBook book;
    private final Zoning zoning;
    private final ReadingsMonitor monitor;
    private final StoredSensorPositions stored;
    private final CityArea area;

    /**
     * @param stored the positions stored with the alerts, or null without a history store
     */
    AlertCollection(
            AlertBook book,
            Zoning zoning,
            ReadingsMonitor monitor,
            StoredSensorPositions stored,
            CityArea area) {
        this.book = book;
        this.zoning = zoning;
        this.monitor = monitor;
        this.stored = stored;
        this.area = area;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Alerts";
    }

    @Override
    public String description() {
        return "Alerts raised by the stream job's rules (thresholds on zone aggregates, silent"
                + " sensors), each once at its newest revision. datetime matches the episode, from"
                + " opened_at to cleared_at. Also as CAP 1.2: /cap/alerts.atom.";
    }

    @Override
    public CityArea extent() {
        return area;
    }

    @Override
    public List<Queryable> queryables() {
        return List.of(STATUS, RULE, SEVERITY, SUBJECT_KIND, SUBJECT_ID);
    }

    @Override
    public Page<Alert> query(ItemQuery query) {
        Params p = query.params();
        AlertStatus status = p.choice(STATUS.name(), AlertStatus::byId, "active or cleared");
        Severity severity = p.choice(SEVERITY.name(), Severity::byId, Severity.ids());
        SubjectKind kind =
                p.choice(SUBJECT_KIND.name(), SubjectKind::byId, "h3, district, city or sensor");
        String rule = p.nonEmpty(RULE.name());
        String subject = p.nonEmpty(SUBJECT_ID.name());
        Params.BBox box = query.bbox();
        Params.Interval t = query.datetime();
        List<Alert> out = new ArrayList<>();
        for (Alert a : book.all()) {
            if ((status == null || a.status() == status)
                    && (severity == null || a.severity() == severity)
                    && (kind == null || a.subjectKind() == kind)
                    && (rule == null || rule.equals(a.rule()))
                    && (subject == null || subject.equals(a.subjectId()))
                    && (t == null || overlaps(a, t))
                    && (box == null || within(a, box))) {
                out.add(a);
            }
        }
        return Page.of(out, query);
    }

    @Override
    public Optional<Alert> get(String featureId) {
        return book.get(featureId);
    }

    /**
     * The subject's geometry: a zone's outline, a sensor's newest position from its readings or
     * else the stored one, or null. Never waits for the store.
     */
    Geometry geometry(Alert a) {
        if (a.subjectKind() == SubjectKind.SENSOR) {
            ReadingsMonitor.SensorState s = monitor == null ? null : monitor.sensor(a.subjectId());
            if (s != null) {
                return POINTS.createPoint(new Coordinate(s.lon(), s.lat()));
            }
            return stored == null ? null : stored.position(a);
        }
        try {
            return zoning.geometry(ZoneKind.valueOf(a.subjectKind().name()), a.subjectId());
        } catch (IllegalArgumentException e) {
            return null; // a zone of another zoning than the dashboard's
        }
    }

    @Override
    public ObjectNode feature(Alert a) {
        ObjectNode f = Json.object();
        f.put("type", "Feature");
        f.put("id", a.id());
        Geometry g = geometry(a);
        if (g == null) {
            f.putNull("geometry");
        } else {
            f.set("geometry", Json.geometry(g));
        }
        try {
            f.set("properties", Json.MAPPER.readTree(org.smartcity.core.alert.AlertJson.encode(a)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return f;
    }

    @Override
    public List<String> csvHeader() {
        return CSV_HEADER;
    }

    @Override
    public List<Object> csvRow(Alert a) {
        Geometry g = geometry(a);
        return List.of(
                a.id(),
                a.rule(),
                a.status().id(),
                a.severity().id(),
                a.metric().id(),
                a.subjectKind().id(),
                a.subjectId(),
                a.subjectName(),
                Json.time(a.openedAtMillis()),
                Json.time(a.updatedAtMillis()),
                a.clearedAtMillis() == null ? "" : Json.time(a.clearedAtMillis()),
                a.value(),
                a.peak(),
                a.threshold(),
                a.unit(),
                a.message(),
                a.revision(),
                g == null ? "" : g.toText());
    }

    private static boolean overlaps(Alert a, Params.Interval t) {
        Instant opened = Instant.ofEpochMilli(a.openedAtMillis());
        Instant cleared =
                a.clearedAtMillis() == null ? null : Instant.ofEpochMilli(a.clearedAtMillis());
        return (t.end() == null || !opened.isAfter(t.end()))
                && (cleared == null || t.start() == null || !cleared.isBefore(t.start()));
    }

    private boolean within(Alert a, Params.BBox box) {
        Geometry g = geometry(a);
        if (g == null) {
            return false;
        }
        Envelope e = g.getEnvelopeInternal();
        return e.intersects(new Envelope(box.minLon(), box.maxLon(), box.minLat(), box.maxLat()));
    }
}
