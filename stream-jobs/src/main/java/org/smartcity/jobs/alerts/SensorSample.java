package org.smartcity.jobs.alerts;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;

/**
 * A reading reduced to what the rules on a sensor's own readings need (silent, level, rise): what
 * crosses the network to {@link SensorRulesFunction} instead of the whole reading (city, position
 * and sequence number stay behind), with a serializer of its own ({@link SensorSampleSerializer}).
 *
 * @param sensorId the sensor
 * @param metric what it measures
 * @param timestampMillis event time, epoch milliseconds
 * @param value the measured value, in the metric's canonical unit
 */
@TypeInfo(SensorSampleSerializer.Factory.class)
public record SensorSample(String sensorId, Metric metric, long timestampMillis, double value) {

    /** The sample of reading {@code r}. */
    public static SensorSample of(Reading r) {
        return new SensorSample(r.sensorId(), r.metric(), r.timestampMillis(), r.value());
    }
}
