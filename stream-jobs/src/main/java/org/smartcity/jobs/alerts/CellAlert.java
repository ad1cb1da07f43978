package org.smartcity.jobs.alerts;

import org.smartcity.core.alert.Alert;

/**
 * An H3 cell's alert with the district the cell lies in, on its way to the district roll-up.
 *
 * @param districtId the district's code
 * @param alert a revision of the cell's alert
 */
public record CellAlert(String districtId, Alert alert) {

    /** The roll-up's key: one state per rule and district. */
    public String key() {
        return alert.rule() + "|" + districtId;
    }
}
