package org.smartcity.simulator;

/**
 * A reading on its way into a payload: the sensor's measurement, possibly altered by a fault.
 *
 * @param sensor the device
 * @param timestampMillis the timestamp to publish, epoch milliseconds
 * @param value the value to publish
 * @param unit the unit to publish
 * @param seq the device counter
 * @param fault the reading fault, or {@code null}
 * @param malformedCut for a {@link Fault#MALFORMED} single payload, where to cut the JSON short (0
 *     to 1 of its length); {@code NaN} to write a CSV line instead
 */
record ReadingDraft(
        Sensor sensor,
        long timestampMillis,
        double value,
        String unit,
        long seq,
        Fault fault,
        double malformedCut) {

    /** A reading as measured, without a fault. */
    static ReadingDraft clean(Sensor sensor, long timestampMillis, double value, long seq) {
        return new ReadingDraft(
                sensor, timestampMillis, value, sensor.metric().unit(), seq, null, Double.NaN);
    }

    ReadingDraft withValue(Fault f, double newValue, String newUnit) {
        return new ReadingDraft(sensor, timestampMillis, newValue, newUnit, seq, f, malformedCut);
    }

    ReadingDraft withTimestamp(Fault f, long newTimestamp) {
        return new ReadingDraft(sensor, newTimestamp, value, unit, seq, f, malformedCut);
    }

    /** The same reading without its fault: what a malformed payload was meant to be. */
    ReadingDraft withoutFault() {
        return new ReadingDraft(sensor, timestampMillis, value, unit, seq, null, Double.NaN);
    }

    ReadingDraft malformed(double cut) {
        return new ReadingDraft(sensor, timestampMillis, value, unit, seq, Fault.MALFORMED, cut);
    }
}
