package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
    void aLaterReadIsMergedIntoTheEarlierOneItsPositionsWinningAndTheNewestAlertKept() {
        Alert older = silent("km-1", T0 - 5 * HOUR, 1);
        Alert a1 = silent("km-1", T0, 1);
        Alert a2 = silent("km-1", T0, 2);
        Alert newer = silent("km-1", T0 + HOUR, 1);
        StoredSensorPositions.SensorPositions earlier =
                StoredSensorPositions.SensorPositions.of(
                        List.of(
                                LocatedAlert.at(older, 25.05, 102.75),
                                LocatedAlert.at(a1, 25.01, 102.71)));
        StoredSensorPositions.SensorPositions later =
                StoredSensorPositions.SensorPositions.of(
                        List.of(LocatedAlert.at(a2, 25.02, 102.72), LocatedAlert.of(newer)));

        StoredSensorPositions.SensorPositions merged = earlier.with(later);
        assertThat(latLon(merged.position(a1.id()))).containsExactly(25.02, 102.72);
        assertThat(latLon(merged.position(older.id()))).containsExactly(25.05, 102.75);
        assertThat(merged.has(newer.id())).isTrue();
        assertThat(merged.has(older.id())).isTrue();
        // Stored without a position: the newest alert with one, a1's episode.
        assertThat(latLon(merged.position(newer.id()))).containsExactly(25.02, 102.72);

        // A later read of an older alert only does not make it the newest; of a newer one does.
        assertThat(latLon(unstoredAfter(earlier, LocatedAlert.at(older, 25.06, 102.76))))
                .containsExactly(25.01, 102.71);
        assertThat(latLon(unstoredAfter(earlier, LocatedAlert.at(newer, 25.03, 102.73))))
                .containsExactly(25.03, 102.73);
        // An empty read changes nothing.
        assertThat(earlier.with(StoredSensorPositions.SensorPositions.of(List.of())))
                .isEqualTo(earlier);
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
                        (ids, since) -> {
                            reads.add(Set.copyOf(ids));
                            assertThat(since).isEqualTo(Long.MIN_VALUE);
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
                        (ids, since) -> {
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
    void aSensorReadWithoutARecentAlertIsReadAgainAfterTheRereadDelayUntilTheAlertIsStored() {
        long now = System.currentTimeMillis();
        Alert older = silent("km-1", now - HOUR, 1);
        Alert recent = silent("km-1", now, 1);
        // Not stored, but too old to be stored still: not read again.
        Alert old = silent("km-2", now - StoredSensorPositions.STORE_GRACE.toMillis() - HOUR, 1);
        // Stored without a position (the job did not know it): final.
        Alert unplaced = silent("km-3", now, 1);
        List<Set<String>> reads = new CopyOnWriteArrayList<>();
        List<Long> bounds = new CopyOnWriteArrayList<>();
        try (StoredSensorPositions positions =
                new StoredSensorPositions(
                        (ids, since) -> {
                            reads.add(Set.copyOf(ids));
                            bounds.add(since);
                            // The first read finds km-1's older alert only; the second, the
                            // recent one, which the history sink has stored meanwhile (and
                            // which alone is opened since the bound the second read asks for).
                            List<LocatedAlert> stored = new ArrayList<>();
                            if (reads.size() == 1) {
                                stored.add(LocatedAlert.at(older, 25.01, 102.71));
                                stored.add(LocatedAlert.of(unplaced));
                            } else {
                                stored.add(LocatedAlert.at(recent, 25.02, 102.72));
                            }
                            return stored;
                        },
                        id -> false,
                        Duration.ofMillis(300),
                        Duration.ofMinutes(1),
                        Duration.ofMillis(300))) {
            assertThat(latLon(positions.position(recent))).isNull();
            assertThat(latLon(positions.position(old))).isNull();
            assertThat(latLon(positions.position(unplaced))).isNull();
            // Meanwhile the sensor's older position: awaited as the answer, not as the read's
            // start, which comes before the answer is kept.
            Point meanwhile =
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> positions.position(recent), Objects::nonNull);
            assertThat(latLon(meanwhile)).containsExactly(25.01, 102.71);
            assertThat(reads.get(0)).isEqualTo(Set.of("km-1", "km-2", "km-3"));

            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> {
                                positions.position(old);
                                positions.position(unplaced);
                                return List.of(25.02, 102.72)
                                        .equals(latLon(positions.position(recent)));
                            });
            assertThat(reads.get(1)).isEqualTo(Set.of("km-1"));
            // The first read of every alert, the second of those opened since the recent one;
            // merged, so the older alert keeps its position.
            assertThat(bounds).containsExactly(Long.MIN_VALUE, recent.openedAtMillis());
            assertThat(latLon(positions.position(older))).containsExactly(25.01, 102.71);
            assertThat(latLon(positions.position(old))).isNull();
            assertThat(latLon(positions.position(unplaced))).isNull();
            // Every answer is final now: asking again reads nothing more.
            await().during(Duration.ofMillis(1_000))
                    .atMost(Duration.ofSeconds(5))
                    .until(
                            () -> {
                                positions.position(recent);
                                positions.position(old);
                                positions.position(unplaced);
                                return reads.size() == 2;
                            });
        }
    }

    /**
     * The position of an alert not stored, after {@code earlier} merged with a read of {@code r}.
     */
    private static Point unstoredAfter(
            StoredSensorPositions.SensorPositions earlier, LocatedAlert r) {
        return earlier.with(StoredSensorPositions.SensorPositions.of(List.of(r)))
                .position("unstored");
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
