package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.api.filter.Filter;
import org.junit.jupiter.api.Test;
import org.smartcity.core.alert.TestAlerts;

/** What the stored positions of sensor alerts are asked of the store by. */
class AlertQueriesTest {
    private static final SimpleFeatureType TYPE = AlertSchema.featureType(Map.of());
    private static final long OPENED = Instant.parse("2026-12-04T07:00:00Z").toEpochMilli();

    @Test
    void aFewSensorsArePickedOutByTheStoreFilter() {
        Filter filter =
                AlertQueries.sensorFilter(Set.of("km-1", "km-2"), Long.MIN_VALUE, Long.MAX_VALUE);

        assertThat(filter.evaluate(sensorAlert("km-1"))).isTrue();
        assertThat(filter.evaluate(sensorAlert("km-2"))).isTrue();
        assertThat(filter.evaluate(sensorAlert("km-3"))).isFalse();
        // A zone with a sensor's id is not that sensor.
        assertThat(filter.evaluate(zoneAlert("km-1"))).isFalse();
        assertThat(
                        AlertQueries.sensorFilter(Set.of("km-1"), Long.MIN_VALUE, Long.MAX_VALUE)
                                .evaluate(sensorAlert("km-1")))
                .isTrue();
    }

    @Test
    void manySensorsAreReadAsAllSensorAlertsAndPickedOutAfterwards() {
        Set<String> many = new HashSet<>();
        IntStream.rangeClosed(1, AlertQueries.MAX_IDS_IN_FILTER + 1)
                .forEach(i -> many.add("km-" + i));
        Filter filter = AlertQueries.sensorFilter(many, Long.MIN_VALUE, Long.MAX_VALUE);

        assertThat(filter.evaluate(sensorAlert("km-1"))).isTrue();
        assertThat(filter.evaluate(sensorAlert("elsewhere"))).isTrue();
        assertThat(filter.evaluate(zoneAlert("km-1"))).isFalse();
    }

    @Test
    void aBoundOnTheOpeningTimeLeavesOutAlertsOpenedBefore() {
        Filter few = AlertQueries.sensorFilter(Set.of("km-1"), OPENED, Long.MAX_VALUE);
        Set<String> many = new HashSet<>();
        IntStream.rangeClosed(1, AlertQueries.MAX_IDS_IN_FILTER + 1)
                .forEach(i -> many.add("km-" + i));
        Filter all = AlertQueries.sensorFilter(many, OPENED, Long.MAX_VALUE);

        for (Filter filter : new Filter[] {few, all}) {
            assertThat(filter.evaluate(sensorAlert("km-1", OPENED))).isTrue();
            assertThat(filter.evaluate(sensorAlert("km-1", OPENED + 1))).isTrue();
            assertThat(filter.evaluate(sensorAlert("km-1", OPENED - 1))).isFalse();
            assertThat(filter.evaluate(zoneAlert("km-1"))).isFalse();
        }
        assertThat(few.evaluate(sensorAlert("km-2", OPENED))).isFalse();
    }

    private static SimpleFeature sensorAlert(String sensor) {
        return sensorAlert(sensor, OPENED);
    }

    private static SimpleFeature sensorAlert(String sensor, long opened) {
        return AlertSchema.toFeature(
                TYPE, TestAlerts.silentSensor(sensor).opened(opened).build(), null);
    }

    private static SimpleFeature zoneAlert(String zoneId) {
        return AlertSchema.toFeature(TYPE, TestAlerts.pm25(zoneId).opened(OPENED).build(), null);
    }
}
