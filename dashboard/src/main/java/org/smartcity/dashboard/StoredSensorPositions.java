package org.smartcity.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.geotools.api.data.DataStore;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.store.AlertQueries;
import org.smartcity.store.AlertSchema;

/**
 * The positions the stream job stored sensor alerts at in the history store ({@value
 * AlertSchema#TYPE}): what {@link AlertCollection#geometry} falls back on for a sensor alert whose
 * sensor the readings monitor has not heard since the dashboard started (it reads the last hour
 * only, so a sensor silent for longer, the subject of a silent-sensor alert, has no position from
 * it after a restart).
 *
 * <p>An alert's position is that of its newest stored revision with one; failing that (the job did
 * not know the sensor's position when it stored this alert, or has not stored it yet), that of the
 * newest stored alert of the same sensor (by opening time) with one; failing that, none.
 *
 * <p>{@link #position} never waits for the store: it answers from what was read, and asks for a
 * sensor it has not read yet. The sensors asked for are read on this class's own thread, after
 * {@link #BATCH_DELAY}, in one query for all of them (the alerts topic, read at start, asks for
 * every sensor with an alert within a second or so), and each sensor's answer is kept. An answer
 * without the asked alert is not final while the alert is recent: the job may store it just after
 * the read, e.g. an alert the dashboard met in the alerts topic before the history sink's
 * checkpoint stored it. Such a sensor is read again when that alert is asked for at least {@link
 * #REREAD_DELAY} after the last read, until the alert is stored (with or without a position) or its
 * newest revision is {@link #STORE_GRACE} old (a history sink stores an alert within a checkpoint;
 * one not stored by then will not be, e.g. alerts the job does not store). Meanwhile the alert has
 * the sensor's older position, if any. Such a read again asks only for the sensor's alerts opened
 * since the alert asked for (its revisions all carry its opening time, by which the history is
 * partitioned), and its answer is merged into the earlier one: the first read was of every stored
 * revision, a year of them in a long-lived city's history, and the store need not read that again.
 * So a sensor costs at most one read per {@link #REREAD_DELAY}, and only while it has a recent
 * alert the store lacks. A sensor the readings monitor has heard by then is skipped (its readings
 * give the position). A failed read (the store unreachable) is logged and tried again after {@link
 * #RETRY_DELAY}; meanwhile those alerts stay without a position. The store's health is the history
 * probe's to report, not this class's.
 */
final class StoredSensorPositions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoredSensorPositions.class);

    /** How long the sensors asked for are collected before they are read in one query. */
    static final Duration BATCH_DELAY = Duration.ofSeconds(1);

    /** How long after a failed read it is tried again. */
    static final Duration RETRY_DELAY = Duration.ofSeconds(30);

    /** How long after a read without the asked alert the sensor may be read again. */
    static final Duration REREAD_DELAY = Duration.ofMinutes(1);

    /** How long after its newest revision an alert not in the store is still looked for. */
    static final Duration STORE_GRACE = Duration.ofMinutes(10);

    /**
     * How far ahead of this clock an alert can have opened, with room to spare: ingest refuses a
     * reading more than 5 minutes ahead of its clock by default (DESIGN.md, {@code
     * FUTURE_TIMESTAMP}), and the job opens alerts at readings' times or its own clock.
     */
    static final Duration OPENED_AHEAD = Duration.ofDays(7);

    private static final GeometryFactory POINTS = new GeometryFactory();

    /** Reads the stored revisions of the alerts of some sensors, with their positions. */
    @FunctionalInterface
    interface Reader {
        /**
         * Every stored revision of the alerts about {@code sensorIds} opened at or after {@code
         * openedSinceMillis}; {@link Long#MIN_VALUE} for all of them. The store's reader stops at
         * {@link #openedUntil}, past any opening there can be.
         */
        List<LocatedAlert> read(Set<String> sensorIds, long openedSinceMillis) throws IOException;
    }

    /**
     * What the store holds for one sensor.
     *
     * @param byAlert per alert id, the position of its newest revision stored with one
     * @param newest the sensor's newest alert (by opening time, {@link AlertBook#ORDER}) stored
     *     with a position, or null; its position is in {@code byAlert}
     * @param stored the ids of the sensor's alerts stored at all, with a position or without
     */
    record SensorPositions(Map<String, Point> byAlert, Alert newest, Set<String> stored) {

        /** The positions in {@code revisions}, all of one sensor. */
        static SensorPositions of(List<LocatedAlert> revisions) {
            Map<String, LocatedAlert> newestPerAlert = new HashMap<>();
            Set<String> stored = new HashSet<>();
            Alert newest = null;
            for (LocatedAlert r : revisions) {
                stored.add(r.id());
                if (!r.hasPosition()) {
                    continue;
                }
                newestPerAlert.merge(
                        r.id(),
                        r,
                        (kept, other) -> other.alert().isNewerThan(kept.alert()) ? other : kept);
                newest = newerOpened(newest, r.alert());
            }
            Map<String, Point> byAlert = new HashMap<>();
            newestPerAlert.forEach((id, r) -> byAlert.put(id, point(r)));
            return new SensorPositions(Map.copyOf(byAlert), newest, Set.copyOf(stored));
        }

        /**
         * These positions with those of {@code later}, read from the store after these: {@code
         * later}'s position of an alert wins (a revision stored since), and the newest alert is the
         * newer of the two.
         */
        SensorPositions with(SensorPositions later) {
            Map<String, Point> positions = new HashMap<>(byAlert);
            positions.putAll(later.byAlert);
            Set<String> both = new HashSet<>(stored);
            both.addAll(later.stored);
            return new SensorPositions(
                    Map.copyOf(positions), newerOpened(newest, later.newest), Set.copyOf(both));
        }

        /** Of {@code kept} and {@code other}, either may be null, the one opened later. */
        private static Alert newerOpened(Alert kept, Alert other) {
            return kept == null || other != null && AlertBook.ORDER.compare(other, kept) < 0
                    ? other
                    : kept;
        }

        Point position(String alertId) {
            return byAlert.getOrDefault(alertId, newest == null ? null : byAlert.get(newest.id()));
        }

        /** Whether alert {@code alertId} was stored, with a position or without. */
        boolean has(String alertId) {
            return stored.contains(alertId);
        }

        private static Point point(LocatedAlert r) {
            return POINTS.createPoint(new Coordinate(r.lon(), r.lat()));
        }
    }

    private final Reader reader;
    private final Predicate<String> heard;
    private final Duration batchDelay;
    private final Duration retryDelay;
    private final Duration rereadDelay;
    private final ScheduledExecutorService executor;

    /** What the store held for a sensor, and when it was read ({@link System#nanoTime}). */
    private record Answer(SensorPositions positions, long readAtNanos) {}

    private final Map<String, Answer> read = new ConcurrentHashMap<>();

    /**
     * The sensors to read, each with the opening time its read is bounded by ({@link
     * Long#MIN_VALUE}: not read yet, so all its alerts).
     */
    private final Map<String, Long> asked = new ConcurrentHashMap<>();

    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** Reading {@code store}; {@code heard} tells whether the readings monitor knows a sensor. */
    static StoredSensorPositions of(DataStore store, Predicate<String> heard) {
        return new StoredSensorPositions(
                (ids, since) -> AlertQueries.sensorRevisions(store, ids, since, openedUntil(since)),
                heard,
                BATCH_DELAY,
                RETRY_DELAY,
                REREAD_DELAY);
    }

    /**
     * The latest opening time a read since {@code since} asks for: none for a first read; for a
     * read again, {@link #OPENED_AHEAD} past the later of {@code since} and now. A store lists the
     * partitions of a closed range only ({@link AlertQueries#sensorRevisions}).
     */
    private static long openedUntil(long since) {
        return since == Long.MIN_VALUE
                ? Long.MAX_VALUE
                : Math.max(since, System.currentTimeMillis()) + OPENED_AHEAD.toMillis();
    }

    StoredSensorPositions(
            Reader reader,
            Predicate<String> heard,
            Duration batchDelay,
            Duration retryDelay,
            Duration rereadDelay) {
        this.reader = reader;
        this.heard = heard;
        this.batchDelay = batchDelay;
        this.retryDelay = retryDelay;
        this.rereadDelay = rereadDelay;
        this.executor =
                Executors.newSingleThreadScheduledExecutor(
                        DashboardServer.daemonThreads("dashboard-alert-positions"));
    }

    /**
     * The stored position of sensor alert {@code a}, or null: none stored, or the sensor not read
     * yet (then it is asked for, and a later call may have it). A sensor read without this alert is
     * asked for again once {@link #REREAD_DELAY} has passed since that read, while the alert is
     * recent ({@link #STORE_GRACE}): its alerts opened since this one.
     */
    Point position(Alert a) {
        Answer answer = read.get(a.subjectId());
        if (answer == null) {
            ask(a.subjectId(), Long.MIN_VALUE);
        } else if (mayBeStoredSince(answer, a)) {
            ask(a.subjectId(), a.openedAtMillis());
        }
        return answer == null ? null : answer.positions().position(a.id());
    }

    /** Asks for the alerts of {@code sensorId} opened since {@code openedSinceMillis}. */
    private void ask(String sensorId, long openedSinceMillis) {
        Long since = asked.get(sensorId);
        if (since == null || openedSinceMillis < since) {
            asked.merge(sensorId, openedSinceMillis, Math::min);
            schedule(batchDelay);
        }
    }

    /**
     * Whether the store may hold {@code a} now though {@code answer} lacked it: the alert is recent
     * and the read is {@link #REREAD_DELAY} old.
     */
    private boolean mayBeStoredSince(Answer answer, Alert a) {
        return !answer.positions().has(a.id())
                && System.currentTimeMillis() - a.updatedAtMillis() <= STORE_GRACE.toMillis()
                && System.nanoTime() - answer.readAtNanos() >= rereadDelay.toNanos();
    }

    private void schedule(Duration delay) {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.schedule(this::readAsked, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
    }

    private void readAsked() {
        // Cleared first: a sensor asked for from now on schedules another read.
        scheduled.set(false);
        // One read: bounded by the earliest bound asked for, unbounded if a sensor is new.
        Map<String, Long> batch = new HashMap<>();
        long since = Long.MAX_VALUE;
        for (Map.Entry<String, Long> e : asked.entrySet()) {
            if (heard.test(e.getKey())) {
                asked.remove(e.getKey());
            } else {
                batch.put(e.getKey(), e.getValue());
                since = Math.min(since, e.getValue());
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<LocatedAlert> revisions;
        try {
            revisions = reader.read(batch.keySet(), since);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Reading the stored positions of {} sensors failed, trying again in {} ms: {}",
                    batch.size(),
                    retryDelay.toMillis(),
                    e.toString());
            schedule(retryDelay);
            return;
        }
        Map<String, List<LocatedAlert>> bySensor = new HashMap<>();
        for (LocatedAlert r : revisions) {
            bySensor.computeIfAbsent(r.alert().subjectId(), id -> new ArrayList<>()).add(r);
        }
        long now = System.nanoTime();
        batch.forEach(
                (id, bound) -> {
                    read.merge(
                            id,
                            new Answer(
                                    SensorPositions.of(bySensor.getOrDefault(id, List.of())), now),
                            (earlier, fresh) ->
                                    new Answer(earlier.positions().with(fresh.positions()), now));
                    // Kept if asked for meanwhile with an earlier bound: read again then.
                    asked.remove(id, bound);
                });
        LOG.info(
                "Stored alert positions read for {} sensors ({} revisions, alerts opened {})",
                batch.size(),
                revisions.size(),
                since == Long.MIN_VALUE ? "at any time" : "since " + Instant.ofEpochMilli(since));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
