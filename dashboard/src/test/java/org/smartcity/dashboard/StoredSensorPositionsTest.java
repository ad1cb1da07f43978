package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.alert.TestAlerts;

/**
 * Which stored position a sensor alert gets, and how the store is read: in the background, once per
 * sensor, the sensors asked for together in one read, a failed read tried again while the alerts
 * stay without a position.
 */
class StoredSensorPositionsTest {
    private static final long T0 = Instant.parse("2026-12-04T07:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

    @Test
    void anAlertIsWhereItsNewestRevisionWithAPositionWasStoredElseWhereTheSensorsNewestAlertWas() {
        Alert a1 = silent("km-1", T0, 1);
        Alert a2 = silent("km-1", T0, 2);
        Alert a3 = silent("km-1", T0, 3);
        Alert earlier = silent("km-1", T0 - 5 * HOUR, 1);
        Alert earliest = silent("km-1", T0 - 9 * HOUR, 1);
        Alert unstored = silent("km-1", T0 + HOUR, 1);
        StoredSensorPositions.SensorPositions p =
                StoredSensorPositions.SensorPositions.of(
                        List.of(
                                LocatedAlert.at(a2, 25.02, 102.72),
                                LocatedAlert.of(a3), // stored without one: revision 2's counts
                                LocatedAlert.at(a1, 25.01, 102.71),
                                LocatedAlert.at(earliest, 25.09, 102.79),
                                LocatedAlert.at(earlier, 25.05, 102.75)));

        assertThat(latLon(p.position(a3.id()))).containsExactly(25.02, 102.72);
        assertThat(latLon(p.position(earlier.id()))).containsExactly(25.05, 102.75);
        assertThat(latLon(p.position(earliest.id()))).containsExactly(25.09, 102.79);
        // Not stored at all: the sensor's newest alert by opening time, a1-a3's episode.
        assertThat(latLon(p.position(unstored.id()))).containsExactly(25.02, 102.72);

        // Only revisions without a position: none.
        assertThat(
                        latLon(
                                StoredSensorPositions.SensorPositions.of(
                                                List.of(LocatedAlert.of(a1)))
                                        .position(a1.id())))
                .isNull();
        assertThat(latLon(StoredSensorPositions.SensorPositions.of(List.of()).position(a1.id())))
                .isNull();
    }

    @Test
    void sensorsAreReadOnceTogetherOffTheCallersThreadSkippingThoseTheMonitorHeard() {
        List<Set<String>> reads = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        Alert a1 = silent("km-1", T0, 1);
        Alert a2 = silent("km-2", T0, 1);
        Alert heard = silent("km-3", T0, 1);
        try (StoredSensorPositions positions =
                new StoredSensorPositions(
                        ids -> {
                            reads.add(Set.copyOf(ids));
                            threads.add(Thread.currentThread().getName());
                            return List.of(LocatedAlert.at(a1, 25.01, 102.71));
                        },
                        "km-3"::equals,
                        Duration.ofMillis(500),
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(1))) {
            // Not read yet: no position, and the caller does not wait for one.
            assertThat(latLon(positions.position(a1))).isNull();
            assertThat(latLon(positions.position(a2))).isNull();
            assertThat(latLon(positions.position(heard))).isNull();

            await().atMost(Duration.ofSeconds(10)).until(() -> positions.position(a1) != null);
            assertThat(latLon(positions.position(a1))).containsExactly(25.01, 102.71);
            assertThat(latLon(positions.position(a2)))
                    .isNull(); // nothing stored: remembered as such
            assertThat(reads).containsExactly(Set.of("km-1", "km-2"));
            assertThat(threads).containsExactly("dashboard-alert-positions-1");

            // Asked again, or about another alert of a sensor read: no second read.
            assertThat(latLon(positions.position(silent("km-1", T0 + HOUR, 1))))
                    .containsExactly(25.01, 102.71);
            assertThat(latLon(positions.position(a2))).isNull();
            await().during(Duration.ofMillis(800))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> reads.size() == 1);
        }
    }

    @Test
    void aFailedReadLeavesTheAlertWithoutAPositionAndIsTriedAgain() throws Exception {
        Alert a1 = silent("km-1", T0, 1);
        CountDownLatch retry = new CountDownLatch(1);
        List<Set<String>> reads = new CopyOnWriteArrayList<>();
        try (StoredSensorPositions positions =
                new StoredSensorPositions(
                        ids -> {
                            reads.add(Set.copyOf(ids));
                            if (reads.size() == 1) {
                                throw new IOException("store unreachable");
                            }
                            try {
                                retry.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return List.of(LocatedAlert.at(a1, 25.01, 102.71));
                        },
                        id -> false,
                        Duration.ofMillis(10),
                        Duration.ofMillis(10),
                        Duration.ofMinutes(1))) {
            assertThat(latLon(positions.position(a1))).isNull();
            // Failed, and tried again (held until this test has looked).
            await().atMost(Duration.ofSeconds(10)).until(() -> reads.size() == 2);
            assertThat(latLon(positions.position(a1))).isNull();
            retry.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> positions.position(a1) != null);
            assertThat(latLon(positions.position(a1))).containsExactly(25.01, 102.71);
            assertThat(reads).containsExactly(Set.of("km-1"), Set.of("km-1"));
        }
    }

    @Test
    void aSensorReadWithoutTheAskedAlertIsReadAgainAfterTheRereadDelay() {
        Alert older = silent("km-1", T0, 1);
        Alert stored = silent("km-1", T0 + HOUR, 1);
        List<Set<String>> reads = new CopyOnWriteArrayList<>();
        try (StoredSensorPositions positions =
                new StoredSensorPositions(
                        ids -> {
                            reads.add(Set.copyOf(ids));
                            // The first read finds the older alert only; the second, the one
                            // the history sink has stored meanwhile, somewhere else.
                            return reads.size() == 1
                                    ? List.of(LocatedAlert.at(older, 25.01, 102.71))
                                    : List.of(
                                            LocatedAlert.at(older, 25.01, 102.71),
                                            LocatedAlert.at(stored, 25.02, 102.72));
                        },
                        id -> false,
                        Duration.ofMillis(10),
                        Duration.ofMinutes(1),
                        Duration.ofMillis(300))) {
            assertThat(latLon(positions.position(stored))).isNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> reads.size() == 1);
            // Meanwhile the sensor's older position.
            await().atMost(Duration.ofSeconds(10)).until(() -> positions.position(stored) != null);
            assertThat(latLon(positions.position(stored))).containsExactly(25.01, 102.71);
            assertThat(latLon(positions.position(older))).containsExactly(25.01, 102.71);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> latLon(positions.position(stored)).equals(List.of(25.02, 102.72)));
            assertThat(reads.get(1)).isEqualTo(Set.of("km-1"));
            assertThat(latLon(positions.position(older))).containsExactly(25.01, 102.71);
            // An alert stored with a position is final: asking again reads nothing more.
            int readsSoFar = reads.size();
            await().during(Duration.ofMillis(800))
                    .atMost(Duration.ofSeconds(5))
                    .until(
                            () -> {
                                positions.position(stored);
                                return reads.size() == readsSoFar;
                            });
        }
    }

    /** A position as latitude, longitude; null for none. */
    private static List<Double> latLon(Point p) {
        return p == null ? null : List.of(p.getY(), p.getX());
    }

    /** {@code sensor}'s silence alert opened at {@code opened}, revision n made n - 1 min later. */
    private static Alert silent(String sensor, long opened, int revision) {
        return TestAlerts.silentSensor(sensor)
                .opened(opened)
                .updated(opened + (revision - 1) * 60_000L)
                .revision(revision)
                .build();
    }
}
