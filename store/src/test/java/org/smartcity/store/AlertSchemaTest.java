package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.alert.TestAlerts;
import org.smartcity.core.zoning.ZoneKind;

/** An alert feature read back with the position it was stored at. */
class AlertSchemaTest {
    private static final GeometryFactory GEOMETRIES = new GeometryFactory();
    private static final SimpleFeatureType TYPE = AlertSchema.featureType(Map.of());
    private static final long OPENED = Instant.parse("2026-12-04T07:00:00Z").toEpochMilli();

    @Test
    void aSensorAlertStoredAtAPointIsReadBackThere() {
        Alert a = TestAlerts.silentSensor("km-1").opened(OPENED).build();
        LocatedAlert located =
                AlertSchema.located(
                        AlertSchema.toFeature(
                                TYPE,
                                a,
                                GEOMETRIES.createPoint(new Coordinate(102.712398, 25.040612))));

        assertThat(located).isEqualTo(LocatedAlert.at(a, 25.040612, 102.712398));
    }

    @Test
    void withoutAPointThereIsNoPosition() {
        Alert a = TestAlerts.silentSensor("km-1").opened(OPENED).build();
        assertThat(AlertSchema.located(AlertSchema.toFeature(TYPE, a, null)))
                .isEqualTo(LocatedAlert.of(a));
        // A zone's outline is not a sensor's position.
        assertThat(
                        AlertSchema.located(
                                        AlertSchema.toFeature(
                                                TYPE,
                                                a,
                                                TestZones.geometry(
                                                        ZoneKind.DISTRICT, TestZones.WUHUA)))
                                .hasPosition())
                .isFalse();
    }
}
