package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.TestAlerts;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The CAP 1.2 documents against the OASIS standard (CAP v1.2, 2010, section 3.2: every element's
 * order, cardinality and value list, checked here by hand because no copy of the schema can be had
 * offline), and the Atom feed as a feed reader that nobody here wrote (Rome) reads it.
 */
class CapAlertsTest {
    private static final String BASE = "https://maps.example.org";

    /** 2026-12-04T07:00:00Z. */
    private static final long OPENED = Instant.parse("2026-12-04T07:00:00Z").toEpochMilli();

    private static final long UPDATED = Instant.parse("2026-12-04T09:00:00Z").toEpochMilli();

    private static final CapAlerts CAP = new CapAlerts("kunming");
    private static final Zoning ZONING = Zoning.kunming();

    // ---- CAP 1.2, section 3.2: the element sequences of alert, info, area, parameter

    private static final Pattern ALERT_SEQUENCE =
            Pattern.compile(
                    "identifier sender sent status msgType (source )?scope (restriction )?"
                            + "(addresses )?(code )*(note )?(references )?(incidents )?(info )*");
    private static final Pattern INFO_SEQUENCE =
            Pattern.compile(
                    "(language )?(category )+event (responseType )*urgency severity certainty"
                            + " (audience )?(eventCode )*(effective )?(onset )?(expires )?"
                            + "(senderName )?(headline )?(description )?(instruction )?(web )?"
                            + "(contact )?(parameter )*(resource )*(area )*");
    private static final Pattern AREA_SEQUENCE =
            Pattern.compile("areaDesc (polygon )*(circle )*(geocode )*(altitude )?(ceiling )?");
    private static final Pattern PARAMETER_SEQUENCE = Pattern.compile("valueName value ");

    // ---- the value lists
    private static final Set<String> STATUS =
            Set.of("Actual", "Exercise", "System", "Test", "Draft");
    private static final Set<String> MSG_TYPE = Set.of("Alert", "Update", "Cancel", "Ack", "Error");
    private static final Set<String> SCOPE = Set.of("Public", "Restricted", "Private");
    private static final Set<String> CATEGORY =
            Set.of(
                    "Geo",
                    "Met",
                    "Safety",
                    "Security",
                    "Rescue",
                    "Fire",
                    "Health",
                    "Env",
                    "Transport",
                    "Infra",
                    "CBRNE",
                    "Other");
    private static final Set<String> RESPONSE_TYPE =
            Set.of(
                    "Shelter",
                    "Evacuate",
                    "Prepare",
                    "Execute",
                    "Avoid",
                    "Monitor",
                    "Assess",
                    "AllClear",
                    "None");
    private static final Set<String> URGENCY =
            Set.of("Immediate", "Expected", "Future", "Past", "Unknown");
    private static final Set<String> SEVERITY =
            Set.of("Extreme", "Severe", "Moderate", "Minor", "Unknown");
    private static final Set<String> CERTAINTY =
            Set.of("Observed", "Likely", "Possible", "Unlikely", "Unknown");

    /** CAP dateTime: no "Z", no fractions (section 3.3.2). */
    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[-+]\\d\\d:\\d\\d");

    /** identifier, sender: no spaces, commas or restricted characters (< and &). */
    private static final Pattern NO_SPACE_COMMA = Pattern.compile("[^\\s,<&]+");

    @Test
    void aDistrictAlertIsAValidCapAlertWithTheDistrictsOutline() throws Exception {
        Alert a = districtAlert(AlertStatus.ACTIVE, null, 1);
        Geometry outline = ZONING.geometry(ZoneKind.DISTRICT, "530102");
        Element alert = parse(CAP.document(a, Optional.empty(), outline, BASE));

        assertValidCap(alert);
        assertThat(text(alert, "identifier"))
                .isEqualTo("pm25-high|district|530102|1796367600000|r1");
        assertThat(text(alert, "sender")).isEqualTo("smartcity@kunming");
        assertThat(text(alert, "sent")).isEqualTo("2026-12-04T09:00:00+00:00");
        assertThat(text(alert, "msgType")).isEqualTo("Alert");
        Element info = child(alert, "info");
        assertThat(children(info, "category"))
                .extracting(Node::getTextContent)
                .containsExactly("Env", "Health");
        assertThat(text(info, "severity")).isEqualTo("Moderate");
        assertThat(text(info, "urgency")).isEqualTo("Immediate");
        assertThat(text(info, "onset")).isEqualTo("2026-12-04T07:00:00+00:00");
        assertThat(text(info, "description")).isEqualTo(a.message());
        assertThat(text(info, "web"))
                .isEqualTo(
                        BASE
                                + "/collections/alerts/items/pm25-high%7Cdistrict%7C530102%7C1796367600000");
        Element area = child(info, "area");
        assertThat(text(area, "areaDesc")).isEqualTo("Wuhua 五华区");
        List<Element> polygons = children(area, "polygon");
        assertThat(polygons).hasSize(outline.getNumGeometries());
        // The first pair is the outline's first vertex, latitude first.
        Coordinate first = outline.getGeometryN(0).getCoordinates()[0];
        assertThat(polygons.get(0).getTextContent())
                .startsWith(String.format(java.util.Locale.ROOT, "%.6f,%.6f ", first.y, first.x));
    }

    @Test
    void aChangeIsAnUpdateAndTheEndACancelReferencingTheRevisionBefore() throws Exception {
        Element update =
                parse(
                        CAP.document(
                                districtAlert(AlertStatus.ACTIVE, null, 2),
                                Optional.of(OPENED + 3_600_000L),
                                null,
                                BASE));
        assertValidCap(update);
        assertThat(text(update, "msgType")).isEqualTo("Update");
        assertThat(text(update, "references"))
                .isEqualTo(
                        "smartcity@kunming,pm25-high|district|530102|1796367600000|r1,2026-12-04T08:00:00+00:00");

        Element cancel =
                parse(
                        CAP.document(
                                districtAlert(AlertStatus.CLEARED, UPDATED, 3),
                                Optional.of(UPDATED - 1_800_000L),
                                null,
                                BASE));
        assertValidCap(cancel);
        assertThat(text(cancel, "msgType")).isEqualTo("Cancel");
        assertThat(text(child(cancel, "info"), "urgency")).isEqualTo("Past");
        assertThat(text(child(cancel, "info"), "responseType")).isEqualTo("AllClear");
        assertThat(text(cancel, "references")).endsWith("|r2,2026-12-04T08:30:00+00:00");
    }

    @Test
    void aSilentSensorIsACircleAtItsPosition() throws Exception {
        Alert a = sensorAlert();
        Geometry point = new GeometryFactory().createPoint(new Coordinate(102.7123, 25.0406));
        Element alert = parse(CAP.document(a, Optional.empty(), point, BASE));
        assertValidCap(alert);
        Element info = child(alert, "info");
        assertThat(children(info, "category"))
                .extracting(Node::getTextContent)
                .containsExactly("Infra");
        assertThat(text(child(info, "area"), "circle")).isEqualTo("25.040600,102.712300 0.1");
        // Milliseconds are cut: CAP times have none.
        assertThat(text(alert, "sent")).isEqualTo("2026-12-04T07:10:00+00:00");
    }

    @Test
    void anAtomReaderReadsTheFeedOfActiveAndRecentlyClearedAlerts() throws Exception {
        long now = UPDATED + 3_600_000L;
        Alert active = districtAlert(AlertStatus.ACTIVE, null, 1);
        Alert clearedToday = sensorCleared(now - 23 * 3_600_000L);
        Alert clearedLongAgo = sensorCleared(now - 25 * 3_600_000L);
        byte[] atom = CAP.feed(List.of(active, clearedToday, clearedLongAgo), now, BASE);

        SyndFeed feed =
                new SyndFeedInput()
                        .build(new StringReader(new String(atom, StandardCharsets.UTF_8)));
        assertThat(feed.getFeedType()).isEqualTo("atom_1.0");
        assertThat(feed.getUri()).isEqualTo("urn:smartcity:kunming:alerts");
        assertThat(feed.getEntries()).hasSize(2);
        SyndEntry first = feed.getEntries().get(0);
        assertThat(first.getTitle()).isEqualTo("Moderate pm25-high: Wuhua 五华区");
        assertThat(first.getUpdatedDate().toInstant()).isEqualTo(Instant.ofEpochMilli(UPDATED));
        assertThat(first.getLinks()).hasSize(1);
        assertThat(first.getLinks().get(0).getType()).isEqualTo("application/cap+xml");
        assertThat(first.getLinks().get(0).getHref())
                .isEqualTo(BASE + "/cap/alerts/pm25-high%7Cdistrict%7C530102%7C1796367600000.xml");
        assertThat(feed.getEntries().get(1).getTitle())
                .isEqualTo("Minor sensor-silent cleared: km-pm25-0042");
    }

    // ---------------------------------------------------------------- the CAP check

    private static void assertValidCap(Element alert) {
        assertThat(alert.getNamespaceURI()).isEqualTo("urn:oasis:names:tc:emergency:cap:1.2");
        assertThat(alert.getLocalName()).isEqualTo("alert");
        assertThat(sequence(alert)).matches(ALERT_SEQUENCE);
        assertThat(text(alert, "identifier")).matches(NO_SPACE_COMMA);
        assertThat(text(alert, "sender")).matches(NO_SPACE_COMMA);
        assertThat(text(alert, "sent")).matches(DATE_TIME);
        assertThat(STATUS).contains(text(alert, "status"));
        assertThat(MSG_TYPE).contains(text(alert, "msgType"));
        assertThat(SCOPE).contains(text(alert, "scope"));
        for (Element ref : children(alert, "references")) {
            for (String group : ref.getTextContent().split(" ")) {
                String[] parts = group.split(",");
                assertThat(parts).hasSize(3);
                assertThat(parts[2]).matches(DATE_TIME);
            }
        }
        for (Element info : children(alert, "info")) {
            assertThat(sequence(info)).matches(INFO_SEQUENCE);
            children(info, "category")
                    .forEach(c -> assertThat(CATEGORY).contains(c.getTextContent()));
            children(info, "responseType")
                    .forEach(c -> assertThat(RESPONSE_TYPE).contains(c.getTextContent()));
            assertThat(URGENCY).contains(text(info, "urgency"));
            assertThat(SEVERITY).contains(text(info, "severity"));
            assertThat(CERTAINTY).contains(text(info, "certainty"));
            for (String time : List.of("effective", "onset", "expires")) {
                children(info, time)
                        .forEach(t -> assertThat(t.getTextContent()).matches(DATE_TIME));
            }
            children(info, "parameter")
                    .forEach(p -> assertThat(sequence(p)).matches(PARAMETER_SEQUENCE));
            for (Element area : children(info, "area")) {
                assertThat(sequence(area)).matches(AREA_SEQUENCE);
                for (Element polygon : children(area, "polygon")) {
                    String[] pairs = polygon.getTextContent().split(" ");
                    // "at least four coordinate pairs", the first and last the same
                    assertThat(pairs.length).isGreaterThanOrEqualTo(4);
                    assertThat(pairs[0]).isEqualTo(pairs[pairs.length - 1]);
                    for (String pair : pairs) {
                        assertLatLon(pair);
                    }
                }
                for (Element circle : children(area, "circle")) {
                    String[] parts = circle.getTextContent().split(" ");
                    assertThat(parts).hasSize(2);
                    assertLatLon(parts[0]);
                    assertThat(Double.parseDouble(parts[1])).isGreaterThanOrEqualTo(0);
                }
            }
        }
    }

    private static void assertLatLon(String pair) {
        String[] ll = pair.split(",");
        assertThat(ll).hasSize(2);
        assertThat(Double.parseDouble(ll[0])).isBetween(-90.0, 90.0);
        assertThat(Double.parseDouble(ll[1])).isBetween(-180.0, 180.0);
    }

    private static Element parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        return d.getDocumentElement();
    }

    /** The element's children's local names, each followed by a space; all in the CAP namespace. */
    private static String sequence(Element e) {
        StringBuilder b = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                assertThat(c.getNamespaceURI()).as(c.getLocalName()).isEqualTo(CapAlerts.CAP_NS);
                b.append(c.getLocalName()).append(' ');
            }
        }
        return b.toString();
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getLocalName().equals(name)) {
                out.add(c);
            }
        }
        return out;
    }

    private static Element child(Element e, String name) {
        List<Element> found = children(e, name);
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    private static String text(Element e, String name) {
        return child(e, name).getTextContent();
    }

    // ---------------------------------------------------------------- alerts

    private static Alert districtAlert(AlertStatus status, Long clearedAt, int revision) {
        return TestAlerts.pm25("530102")
                .subjectName("Wuhua 五华区")
                .opened(OPENED)
                .updated(UPDATED)
                .status(status)
                .cleared(clearedAt)
                .value(96.4)
                .peak(118.0)
                .message(
                        "PM2.5 hourly mean 96.4 ug/m3 in Wuhua 五华区, above 75 (GB 3095-2012"
                                + " Grade II)")
                .revision(revision)
                .build();
    }

    private static Alert sensorAlert() {
        long opened = Instant.parse("2026-12-04T07:10:00.250Z").toEpochMilli();
        return TestAlerts.silentSensor("km-pm25-0042").opened(opened).build();
    }

    private static Alert sensorCleared(long clearedAt) {
        return TestAlerts.silentSensor("km-pm25-0042")
                .opened(clearedAt - 600_000)
                .cleared(clearedAt)
                .value(20)
                .message("Back")
                .revision(2)
                .build();
    }
}
