package org.smartcity.jobs;

import org.smartcity.core.Reading;

/**
 * A reading that arrived after its window had closed for good (window end plus the allowed lateness
 * was behind the watermark): it is in no aggregate, so it goes to the late-readings topic with what
 * made it late.
 *
 * @param reading the reading as it came from the readings topic
 * @param windowStartMillis start of the shortest window it belonged to
 * @param windowEndMillis end (exclusive) of that window
 * @param watermarkMillis the event-time watermark when it arrived
 * @param allowedLatenessMillis the allowed lateness the job ran with
 */
public record LateReading(
        Reading reading,
        long windowStartMillis,
        long windowEndMillis,
        long watermarkMillis,
        long allowedLatenessMillis) {

    /** A sentence for people reading the late topic. */
    public String detail() {
        return "window ["
                + windowStartMillis
                + ", "
                + windowEndMillis
                + ") closed: watermark "
                + watermarkMillis
                + " is past its end plus the allowed lateness of "
                + allowedLatenessMillis
                + " ms";
    }
}
