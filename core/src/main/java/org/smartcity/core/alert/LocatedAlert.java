package org.smartcity.core.alert;

import java.util.Objects;

/**
 * An alert revision with the position of its subject when the subject is a sensor: what the stores
 * of alerts need to give a sensor alert a geometry. Only the stream job's path to the stores
 * carries it; the alert's JSON (DESIGN.md, Alerts) does not, so the alerts topic is unchanged. A
 * zone's geometry comes from the zoning instead, so a zone alert has no position here.
 *
 * @param alert the revision
 * @param lat the sensor's latitude (WGS 84) when the alert was made; {@code null} for a zone alert
 *     or a sensor whose position is not known
 * @param lon the sensor's longitude, {@code null} exactly when {@code lat} is
 */
public record LocatedAlert(Alert alert, Double lat, Double lon) {

    public LocatedAlert {
        Objects.requireNonNull(alert, "alert");
        if ((lat == null) != (lon == null)) {
            throw new IllegalArgumentException("lat and lon are both set or both null");
        }
    }

    /** {@code a} without a position: a zone alert, or a sensor's whose position is unknown. */
    public static LocatedAlert of(Alert a) {
        return new LocatedAlert(a, null, null);
    }

    /** {@code a}, about a sensor at ({@code lat}, {@code lon}). */
    public static LocatedAlert at(Alert a, double lat, double lon) {
        return new LocatedAlert(a, lat, lon);
    }

    /** Whether the sensor's position is known. */
    public boolean hasPosition() {
        return lat != null;
    }

    /** The alert id, which the stores use as the feature id. */
    public String id() {
        return alert.id();
    }
}
