package org.smartcity.jobs.alerts;

import org.smartcity.core.alert.Alert;

/**
 * What a threshold rule remembers about one zone between windows.
 *
 * @param lastWindowStart the start of the newest window evaluated (older ones and corrections of
 *     evaluated ones are not evaluated again)
 * @param raiseStreak consecutive windows above the lowest level, while no alert is active
 * @param raiseStart the start of the first window of that streak (the episode's opening time)
 * @param raisePeak the highest value of that streak
 * @param clearStreak consecutive windows below the clear level, while an alert is active
 * @param clearStart the start of the first window of that streak (the episode's clearing time)
 * @param active the active alert, as last published but with its value and peak kept up to date;
 *     {@code null} when there is none
 * @param openings when the zone's episodes of the last hour opened (event time), for the flap guard
 * @param flapping whether the active alert is held open as flapping
 */
public record ThresholdState(
        long lastWindowStart,
        int raiseStreak,
        long raiseStart,
        double raisePeak,
        int clearStreak,
        long clearStart,
        Alert active,
        long[] openings,
        boolean flapping) {

    /** Before the first window. */
    public static final ThresholdState INITIAL =
            new ThresholdState(Long.MIN_VALUE, 0, 0, 0, 0, 0, null, new long[0], false);
}
