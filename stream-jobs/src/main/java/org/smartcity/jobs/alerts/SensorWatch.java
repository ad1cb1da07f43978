package org.smartcity.jobs.alerts;

import java.util.Arrays;

/**
 * Everything the rules on one sensor's own readings remember about it ({@link
 * SensorRulesFunction}): when it was last heard, and each silent-sensor and sensor rule's state.
 * One value per sensor, so that a reading costs one state read and at most one write, whatever the
 * number of rules.
 *
 * @param heard whether the sensor is watched for silence: false before its first reading, after it
 *     was forgotten, and when there are no silent-sensor rules
 * @param lastMillis the event time of its newest reading over all its metrics (when {@code heard})
 * @param lastArrival the processing time that reading arrived at, or the task started, after a
 *     restart (when {@code heard})
 * @param silentRules the ids of the silent-sensor rules, in the order of {@code silent}
 * @param silent each silent-sensor rule's state, {@code null} where it has none
 * @param sensorRules the ids of the sensor rules, in the order of {@code sensor}
 * @param sensor each sensor rule's state, {@code null} where it has none
 */
public record SensorWatch(
        boolean heard,
        long lastMillis,
        long lastArrival,
        String[] silentRules,
        SilentState[] silent,
        String[] sensorRules,
        SensorAlertState[] sensor) {

    /** A sensor nothing is known about yet. */
    static SensorWatch empty(String[] silentRules, String[] sensorRules) {
        return new SensorWatch(
                false,
                0,
                0,
                silentRules,
                new SilentState[silentRules.length],
                sensorRules,
                new SensorAlertState[sensorRules.length]);
    }

    /** The event time after which the sensor is forgotten. */
    long forgetAt() {
        return forgetAt(lastMillis);
    }

    /** The processing time after which the sensor is forgotten. */
    long forgetArrival() {
        return forgetAt(lastArrival);
    }

    /** When a sensor last heard at {@code heardAt} (on either clock) is forgotten. */
    static long forgetAt(long heardAt) {
        return heardAt + AlertRule.HEARD_WITHIN_MILLIS;
    }

    /**
     * This state with these values, {@code null} arrays meaning unchanged: this value itself when
     * nothing changed.
     */
    SensorWatch with(
            boolean heard,
            long lastMillis,
            long lastArrival,
            SilentState[] silent,
            SensorAlertState[] sensor) {
        if (heard == this.heard
                && lastMillis == this.lastMillis
                && lastArrival == this.lastArrival
                && silent == null
                && sensor == null) {
            return this;
        }
        return new SensorWatch(
                heard,
                lastMillis,
                lastArrival,
                silentRules,
                silent == null ? this.silent : silent,
                sensorRules,
                sensor == null ? this.sensor : sensor);
    }

    /**
     * Rule {@code i}'s state set to {@code value} in a copy of a state's rule states {@code
     * original}: in {@code copy}, the copy an earlier change of the same reading or timer made, or
     * in a new copy when it is {@code null}. A stored state's arrays are never changed in place
     * (Flink's heap state backend hands out the stored value itself, and a serializer may treat a
     * record as immutable), so a change copies them once.
     *
     * @return the copy, for the next change and for the new state
     */
    static <T> T[] changed(T[] copy, T[] original, int i, T value) {
        T[] out = copy == null ? original.clone() : copy;
        out[i] = value;
        return out;
    }

    SensorWatch withHeard(long millis, long arrival) {
        return new SensorWatch(true, millis, arrival, silentRules, silent, sensorRules, sensor);
    }

    SensorWatch withSilent(SilentState[] states) {
        return new SensorWatch(
                heard, lastMillis, lastArrival, silentRules, states, sensorRules, sensor);
    }

    /** The sensor no longer watched for silence: its sensor rules' states stay. */
    SensorWatch forgotten() {
        return new SensorWatch(
                false, 0, 0, silentRules, new SilentState[silentRules.length], sensorRules, sensor);
    }

    /** Whether nothing is left to remember. */
    boolean isEmpty() {
        if (heard) {
            return false;
        }
        for (SilentState s : silent) {
            if (s != null) {
                return false;
            }
        }
        for (SensorAlertState s : sensor) {
            if (s != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * This state for rules with these ids, in this order: the same value when they are the ones it
     * was written for (the arrays are shared, so this is one comparison per reading); otherwise,
     * after a restart with an edited rules file, each rule's state moved to its rule's new place,
     * by id, and the states of removed rules dropped (as the per-rule map state did).
     */
    SensorWatch alignedTo(String[] silentIds, String[] sensorIds) {
        if (silentRules == silentIds && sensorRules == sensorIds) {
            return this;
        }
        SilentState[] s =
                Arrays.equals(silentRules, silentIds)
                        ? silent
                        : moved(silentRules, silent, silentIds, new SilentState[silentIds.length]);
        SensorAlertState[] r =
                Arrays.equals(sensorRules, sensorIds)
                        ? sensor
                        : moved(
                                sensorRules,
                                sensor,
                                sensorIds,
                                new SensorAlertState[sensorIds.length]);
        return new SensorWatch(heard, lastMillis, lastArrival, silentIds, s, sensorIds, r);
    }

    private static <T> T[] moved(String[] fromIds, T[] from, String[] toIds, T[] to) {
        for (int i = 0; i < toIds.length; i++) {
            for (int k = 0; k < fromIds.length; k++) {
                if (fromIds[k].equals(toIds[i])) {
                    to[i] = from[k];
                }
            }
        }
        return to;
    }
}
