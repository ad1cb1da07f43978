package org.smartcity.dashboard;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.SubjectKind;

/**
 * Alerts as OASIS CAP 1.2 for public warning systems (DESIGN.md, Alerts): one CAP {@code alert}
 * document per alert revision ({@code /cap/alerts/{id}.xml}, the newest) and an Atom 1.0 feed of
 * the active alerts and those cleared in the last 24 hours ({@code /cap/alerts.atom}).
 *
 * <p>Mapping: the first revision is a {@code msgType} {@code Alert}, a later one an {@code Update},
 * a cleared one a {@code Cancel} (urgency {@code Past}, response {@code AllClear}); an update or
 * cancel {@code references} the revision before it when the dashboard saw that one (CAP needs its
 * {@code sent} time). The message {@code identifier} is {@code {alert id}|r{revision}}, {@code
 * sent} the revision's {@code updated_at}. {@code status} {@code Actual}, {@code scope} {@code
 * Public}, {@code certainty} {@code Observed} (the alerts come from measurements). The area is the
 * subject: a zone's outline as CAP {@code polygon}s (latitude first, one per part), a sensor's
 * position as a {@code circle} of radius {@value #SENSOR_RADIUS_KM} km: the sensor's surroundings,
 * which is what its reading stands for; a circle of radius 0 is a point that no receiver can match
 * a place against.
 */
final class CapAlerts {
    static final String CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2";
    static final String ATOM_NS = "http://www.w3.org/2005/Atom";
    static final String CAP_TYPE = "application/cap+xml";
    static final String ATOM_TYPE = "application/atom+xml; charset=utf-8";

    /** The radius of a sensor's CAP {@code circle}, in kilometres (CAP's unit). */
    static final String SENSOR_RADIUS_KM = "0.1";

    /** How long a cleared alert stays in the feed. */
    static final long CLEARED_IN_FEED_MILLIS = 24 * 3_600_000L;

    /** CAP 1.2 dateTime: seconds, a numeric offset (CAP forbids "Z"). */
    private static final DateTimeFormatter CAP_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private final String cityId;

    CapAlerts(String cityId) {
        this.cityId = cityId;
    }

    /** The CAP sender: no spaces, commas, {@code <} or {@code &}. */
    String sender() {
        return "smartcity@" + cityId;
    }

    static String identifier(String alertId, int revision) {
        return alertId + "|r" + revision;
    }

    static String capTime(long epochMillis) {
        return CAP_TIME.format(Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS));
    }

    /** The path of an alert's CAP document under the base URL. */
    static String documentPath(String alertId) {
        return "/cap/alerts/" + URLEncoder.encode(alertId, StandardCharsets.UTF_8) + ".xml";
    }

    /** The CAP 1.2 document of {@code a}'s newest revision. */
    byte[] document(Alert a, Optional<Long> previousSent, Geometry area, String baseUrl) {
        return write(
                w -> {
                    w.writeStartDocument("UTF-8", "1.0");
                    w.setDefaultNamespace(CAP_NS);
                    w.writeStartElement(CAP_NS, "alert");
                    w.writeDefaultNamespace(CAP_NS);
                    text(w, "identifier", identifier(a.id(), a.revision()));
                    text(w, "sender", sender());
                    text(w, "sent", capTime(a.updatedAtMillis()));
                    text(w, "status", "Actual");
                    text(
                            w,
                            "msgType",
                            a.isCleared() ? "Cancel" : a.revision() == 1 ? "Alert" : "Update");
                    text(w, "scope", "Public");
                    if (a.revision() > 1 && previousSent.isPresent()) {
                        text(
                                w,
                                "references",
                                sender()
                                        + ","
                                        + identifier(a.id(), a.revision() - 1)
                                        + ","
                                        + capTime(previousSent.get()));
                    }
                    w.writeStartElement("info");
                    text(w, "language", "en-US");
                    for (String category : categories(a)) {
                        text(w, "category", category);
                    }
                    text(w, "event", a.rule());
                    text(w, "responseType", a.isCleared() ? "AllClear" : "Monitor");
                    text(w, "urgency", a.isCleared() ? "Past" : "Immediate");
                    text(w, "severity", a.severity().cap());
                    text(w, "certainty", "Observed");
                    text(w, "onset", capTime(a.openedAtMillis()));
                    text(w, "senderName", "Smart-city platform, " + cityId);
                    text(w, "headline", headline(a));
                    text(w, "description", a.message());
                    text(
                            w,
                            "web",
                            baseUrl
                                    + "/collections/alerts/items/"
                                    + URLEncoder.encode(a.id(), StandardCharsets.UTF_8));
                    parameter(w, "metric", a.metric().id());
                    parameter(w, "value", Double.toString(a.value()));
                    parameter(w, "peak", Double.toString(a.peak()));
                    parameter(w, "threshold", Double.toString(a.threshold()));
                    parameter(w, "unit", a.unit());
                    w.writeStartElement("area");
                    text(w, "areaDesc", a.subjectName());
                    if (area instanceof Point p) {
                        text(w, "circle", latLon(p.getCoordinate()) + " " + SENSOR_RADIUS_KM);
                    } else if (area != null) {
                        for (int i = 0; i < area.getNumGeometries(); i++) {
                            if (area.getGeometryN(i) instanceof Polygon poly) {
                                text(w, "polygon", ring(poly.getExteriorRing().getCoordinates()));
                            }
                        }
                    }
                    w.writeEndElement(); // area
                    w.writeEndElement(); // info
                    w.writeEndElement(); // alert
                    w.writeEndDocument();
                });
    }

    /** The Atom feed: active alerts and those cleared within a day of {@code nowMillis}. */
    byte[] feed(List<Alert> alerts, long nowMillis, String baseUrl) {
        List<Alert> entries =
                alerts.stream()
                        .filter(
                                a ->
                                        !a.isCleared()
                                                || a.clearedAtMillis()
                                                        >= nowMillis - CLEARED_IN_FEED_MILLIS)
                        .toList();
        long updated = entries.stream().mapToLong(Alert::updatedAtMillis).max().orElse(nowMillis);
        return write(
                w -> {
                    w.writeStartDocument("UTF-8", "1.0");
                    w.setDefaultNamespace(ATOM_NS);
                    w.writeStartElement(ATOM_NS, "feed");
                    w.writeDefaultNamespace(ATOM_NS);
                    text(w, "id", "urn:smartcity:" + cityId + ":alerts");
                    text(w, "title", "Alerts: " + cityId);
                    text(w, "updated", Json.time(updated));
                    link(
                            w,
                            "self",
                            ATOM_TYPE.substring(0, ATOM_TYPE.indexOf(';')),
                            baseUrl + "/cap/alerts.atom");
                    w.writeStartElement("author");
                    text(w, "name", "Smart-city platform, " + cityId);
                    w.writeEndElement();
                    for (Alert a : entries) {
                        w.writeStartElement("entry");
                        text(
                                w,
                                "id",
                                "urn:smartcity:"
                                        + cityId
                                        + ":alert:"
                                        + URLEncoder.encode(
                                                identifier(a.id(), a.revision()),
                                                StandardCharsets.UTF_8));
                        text(w, "title", headline(a));
                        text(w, "updated", Json.time(a.updatedAtMillis()));
                        link(w, "alternate", CAP_TYPE, baseUrl + documentPath(a.id()));
                        w.writeStartElement("category");
                        w.writeAttribute("term", a.severity().cap());
                        w.writeEndElement();
                        text(w, "summary", a.message());
                        w.writeEndElement();
                    }
                    w.writeEndElement();
                    w.writeEndDocument();
                });
    }

    /** A short line: severity, rule, subject and whether it is over. */
    static String headline(Alert a) {
        return a.severity().cap()
                + " "
                + a.rule()
                + (a.isCleared() ? " cleared: " : ": ")
                + a.subjectName();
    }

    /** CAP categories: air and noise are Env (and Health for air), water levels Met (floods). */
    static List<String> categories(Alert a) {
        if (a.subjectKind() == SubjectKind.SENSOR && a.unit().equals("min")) {
            return List.of("Infra"); // a silent sensor: the monitoring network itself
        }
        Metric m = a.metric();
        return switch (m) {
            case PM25, PM10, NO2, O3 -> List.of("Env", "Health");
            case NOISE -> List.of("Env");
            case WATER_LEVEL, TEMPERATURE, HUMIDITY -> List.of("Met");
            case TRAFFIC -> List.of("Transport");
        };
    }

    private static String ring(Coordinate[] cs) {
        StringBuilder b = new StringBuilder();
        for (Coordinate c : cs) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(latLon(c));
        }
        return b.toString();
    }

    /** CAP's WGS 84 pair, latitude first. */
    private static String latLon(Coordinate c) {
        return String.format(Locale.ROOT, "%.6f,%.6f", c.y, c.x);
    }

    private static void parameter(XMLStreamWriter w, String name, String value)
            throws XMLStreamException {
        w.writeStartElement("parameter");
        text(w, "valueName", name);
        text(w, "value", value);
        w.writeEndElement();
    }

    private static void link(XMLStreamWriter w, String rel, String type, String href)
            throws XMLStreamException {
        w.writeStartElement("link");
        w.writeAttribute("rel", rel);
        w.writeAttribute("type", type);
        w.writeAttribute("href", href);
        w.writeEndElement();
    }

    private static void text(XMLStreamWriter w, String name, String value)
            throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(value);
        w.writeEndElement();
    }

    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
            body.write(w);
            w.flush();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write XML", e);
        }
        return out.toByteArray();
    }
}
