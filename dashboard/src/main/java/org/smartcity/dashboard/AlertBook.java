package org.smartcity.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.smartcity.core.alert.Alert;

/**
 * Every alert the dashboard knows, each once at its newest revision (upsert by id, as the compacted
 * alerts topic keeps them): what the {@code alerts} collection, the CAP feed and the live stream
 * read. A revision no newer than the one held (a replay, a record read twice) changes nothing and
 * is not passed on.
 */
final class AlertBook {
    /** Newest first by opening time, then by id: the collection's stable order. */
    static final Comparator<Alert> ORDER =
            Comparator.comparingLong(Alert::openedAtMillis).reversed().thenComparing(Alert::id);

    private final Map<String, Alert> newest = new HashMap<>();
    private final Map<String, Long> previousSent = new HashMap<>();
    private volatile Consumer<Alert> changed = a -> {};

    /** Tells {@code listener} of each new revision, outside the book's lock. */
    void onChange(Consumer<Alert> listener) {
        this.changed = listener;
    }

    /** Takes {@code a} if it is newer than what the book holds for its id; says whether it was. */
    boolean offer(Alert a) {
        synchronized (this) {
            Alert held = newest.get(a.id());
            if (held != null && !a.isNewerThan(held)) {
                return false;
            }
            if (held != null && held.revision() == a.revision() - 1) {
                previousSent.put(a.id(), held.updatedAtMillis());
            } else {
                previousSent.remove(a.id());
            }
            newest.put(a.id(), a);
        }
        changed.accept(a);
        return true;
    }

    /** Every alert at its newest revision, in {@link #ORDER}. */
    synchronized List<Alert> all() {
        List<Alert> out = new ArrayList<>(newest.values());
        out.sort(ORDER);
        return out;
    }

    /**
     * The alerts people are told about (the CAP feed): {@link #all()} without the cell alerts that
     * an active district roll-up of the same rule lists ({@link Alert#cells()}), so that a
     * district-wide problem is one notification, not one per cell. The cell alerts stay in the
     * collection.
     */
    synchronized List<Alert> notifiable() {
        java.util.Set<String> rolledUp = new java.util.HashSet<>();
        for (Alert a : newest.values()) {
            if (a.isRollup() && !a.isCleared()) {
                for (String cell : a.cells()) {
                    rolledUp.add(a.rule() + "|" + cell);
                }
            }
        }
        List<Alert> out = new ArrayList<>();
        for (Alert a : all()) {
            if (!(a.subjectKind() == org.smartcity.core.alert.SubjectKind.H3
                    && rolledUp.contains(a.rule() + "|" + a.subjectId()))) {
                out.add(a);
            }
        }
        return out;
    }

    synchronized Optional<Alert> get(String id) {
        return Optional.ofNullable(newest.get(id));
    }

    /**
     * When the revision before the newest of {@code id} was published (its {@code updated_at}), if
     * the book saw it: what a CAP {@code Update} or {@code Cancel} references.
     */
    synchronized Optional<Long> previousSent(String id) {
        return Optional.ofNullable(previousSent.get(id));
    }

    /** Alerts currently active. */
    synchronized long active() {
        return newest.values().stream().filter(a -> !a.isCleared()).count();
    }
}
