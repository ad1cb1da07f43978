package org.smartcity.dashboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.geotools.api.data.DataStore;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.alert.TestAlerts;
import org.smartcity.core.bench.BenchFlags;
import org.smartcity.core.bench.BenchMachine;
import org.smartcity.core.bench.Percentiles;
import org.smartcity.store.AlertQueries;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.TestAlertRevisions;

/**
 * What the dashboard's reads of stored sensor positions cost (StoredSensorPositions): after a
 * restart its first read asks for every sensor with an alert that the readings have not placed,
 * which {@link AlertQueries#sensorRevisions} answers with one scan of every stored sensor alert;
 * later reads ask for a few sensors, which the store picks out by their ids, and a sensor read
 * again for a recent alert asks only for the alerts opened since (the history's partitions are by
 * opening time). Writes {@code --revisions} revisions of silent-sensor alerts (a raise and a clear
 * each) of {@code --sensors} sensors, opened over the past year, into a GeoMesa FileSystem store
 * (Parquet, as the history), then times the three reads {@code --runs} times, the first run
 * included (a dashboard reads once after a start, with a cold JIT).
 *
 * <pre>
 * ./mvnw -q -pl dashboard -Pbench test-compile exec:exec \
 *     -Dbench.main=org.smartcity.dashboard.bench.StoredPositionsBenchmark \
 *     -Dbench.args="--revisions 200000 --sensors 5000 --runs 5"
 * </pre>
 */
public final class StoredPositionsBenchmark {
    private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");

    private StoredPositionsBenchmark() {}

    public static void main(String[] args) throws IOException {
        long revisions = 200_000;
        int sensors = 5_000;
        int runs = 5;
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i += 2) {
            String value = BenchFlags.valueOf(list, i);
            switch (list.get(i)) {
                case "--revisions" -> revisions = BenchFlags.positive("--revisions", value);
                case "--sensors" -> sensors = (int) BenchFlags.positive("--sensors", value);
                case "--runs" -> runs = (int) BenchFlags.positive("--runs", value);
                default -> throw new IllegalArgumentException("unknown option " + list.get(i));
            }
        }
        Path dir = Files.createTempDirectory("stored-positions-bench-");
        StoreConfig config = StoreConfig.FileSystem.parquet(dir.toString());
        System.out.printf(
                Locale.ROOT,
                "%s; %,d revisions of sensor alerts, %,d sensors, store %s%n",
                BenchMachine.describe(),
                revisions,
                sensors,
                dir);
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < sensors; s++) {
            ids.add(String.format(Locale.ROOT, "km-pm25-%05d", s));
        }
        long started = System.nanoTime();
        TestAlertRevisions.write(config, revisions(revisions, ids));
        System.out.printf(
                Locale.ROOT, "Wrote them in %.1f s%n", (System.nanoTime() - started) / 1e9);
        DataStore store = DataStores.open(config, StoreConfig.Access.READ);
        try {
            Set<String> everyId = new TreeSet<>(ids);
            List<String> shuffled = new ArrayList<>(ids);
            Collections.shuffle(shuffled, new Random(7));
            Set<String> few = new TreeSet<>(shuffled.subList(0, Math.min(ids.size(), 100)));
            long all = Long.MIN_VALUE;
            long ever = Long.MAX_VALUE;
            // A read again, as the dashboard's: from the asked alert's opening to a week on.
            long dayAgo = NOW.minus(Duration.ofDays(1)).toEpochMilli();
            long weekOn = NOW.plus(Duration.ofDays(7)).toEpochMilli();
            time("first read: every sensor (one scan)", store, everyId, all, ever, runs);
            time("later read: 100 sensors (store filter)", store, few, all, ever, runs);
            time(
                    "read again: 100 sensors, opened since a day ago",
                    store,
                    few,
                    dayAgo,
                    weekOn,
                    runs);
        } finally {
            store.dispose();
        }
    }

    /**
     * {@code count} revisions of the sensors {@code ids}' silence alerts, opened over the year
     * before {@link #NOW}: a raise and a clear an hour later each, at a point in the city.
     */
    private static List<LocatedAlert> revisions(long count, List<String> ids) {
        Random random = new Random(42);
        long yearMillis = Duration.ofDays(365).toMillis();
        List<LocatedAlert> revisions = new ArrayList<>();
        for (long n = 0; n < count; n += 2) {
            String sensor = ids.get((int) (n / 2 % ids.size()));
            long opened = NOW.toEpochMilli() - (long) (random.nextDouble() * yearMillis);
            Alert raised = TestAlerts.silentSensor(sensor).opened(opened).build();
            Alert cleared =
                    TestAlerts.silentSensor(sensor)
                            .opened(opened)
                            .cleared(opened + 3_600_000L)
                            .revision(2)
                            .build();
            double lon = 102.6 + random.nextDouble() * 0.35;
            double lat = 24.8 + random.nextDouble() * 0.4;
            for (Alert a : n + 1 < count ? List.of(raised, cleared) : List.of(raised)) {
                revisions.add(LocatedAlert.at(a, lat, lon));
            }
        }
        return revisions;
    }

    private static void time(
            String what,
            DataStore store,
            Set<String> sensors,
            long openedSince,
            long openedUntil,
            int runs)
            throws IOException {
        List<Double> seconds = new ArrayList<>();
        int found = 0;
        for (int run = 0; run < runs; run++) {
            long started = System.nanoTime();
            found = AlertQueries.sensorRevisions(store, sensors, openedSince, openedUntil).size();
            seconds.add((System.nanoTime() - started) / 1e9);
        }
        System.out.printf(
                Locale.ROOT,
                "%s: %,d revisions; s per run %s; median %.2f s%n",
                what,
                found,
                seconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList(),
                Percentiles.nearestRank(seconds, 50));
    }
}
