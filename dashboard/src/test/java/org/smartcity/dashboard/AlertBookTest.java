package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.core.alert.TestAlerts;

/**
 * What the CAP feed notifies: a district roll-up instead of the cell alerts it lists, while it is
 * active; the collection keeps every alert.
 */
class AlertBookTest {

    @Test
    void cellAlertsListedByAnActiveRollupAreNotifiedThroughIt() {
        AlertBook book = new AlertBook();
        Alert c1 = alert("noise-high", SubjectKind.H3, "c1", 3, 1, AlertStatus.ACTIVE, List.of());
        Alert c2 = alert("noise-high", SubjectKind.H3, "c2", 2, 1, AlertStatus.ACTIVE, List.of());
        Alert c3 = alert("noise-high", SubjectKind.H3, "c3", 1, 1, AlertStatus.ACTIVE, List.of());
        // Another rule's alert on a listed cell is not the roll-up's.
        Alert other = alert("pm25-cell", SubjectKind.H3, "c1", 4, 1, AlertStatus.ACTIVE, List.of());
        for (Alert a : List.of(c1, c2, c3, other)) {
            book.offer(a);
        }
        assertThat(book.notifiable()).containsExactly(other, c1, c2, c3);

        Alert rollup =
                alert(
                        "noise-high",
                        SubjectKind.DISTRICT,
                        "530102",
                        0,
                        1,
                        AlertStatus.ACTIVE,
                        List.of("c1", "c2"));
        book.offer(rollup);
        assertThat(book.notifiable()).containsExactly(other, c3, rollup);
        assertThat(book.all()).containsExactly(other, c1, c2, c3, rollup);

        Alert cleared =
                alert(
                        "noise-high",
                        SubjectKind.DISTRICT,
                        "530102",
                        0,
                        2,
                        AlertStatus.CLEARED,
                        List.of("c1", "c2"));
        book.offer(cleared);
        assertThat(book.notifiable()).containsExactly(other, c1, c2, c3, cleared);

        // What the dashboard.alerts.active gauge reads: all but the cleared roll-up.
        assertThat(book.active()).isEqualTo(4);
    }

    private static Alert alert(
            String rule,
            SubjectKind kind,
            String subject,
            long opened,
            int revision,
            AlertStatus status,
            List<String> cells) {
        return TestAlerts.noise(kind, subject)
                .rule(rule)
                .opened(opened)
                .updated(opened + revision)
                .cleared(status == AlertStatus.CLEARED ? opened + revision : null)
                .revision(revision)
                .cells(cells)
                .build();
    }
}
