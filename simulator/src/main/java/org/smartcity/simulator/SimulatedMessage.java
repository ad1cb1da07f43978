package org.smartcity.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.smartcity.core.Metric;

/**
 * One MQTT message exactly as the simulator publishes it (QoS 1), with what the bridge should make
 * of each reading in it.
 *
 * @param topic {@code city/{city}/{metric}/{sensorId}}
 * @param payload UTF-8 JSON: one reading object, or (batch mode) an array of one sensor's readings
 * @param sendTime when it is due, in simulated time (wall time while the publisher keeps up)
 * @param sensorId the device it comes from
 * @param metric the device's metric
 * @param readings the readings in payload order, one per verdict the validator returns
 * @param duplicate whether this is the second copy of the message before it ({@link
 *     Fault#DUPLICATE})
 * @param outOfOrder whether it was held back and follows a newer message of its sensor ({@link
 *     Fault#OUT_OF_ORDER})
 */
public record SimulatedMessage(
        String topic,
        byte[] payload,
        Instant sendTime,
        String sensorId,
        Metric metric,
        List<PlannedReading> readings,
        boolean duplicate,
        boolean outOfOrder) {

    public SimulatedMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(sendTime, "sendTime");
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(metric, "metric");
        readings = List.copyOf(readings);
        if (readings.isEmpty()) {
            throw new IllegalArgumentException("a message carries at least one reading");
        }
    }

    /** The payload as text. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The second copy of this message, published right after it. */
    SimulatedMessage asDuplicate() {
        return new SimulatedMessage(
                topic, payload, sendTime, sensorId, metric, readings, true, false);
    }

    /** This message, released at {@code time} after being held back. */
    SimulatedMessage releasedAt(Instant time, boolean afterNewer) {
        return new SimulatedMessage(
                topic, payload, time, sensorId, metric, readings, false, afterNewer);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimulatedMessage m
                && topic.equals(m.topic)
                && Arrays.equals(payload, m.payload)
                && sendTime.equals(m.sendTime)
                && sensorId.equals(m.sensorId)
                && metric == m.metric
                && readings.equals(m.readings)
                && duplicate == m.duplicate
                && outOfOrder == m.outOfOrder;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), sendTime, readings);
    }

    @Override
    public String toString() {
        return "SimulatedMessage["
                + topic
                + " at "
                + sendTime
                + (duplicate ? " duplicate" : "")
                + (outOfOrder ? " out-of-order" : "")
                + ": "
                + payloadText()
                + "]";
    }
}
