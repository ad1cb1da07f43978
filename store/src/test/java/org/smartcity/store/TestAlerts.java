package org.smartcity.store;

import java.util.List;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;

/**
 * Readable silent-sensor alerts, as the job's rule {@code sensor-silent} (PM2.5, 10 min) makes
 * them, for the tests of what the stores hold and the dashboard serves.
 */
public final class TestAlerts {

    private TestAlerts() {}

    /** {@code sensorId}'s active alert opened at {@code opened}, at {@code revision}. */
    public static Alert silent(String sensorId, long opened, int revision) {
        return silent(sensorId, opened, revision, AlertStatus.ACTIVE, null);
    }

    /**
     * {@code sensorId}'s alert opened at {@code opened}: revision n made n - 1 minutes after the
     * opening, or at {@code cleared} when cleared.
     */
    public static Alert silent(
            String sensorId, long opened, int revision, AlertStatus status, Long cleared) {
        return new Alert(
                "sensor-silent|sensor|" + sensorId + "|" + opened,
                "sensor-silent",
                status,
                Severity.MINOR,
                Metric.PM25,
                SubjectKind.SENSOR,
                sensorId,
                sensorId,
                opened,
                cleared == null ? opened + (revision - 1) * 60_000L : cleared,
                cleared,
                10,
                10,
                10,
                "min",
                "No reading from sensor " + sensorId + " for more than 10 min",
                revision,
                List.of());
    }
}
