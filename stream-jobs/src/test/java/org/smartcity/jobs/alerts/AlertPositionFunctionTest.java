package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.alert.TestAlerts;

/**
 * {@link AlertPositionFunction}: a sensor alert leaves with the sensor's newest position; one that
 * comes before any position waits, in order, for the position, the watermark or the hold time.
 */
class AlertPositionFunctionTest {

    private static final long T = 1_796_342_400_000L;
    private static final double LAT = 25.040612345678;
    private static final double LON = 102.712398765432;

    @Test
    void anAlertLeavesWithTheSensorsNewestPosition() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement2(new SensorPosition("km-a", 1.5, 2.5), T);
            h.processElement2(new SensorPosition("km-b", 3.5, 4.5), T);
            // km-a moved.
            h.processElement2(new SensorPosition("km-a", LAT, LON), T + 1);
            Alert a = silent("km-a", T + 10, 1, null);
            Alert b = silent("km-b", T + 20, 1, null);
            h.processElement1(a, T + 10);
            h.processElement1(b, T + 20);
            assertThat(h.extractOutputValues())
                    .containsExactly(LocatedAlert.at(a, LAT, LON), LocatedAlert.at(b, 3.5, 4.5));
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void alertsBeforeThePositionWaitForItInOrder() throws Exception {
        try (var h = harness()) {
            h.open();
            Alert r1 = silent("km-a", T, 1, null);
            Alert r2 = silent("km-a", T + 5, 2, T + 5);
            h.processElement1(r1, T);
            h.processElement1(r2, T + 5);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processElement2(new SensorPosition("km-a", LAT, LON), T);
            assertThat(h.extractOutputValues())
                    .containsExactly(LocatedAlert.at(r1, LAT, LON), LocatedAlert.at(r2, LAT, LON));
            // Nothing waits any more: the timers find nothing.
            h.processBothWatermarks(new Watermark(T + 10));
            h.setProcessingTime(AlertPositionFunction.HOLD_MILLIS + 1);
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1); // km-a's position only
        }
    }

    @Test
    void withoutAPositionAnAlertLeavesWhenTheWatermarkPassesIt() throws Exception {
        try (var h = harness()) {
            h.open();
            Alert a = silent("km-a", T, 1, null);
            h.processElement1(a, T);
            h.processBothWatermarks(new Watermark(T - 1));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processBothWatermarks(new Watermark(T));
            assertThat(h.extractOutputValues()).containsExactly(LocatedAlert.of(a));
            assertThat(h.numKeyedStateEntries()).isZero();
            // A position that comes later serves the next alerts.
            h.processElement2(new SensorPosition("km-a", LAT, LON), T + 1);
            Alert cleared = silent("km-a", T + 9, 2, T + 9);
            h.processElement1(cleared, T + 9);
            assertThat(h.extractOutputValues())
                    .containsExactly(LocatedAlert.of(a), LocatedAlert.at(cleared, LAT, LON));
        }
    }

    @Test
    void withoutAPositionAnAlertWaitsAtMostTheHoldTimeWhenEventTimeStalls() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(1_000);
            Alert a = silent("km-a", T, 1, null);
            h.processElement1(a, T);
            h.setProcessingTime(1_000 + AlertPositionFunction.HOLD_MILLIS - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(1_000 + AlertPositionFunction.HOLD_MILLIS);
            assertThat(h.extractOutputValues()).containsExactly(LocatedAlert.of(a));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void positionsAndWaitingAlertsSurviveASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        Alert waiting = silent("km-b", T, 1, null);
        try (var h = harness()) {
            h.open();
            h.processElement2(new SensorPosition("km-a", LAT, LON), T);
            h.processElement1(waiting, T);
            snapshot = h.snapshot(1, T);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            Alert a = silent("km-a", T + 5, 1, null);
            h.processElement1(a, T + 5);
            h.processElement2(new SensorPosition("km-b", 1.5, 2.5), T + 6);
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            LocatedAlert.at(a, LAT, LON), LocatedAlert.at(waiting, 1.5, 2.5));
        }
    }

    @Test
    void sensorPositionsCrossTheNetworkAsPojos() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SensorPosition.class);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, Alert, SensorPosition, LocatedAlert>
            harness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new AlertPositionFunction()),
                (KeySelector<Alert, String>) Alert::subjectId,
                (KeySelector<SensorPosition, String>) SensorPosition::sensorId,
                Types.STRING);
    }

    private static Alert silent(String sensor, long updated, int revision, Long cleared) {
        return TestAlerts.silentSensor(sensor)
                .opened(T - 600_000)
                .updated(updated)
                .cleared(cleared)
                .revision(revision)
                .build();
    }
}
