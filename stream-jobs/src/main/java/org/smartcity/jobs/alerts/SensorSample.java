package org.smartcity.jobs.alerts;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;

/**
 * A reading reduced to what the rules on a sensor's own readings need (silent, level, rise) and
 * where the sensor stands (for its alerts in the stores, {@link AlertPositionFunction}): what
 * crosses the network to {@link SensorRulesFunction} instead of the whole reading (city and
 * sequence number stay behind), with a serializer of its own ({@link SensorSampleSerializer}).
 *
 * @param sensorId the sensor
 * @param metric what it measures
 * @param timestampMillis event time, epoch milliseconds
 * @param value the measured value, in the metric's canonical unit
 * @param lat the sensor's latitude, WGS 84; NaN when not known
 * @param lon the sensor's longitude, WGS 84; NaN when not known
 */
@TypeInfo(SensorSampleSerializer.Factory.class)
public record SensorSample(
        String sensorId,
        Metric metric,
        long timestampMillis,
        double value,
        double lat,
        double lon) {

    /** A sample without the sensor's position. */
    public SensorSample(String sensorId, Metric metric, long timestampMillis, double value) {
        this(sensorId, metric, timestampMillis, value, Double.NaN, Double.NaN);
    }

    /** The sample of reading {@code r}. */
    public static SensorSample of(Reading r) {
        return new SensorSample(
                r.sensorId(), r.metric(), r.timestampMillis(), r.value(), r.lat(), r.lon());
    }

    /** Whether the sample says where its sensor stands. */
    boolean hasPosition() {
        return !Double.isNaN(lat) && !Double.isNaN(lon);
    }
}
