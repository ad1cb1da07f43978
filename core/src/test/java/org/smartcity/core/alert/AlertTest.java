package org.smartcity.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The next revisions of an alert: what changes, and the episode's identity that does not. */
class AlertTest {
    /** 2026-12-04T07:00:00Z. */
    private static final long OPENED = 1_796_367_600_000L;

    private static final long HOUR = 3_600_000L;

    private static final String ID = "noise-high|district|530103|1796367600000";

    private static final List<String> CELLS =
            List.of("8a4b2c000000000", "8a4b2c000000001", "8a4b2c000000002");

    /** Revision 3 of a district roll-up, so that its cells are part of what must stay. */
    private static Alert rollup() {
        return panlong(
                AlertStatus.ACTIVE,
                Severity.MINOR,
                OPENED + HOUR,
                null,
                71.0,
                73.5,
                70.0,
                "3 H3 cells of Panlong 盘龙区 alert on noise-high",
                3);
    }

    /** A revision of the roll-up's episode: its identity spelled out once, here. */
    private static Alert panlong(
            AlertStatus status,
            Severity severity,
            long updated,
            Long cleared,
            double value,
            double peak,
            double threshold,
            String message,
            int revision) {
        return TestAlerts.noise(SubjectKind.DISTRICT, "530103")
                .subjectName("Panlong 盘龙区")
                .opened(OPENED)
                .status(status)
                .severity(severity)
                .updated(updated)
                .cleared(cleared)
                .value(value)
                .peak(peak)
                .threshold(threshold)
                .message(message)
                .revision(revision)
                .cells(CELLS)
                .build();
    }

    @Test
    void aRevisionChangesWhatItIsGivenAndKeepsTheEpisode() {
        Alert next =
                rollup().revised(
                                Severity.MODERATE,
                                OPENED + 2 * HOUR,
                                76.0,
                                76.0,
                                75.0,
                                "Noise 76 dB(A) in Panlong 盘龙区, above 75");

        assertThat(next)
                .isEqualTo(
                        panlong(
                                AlertStatus.ACTIVE,
                                Severity.MODERATE,
                                OPENED + 2 * HOUR,
                                null,
                                76.0,
                                76.0,
                                75.0,
                                "Noise 76 dB(A) in Panlong 盘龙区, above 75",
                                4));
        assertThat(next.isNewerThan(rollup())).isTrue();
    }

    @Test
    void clearingKeepsTheSeverityAndThresholdAndMayDateTheEndEarlier() {
        Alert last =
                rollup().cleared(
                                OPENED + 3 * HOUR,
                                OPENED + 2 * HOUR,
                                64.0,
                                73.5,
                                "Noise 64 dB(A) in Panlong 盘龙区, below 65 again (peak 73.5)");

        assertThat(last)
                .isEqualTo(
                        panlong(
                                AlertStatus.CLEARED,
                                Severity.MINOR,
                                OPENED + 3 * HOUR,
                                OPENED + 2 * HOUR,
                                64.0,
                                73.5,
                                70.0,
                                "Noise 64 dB(A) in Panlong 盘龙区, below 65 again (peak 73.5)",
                                4));
        assertThat(last.isCleared()).isTrue();
    }

    @Test
    void aClearedAlertHasNoNextRevision() {
        Alert last = rollup().cleared(OPENED + 2 * HOUR, OPENED + 2 * HOUR, 60.0, 73.5, "over");

        assertThatThrownBy(() -> last.revised(Severity.MINOR, OPENED + 3 * HOUR, 71, 71, 70, "m"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("alert " + ID + " is cleared: it has no next revision");
        assertThatThrownBy(() -> last.cleared(OPENED + 3 * HOUR, OPENED + 3 * HOUR, 60, 73.5, "m"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNewerValueAndPeakAreNoNewRevision() {
        assertThat(rollup().withValueAndPeak(72.0, 74.0))
                .isEqualTo(
                        panlong(
                                AlertStatus.ACTIVE,
                                Severity.MINOR,
                                OPENED + HOUR,
                                null,
                                72.0,
                                74.0,
                                70.0,
                                "3 H3 cells of Panlong 盘龙区 alert on noise-high",
                                3));
    }
}
