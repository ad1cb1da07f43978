package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.smartcity.core.CityArea;
import org.smartcity.core.Metric;
import org.smartcity.dashboard.ReadingsMonitor.SensorState;

/**
 * {@value #ID}: each sensor's newest reading and whether it is active or silent (not heard from
 * within {@code --dashboard-silent-after}), from the {@link ReadingsMonitor}, sorted by sensor id.
 * {@code datetime} filters on the reading time, {@code bbox} on the position.
 */
final class SensorCollection implements CollectionProvider<SensorState> {
    static final String ID = "sensors";

    static final Queryable STATUS =
            new Queryable(
                    "status",
                    "Only sensors heard from recently (active) or not (silent).",
                    Queryable.enumeration("active", "silent"));

    /** The CSV columns; {@code geometry} is the position as WKT. */
    static final List<String> CSV_HEADER =
            List.of(
                    "id",
                    "sensor_id",
                    "metric",
                    "value",
                    "unit",
                    "ts",
                    "last_seen",
                    "status",
                    "geometry");

    private final ReadingsMonitor monitor;
    private final CityArea area;

    SensorCollection(ReadingsMonitor monitor, CityArea area) {
        this.monitor = monitor;
        this.area = area;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Sensors";
    }

    @Override
    public String description() {
        return "Each sensor's newest reading and status (active, or silent when not heard from"
                + " recently). datetime filters on the reading time.";
    }

    @Override
    public CityArea extent() {
        return area;
    }

    @Override
    public List<Queryable> queryables() {
        return List.of(Queryable.METRIC, STATUS);
    }

    @Override
    public Page<SensorState> query(ItemQuery query) {
        Params p = query.params();
        Metric metric = p.metric();
        String status =
                p.choice(
                        STATUS.name(),
                        v -> Optional.of(v).filter(Set.of("active", "silent")::contains),
                        "active or silent");
        Params.BBox box = query.bbox();
        Params.Interval t = query.datetime();
        long now = monitor.nowMillis();
        List<SensorState> out = new ArrayList<>();
        for (SensorState s : monitor.sensors()) {
            if ((box == null || box.contains(s.lon(), s.lat()))
                    && (t == null || t.contains(Instant.ofEpochMilli(s.tsMillis())))
                    && (metric == null || metric == s.metric())
                    && (status == null || status.equals(statusOf(s, now)))) {
                out.add(s);
            }
        }
        return Page.of(out, query);
    }

    @Override
    public Optional<SensorState> get(String featureId) {
        return Optional.ofNullable(monitor.sensor(featureId));
    }

    private String statusOf(SensorState s, long now) {
        return monitor.isActive(s, now) ? "active" : "silent";
    }

    @Override
    public ObjectNode feature(SensorState s) {
        ObjectNode f = Json.object();
        f.put("type", "Feature");
        f.put("id", s.sensorId());
        ObjectNode g = f.putObject("geometry");
        g.put("type", "Point");
        g.putArray("coordinates").add(s.lon()).add(s.lat());
        ObjectNode p = f.putObject("properties");
        p.put("sensor_id", s.sensorId());
        p.put("metric", s.metric().id());
        Json.putNumber(p, "value", s.value());
        p.put("unit", s.metric().unit());
        p.put("ts", Json.time(s.tsMillis()));
        p.put("last_seen", Json.time(s.lastSeenMillis()));
        p.put("status", statusOf(s, monitor.nowMillis()));
        return f;
    }

    @Override
    public List<String> csvHeader() {
        return CSV_HEADER;
    }

    @Override
    public List<Object> csvRow(SensorState s) {
        return List.of(
                s.sensorId(),
                s.sensorId(),
                s.metric().id(),
                s.value(),
                s.metric().unit(),
                Json.time(s.tsMillis()),
                Json.time(s.lastSeenMillis()),
                statusOf(s, monitor.nowMillis()),
                "POINT (" + s.lon() + " " + s.lat() + ")");
    }
}
