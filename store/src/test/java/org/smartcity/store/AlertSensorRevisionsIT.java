package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.geotools.api.data.DataStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.GeometryFactory;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.alert.TestAlerts;

/**
 * {@link AlertQueries#sensorRevisions} against a GeoMesa FileSystem history (Parquet, daily
 * partitions by opening time): the revisions of the asked sensors' alerts opened within the bounds,
 * both bounds included, whether the store or the caller picks the sensors out.
 */
class AlertSensorRevisionsIT {
    private static final Instant DAY0 = Instant.parse("2026-11-20T00:00:00Z");
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final GeometryFactory POINTS = new GeometryFactory();

    @TempDir Path dir;

    private DataStore store;

    /** What was written: every revision, sensor alerts with their positions. */
    private final List<LocatedAlert> written = new ArrayList<>();

    @BeforeEach
    void writeAlertsOverTenDays() throws IOException {
        List<LocatedAlert> revisions = new ArrayList<>();
        for (int day = 0; day < 10; day++) {
            for (int sensor = 1; sensor <= 3; sensor++) {
                long opened = DAY0.toEpochMilli() + day * DAY + sensor * HOUR;
                Alert raised = TestAlerts.silentSensor("km-" + sensor).opened(opened).build();
                Alert cleared =
                        TestAlerts.silentSensor("km-" + sensor)
                                .opened(opened)
                                .cleared(opened + HOUR)
                                .revision(2)
                                .build();
                for (Alert a : List.of(raised, cleared)) {
                    LocatedAlert located = LocatedAlert.at(a, 25 + day / 100.0, 102 + sensor);
                    revisions.add(located);
                    written.add(located);
                }
            }
            // A zone alert with a sensor's id is not that sensor's.
            revisions.add(
                    LocatedAlert.of(
                            TestAlerts.pm25("km-1")
                                    .opened(DAY0.toEpochMilli() + day * DAY + 1 * HOUR)
                                    .build()));
        }
        StoreConfig config = StoreConfig.FileSystem.parquet(dir.toUri().toString());
        TestAlertRevisions.write(config, revisions);
        store = DataStores.open(config, StoreConfig.Access.READ);
    }

    @AfterEach
    void close() {
        store.dispose();
    }

    @Test
    void theRevisionsOfTheAskedSensorsOpenedWithinTheBoundsBothIncluded() throws IOException {
        // km-1's alert of day 3 opens at exactly the lower bound, km-1's of day 6 at exactly the
        // upper one; km-2's open an hour after km-1's: days 3 to 5 are within.
        long from = DAY0.toEpochMilli() + 3 * DAY + HOUR;
        long to = DAY0.toEpochMilli() + 6 * DAY + HOUR;
        Set<String> two = Set.of("km-1", "km-2");

        assertThat(AlertQueries.sensorRevisions(store, two, from, to))
                .containsExactlyInAnyOrderElementsOf(expected(two, from, to))
                .hasSize(2 * (4 + 3));
        assertThat(AlertQueries.sensorRevisions(store, two, from + 1, to - 1))
                .containsExactlyInAnyOrderElementsOf(expected(two, from + 1, to - 1))
                .hasSize(2 * (2 + 3));
        assertThat(AlertQueries.sensorRevisions(store, two, Long.MIN_VALUE, Long.MAX_VALUE))
                .containsExactlyInAnyOrderElementsOf(expected(two, Long.MIN_VALUE, Long.MAX_VALUE))
                .hasSize(2 * 2 * 10);
        assertThat(AlertQueries.sensorRevisions(store, Set.of("km-9"), from, to)).isEmpty();
    }

    @Test
    void manySensorsArePickedOutByTheCallerWithinTheSameBounds() throws IOException {
        Set<String> many = new HashSet<>(Set.of("km-3"));
        IntStream.rangeClosed(100, 100 + AlertQueries.MAX_IDS_IN_FILTER)
                .forEach(i -> many.add("km-" + i));
        long from = DAY0.toEpochMilli() + 8 * DAY;
        long to = from + 7 * DAY;

        assertThat(AlertQueries.sensorRevisions(store, many, from, to))
                .containsExactlyInAnyOrderElementsOf(expected(many, from, to))
                .hasSize(2 * 2);
    }

    /** The revisions written of {@code sensors}' alerts opened from {@code from} to {@code to}. */
    private List<LocatedAlert> expected(Set<String> sensors, long from, long to) {
        return written.stream()
                .filter(r -> sensors.contains(r.alert().subjectId()))
                .filter(r -> r.alert().openedAtMillis() >= from)
                .filter(r -> r.alert().openedAtMillis() <= to)
                .toList();
    }
}
