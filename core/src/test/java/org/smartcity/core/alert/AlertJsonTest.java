package org.smartcity.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;

/** The alert JSON of DESIGN.md, written and read back. */
class AlertJsonTest {
    /** 2026-12-04T07:00:00Z (date -u -d 2026-12-04T07:00:00Z +%s, times 1000). */
    private static final long OPENED = 1_796_367_600_000L;

    /** Two hours later, 09:00Z. */
    private static final long UPDATED = OPENED + 2 * 3_600_000L;

    private static Alert active() {
        return new Alert(
                "pm25-high|district|530102|1796367600000",
                "pm25-high",
                AlertStatus.ACTIVE,
                Severity.MODERATE,
                Metric.PM25,
                SubjectKind.DISTRICT,
                "530102",
                "Wuhua 五华区",
                OPENED,
                UPDATED,
                null,
                96.4,
                118.0,
                75.0,
                "ug/m3",
                "PM2.5 hourly mean 96.4 ug/m3 in Wuhua, above 75 (GB 3095-2012 Grade II)",
                3,
                List.of());
    }

    @Test
    void writesTheDesignsFields() {
        String json = new String(AlertJson.encode(active()), StandardCharsets.UTF_8);
        assertThat(json)
                .isEqualTo(
                        "{\"id\":\"pm25-high|district|530102|1796367600000\",\"rule\":\"pm25-high\","
                                + "\"status\":\"active\",\"severity\":\"moderate\",\"metric\":\"pm25\","
                                + "\"subject_kind\":\"district\",\"subject_id\":\"530102\","
                                + "\"subject_name\":\"Wuhua 五华区\","
                                + "\"opened_at\":\"2026-12-04T07:00:00Z\","
                                + "\"updated_at\":\"2026-12-04T09:00:00Z\",\"cleared_at\":null,"
                                + "\"value\":96.4,\"peak\":118.0,\"threshold\":75.0,\"unit\":\"ug/m3\","
                                + "\"message\":\"PM2.5 hourly mean 96.4 ug/m3 in Wuhua, above 75"
                                + " (GB 3095-2012 Grade II)\",\"revision\":3}");
    }

    @Test
    void readsWhatItWrites() {
        Alert a = active();
        assertThat(AlertJson.decode(AlertJson.encode(a))).isEqualTo(a);
        Alert cleared = a.cleared(UPDATED + 250, UPDATED + 250, 40.0, 118.0, "over");
        String json = new String(AlertJson.encode(cleared), StandardCharsets.UTF_8);
        assertThat(json).contains("\"cleared_at\":\"2026-12-04T09:00:00.250Z\"");
        assertThat(AlertJson.decode(AlertJson.encode(cleared))).isEqualTo(cleared);
    }

    @Test
    void theIdIsRuleSubjectAndOpeningTime() {
        assertThat(Alert.idOf("sensor-silent", SubjectKind.SENSOR, "km-pm25-0042", OPENED))
                .isEqualTo("sensor-silent|sensor|km-pm25-0042|1796367600000");
    }

    @Test
    void aClearedTimeGoesWithTheClearedStatusOnly() {
        Alert a = active();
        assertThatThrownBy(
                        () ->
                                new Alert(
                                        a.id(),
                                        a.rule(),
                                        AlertStatus.ACTIVE,
                                        a.severity(),
                                        a.metric(),
                                        a.subjectKind(),
                                        a.subjectId(),
                                        a.subjectName(),
                                        OPENED,
                                        UPDATED,
                                        UPDATED,
                                        1,
                                        1,
                                        1,
                                        "ug/m3",
                                        "m",
                                        1,
                                        List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesTheWrongField() {
        byte[] json =
                new String(AlertJson.encode(active()), StandardCharsets.UTF_8)
                        .replace("\"moderate\"", "\"dire\"")
                        .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> AlertJson.decode(json))
                .hasMessageContaining("'severity'")
                .hasMessageContaining("minor, moderate, severe, extreme");
    }

    @Test
    void capSeverities() {
        assertThat(Severity.EXTREME.cap()).isEqualTo("Extreme");
        assertThat(Severity.MINOR.compareTo(Severity.SEVERE)).isNegative();
    }
}
