package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.TestAlerts;
import org.smartcity.core.config.ConfigException;

/**
 * Silent-sensor rules of {@link SensorRulesFunction} in an operator harness, where the test drives
 * both clocks: alerts open when every sensor stops (processing time alone, event time stalled), and
 * when event time passes the limit; readings close together clear once and open nothing; timers do
 * not multiply; a restart does not count the downtime as silence.
 */
class SilentSensorFunctionTest {
    private static final long LIMIT = 600_000L; // 10 min
    private static final SilentSensorRule RULE =
            new SilentSensorRule("sensor-silent", null, LIMIT, Severity.MINOR, "test");

    /** 2026-11-24T05:00:00Z, event time of the first readings. */
    private static final long T0 = Instant.parse("2026-11-24T05:00:00Z").toEpochMilli();

    /** Processing time when they arrive (the TaskManager's clock, a little later). */
    private static final long P0 = T0 + 2_000;

    @Test
    void everySensorStoppingOpensAlertsOnProcessingTimeAlone() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(P0);
            h.processElement(reading("s1", T0), T0);
            h.setProcessingTime(P0 + 30_000);
            h.processElement(reading("s2", T0 + 30_000), T0 + 30_000);
            // No watermark moves: the network is down. Just before s1's limit: nothing.
            h.setProcessingTime(P0 + LIMIT - 1);
            assertThat(h.extractOutputValues()).isEmpty();

            h.setProcessingTime(P0 + LIMIT);
            assertThat(h.extractOutputValues())
                    .containsExactly(active("s1", T0 + LIMIT, "2026-11-24T05:00:00Z"));

            h.setProcessingTime(P0 + LIMIT + 60_000);
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            active("s1", T0 + LIMIT, "2026-11-24T05:00:00Z"),
                            active("s2", T0 + 30_000 + LIMIT, "2026-11-24T05:00:30Z"));
        }
    }

    @Test
    void twoReadingsAMillisecondApartClearOnceAndOpenNothing() throws Exception {
        try (var h = harness()) {
            Alert open = s1FallsSilent(h);

            long back = T0 + 12 * 60_000; // 12 minutes after the last reading
            h.processElement(reading("s1", back), back);
            h.processElement(reading("s1", back + 1), back + 1);
            h.processElement(reading("s1", back + 1), back + 1); // the same reading again
            Alert cleared =
                    open.cleared(
                            back,
                            back,
                            12.0,
                            12.0,
                            "Sensor s1 reports again after 12 min of silence");
            assertThat(h.extractOutputValues()).containsExactly(open, cleared);

            // Still reporting: both clocks pass the old deadline without a new alert.
            h.setProcessingTime(P0 + LIMIT + 5 * 60_000);
            h.processWatermark(back + 5 * 60_000);
            assertThat(h.extractOutputValues()).containsExactly(open, cleared);
        }
    }

    @Test
    void aReadingOfAnotherMetricClearsTheAlertWithoutChangingItsMetric() throws Exception {
        try (var h = harness()) {
            Alert open = s1FallsSilent(h);
            assertThat(open.metric()).isEqualTo(Metric.PM25);

            // The rule watches every metric: the sensor's noise reading ends the silence, but the
            // episode stays the one raised on PM2.5 (one episode, one metric, every revision).
            long back = T0 + 15 * 60_000;
            h.processElement(reading("s1", Metric.NOISE, back), back);
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            open,
                            TestAlerts.silentSensor("s1") // on PM2.5, as raised
                                    .id(open.id())
                                    .opened(T0 + LIMIT)
                                    .updated(back)
                                    .cleared(back)
                                    .value(15.0)
                                    .message("Sensor s1 reports again after 15 min of silence")
                                    .revision(2)
                                    .build());
        }
    }

    @Test
    void eventTimeOpensTheSameAlertAndTheProcessingClockAddsNoSecond() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(P0);
            h.processElement(reading("s1", T0), T0);
            h.processElement(reading("s2", T0 + 1_000), T0 + 1_000);
            // A replay: event time runs ahead of the TaskManager's clock.
            h.setProcessingTime(P0 + 5_000);
            h.processElement(reading("s2", T0 + LIMIT + 1_000), T0 + LIMIT + 1_000);
            h.processWatermark(T0 + LIMIT);
            Alert open = active("s1", T0 + LIMIT, "2026-11-24T05:00:00Z");
            assertThat(h.extractOutputValues()).containsExactly(open);

            h.setProcessingTime(P0 + LIMIT);
            assertThat(h.extractOutputValues()).containsExactly(open);
        }
    }

    @Test
    void aSensorHasOneTimerPerClockHoweverManyReadings() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 50; i++) {
                h.setProcessingTime(P0 + i * 1_000L);
                h.processElement(reading("s1", T0 + i * 1_000L), T0 + i * 1_000L);
            }
            // One timer per clock, at the earliest of the rule's limit and forgetting (24 h).
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void timersDoNotPileUpWhileASensorReportsForADay() throws Exception {
        try (var h = harness()) {
            h.open();
            // A reading a minute for 25 hours, both clocks moving with it: every timer fires
            // early (the sensor was heard since it was set) and is set again.
            for (int minute = 0; minute <= 25 * 60; minute++) {
                long t = T0 + minute * 60_000L;
                h.setProcessingTime(P0 + minute * 60_000L);
                h.processElement(reading("s1", t), t);
                h.processWatermark(t);
                assertThat(h.numEventTimeTimers()).as("minute %d", minute).isEqualTo(1);
                assertThat(h.numProcessingTimeTimers()).as("minute %d", minute).isEqualTo(1);
            }
            assertThat(h.extractOutputValues()).isEmpty();

            // Then silence: the alert opens at the last reading plus the limit, on either clock.
            long last = T0 + 25 * 60 * 60_000L;
            h.processWatermark(last + LIMIT);
            assertThat(h.extractOutputValues())
                    .containsExactly(active("s1", last + LIMIT, "2026-11-25T06:00:00Z"));
        }
    }

    @Test
    void aSensorNotHeardFor24HoursIsForgottenAndItsAlertCleared() throws Exception {
        long day = 24 * 3_600_000L;
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(P0);
            h.processElement(reading("s1", T0), T0);
            h.processElement(reading("s2", T0), T0);
            h.setProcessingTime(P0 + LIMIT);
            Alert s1 = active("s1", T0 + LIMIT, "2026-11-24T05:00:00Z");
            Alert s2 = active("s2", T0 + LIMIT, "2026-11-24T05:00:00Z");
            assertThat(h.extractOutputValues()).containsExactlyInAnyOrder(s1, s2);

            // s2 reports an hour later, then is silent again: its second episode.
            long back = T0 + 3_600_000L;
            h.setProcessingTime(P0 + 3_600_000L);
            h.processElement(reading("s2", back), back);
            h.setProcessingTime(P0 + 3_600_000L + LIMIT);
            Alert s2Again = active("s2", back + LIMIT, "2026-11-24T06:00:00Z");
            assertThat(h.extractOutputValues()).hasSize(4).contains(s2Again);
            h.extractOutputValues().clear();
            h.getOutput().clear();

            // One millisecond before 24 h without s1 on the TaskManager's clock: still watched.
            h.setProcessingTime(P0 + day - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            // At 24 h: s1 is forgotten, its alert cleared as of its last reading plus 24 h.
            h.setProcessingTime(P0 + day);
            assertThat(h.extractOutputValues()).containsExactly(forgotten(s1, T0 + day, 1440.0));
            // Nothing more about s1, on either clock, ever; its timers are gone.
            h.processWatermark(T0 + 2 * day);
            h.setProcessingTime(P0 + 2 * day);
            // s2, heard an hour after s1, was forgotten by event time first (the watermark
            // passed back + 24 h before the clock did).
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            forgotten(s1, T0 + day, 1440.0),
                            forgotten(s2Again, back + day, 1440.0));
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();

            // s1 comes back: a fresh start, no clearing of an alert that is gone.
            h.getOutput().clear();
            h.processElement(reading("s1", T0 + 3 * day), T0 + 3 * day);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(T0 + 3 * day + LIMIT);
            assertThat(h.extractOutputValues())
                    .containsExactly(active("s1", T0 + 3 * day + LIMIT, "2026-11-27T05:00:00Z"));
        }
    }

    @Test
    void aRuleThatCouldNeverRaiseBeforeTheSensorIsForgottenIsRefused() {
        String rules = "rules:\n  - id: s\n    kind: silent\n    after: 24h\n    source: x\n";
        assertThatThrownBy(() -> AlertRules.parse(rules, true, "test"))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith(
                        "rule 's', field 'after': less than 24h (a sensor not heard for 24 h is"
                                + " no longer watched)");
    }

    private static Alert forgotten(Alert open, long at, double minutes) {
        return open.cleared(
                at,
                at,
                minutes,
                minutes,
                "Sensor "
                        + open.subjectId()
                        + " not heard for 24 h: no longer watched (removed or renamed?)");
    }

    @Test
    void theEndOfTheInputIsNotSilence() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(P0);
            h.processElement(reading("s1", T0), T0);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void theTimeTheJobWasDownIsNotSilence() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(P0);
            h.processElement(reading("s1", T0), T0);
            snapshot = h.snapshot(1, P0);
        }
        // The job comes back an hour later: s1's deadline passed while it was down.
        long restart = P0 + 3_600_000L;
        try (var h = harness()) {
            h.setProcessingTime(restart);
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(restart + 1);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(restart + LIMIT);
            assertThat(h.extractOutputValues()).isEmpty();
            // Still nothing from s1 ten minutes after the restart (counted from the task's first
            // callback, restart + 1): now it is silent, as of its last reading plus the limit
            // (the same alert id event time would give).
            h.setProcessingTime(restart + 1 + LIMIT);
            assertThat(h.extractOutputValues())
                    .containsExactly(active("s1", T0 + LIMIT, "2026-11-24T05:00:00Z"));
        }
    }

    /**
     * Opens {@code h}, gives it one reading of s1 at T0 and lets the limit pass on the
     * TaskManager's clock; returns the silence alert it opened, the only output so far.
     */
    private static Alert s1FallsSilent(
            KeyedOneInputStreamOperatorTestHarness<String, SensorSample, Alert> h)
            throws Exception {
        h.open();
        h.setProcessingTime(P0);
        h.processElement(reading("s1", T0), T0);
        h.setProcessingTime(P0 + LIMIT);
        Alert open = active("s1", T0 + LIMIT, "2026-11-24T05:00:00Z");
        assertThat(h.extractOutputValues()).containsExactly(open);
        return open;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SensorSample, Alert> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SensorRulesFunction(List.of(RULE), List.of())),
                SensorSample::sensorId,
                Types.STRING);
    }

    private static SensorSample reading(String sensor, long ts) {
        return reading(sensor, Metric.PM25, ts);
    }

    private static SensorSample reading(String sensor, Metric metric, long ts) {
        return SensorSample.of(
                new Reading(sensor, metric, "kunming", ts, 25.04, 102.71, 30.0, null));
    }

    private static Alert active(String sensor, long openedAt, String last) {
        return TestAlerts.silentSensor(sensor)
                .id("sensor-silent|sensor|" + sensor + "|" + openedAt)
                .opened(openedAt)
                .message(
                        "No reading from sensor "
                                + sensor
                                + " for more than 10 min (last at "
                                + last
                                + ")")
                .build();
    }
}
