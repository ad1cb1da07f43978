package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.TestAlerts;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.jobs.alerts.ThresholdRule.Level;

/**
 * One threshold rule on one district, window by window, in an operator harness: raise after two
 * windows, escalate and de-escalate, hysteresis, clear after two windows, corrections and gaps.
 * Every expected alert is written out by hand from the rule.
 */
class ThresholdAlertFunctionTest {
    private static final long HOUR = 3_600_000L;

    /** 2026-12-04T00:00:00Z. */
    private static final long H0 = Instant.parse("2026-12-04T00:00:00Z").toEpochMilli();

    /** PM2.5 district 1-h mean: moderate 75, severe 150, extreme 250; clear below 65. */
    static final ThresholdRule RULE =
            new ThresholdRule(
                    "pm25-high",
                    "PM2.5 hourly mean",
                    Metric.PM25,
                    ZoneKind.DISTRICT,
                    HOUR,
                    Statistic.MEAN,
                    List.of(
                            new Level(Severity.MODERATE, 75),
                            new Level(Severity.SEVERE, 150),
                            new Level(Severity.EXTREME, 250)),
                    65,
                    2,
                    2,
                    "GB 3095-2012 Grade II",
                    "test",
                    0,
                    0);

    private static final SubjectNames NAMES = (kind, id) -> id.equals("530102") ? "Wuhua 五华区" : id;

    @Test
    void anEpisodeFromRaiseToClear() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, 0, 80); // one window above: not yet (raise_after 2)
            feed(h, 1, 70); // at or below 75 breaks the streak
            feed(h, 2, 76);
            feed(h, 3, 160); // second window above: raised, opened at 02:00, severe
            h.processElement(new RuleAggregate("pm25-high", mean(3, 300, 2)), 0); // a correction
            feed(h, 4, 70); // between 65 and 75: still severe, nothing to publish
            feed(h, 5, 80); // de-escalates to moderate
            feed(h, 6, 60); // below 65 once
            feed(h, 7, 66); // not below 65: the clear streak starts again
            feed(h, 8, 60);
            feed(h, 9, 50); // second window below 65: cleared as of 08:00

            String id = "pm25-high|district|530102|" + (H0 + 2 * HOUR);
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            alert(
                                    id,
                                    AlertStatus.ACTIVE,
                                    Severity.SEVERE,
                                    4,
                                    null,
                                    160,
                                    160,
                                    150,
                                    "PM2.5 hourly mean 160 ug/m3 in Wuhua 五华区, above 150"
                                            + " (GB 3095-2012 Grade II)",
                                    1),
                            alert(
                                    id,
                                    AlertStatus.ACTIVE,
                                    Severity.MODERATE,
                                    6,
                                    null,
                                    80,
                                    160,
                                    75,
                                    "PM2.5 hourly mean 80 ug/m3 in Wuhua 五华区, above 75"
                                            + " (GB 3095-2012 Grade II)",
                                    2),
                            alert(
                                    id,
                                    AlertStatus.CLEARED,
                                    Severity.MODERATE,
                                    10,
                                    H0 + 8 * HOUR,
                                    50,
                                    160,
                                    75,
                                    "PM2.5 hourly mean 50 ug/m3 in Wuhua 五华区, below 65 again"
                                            + " (peak 160)",
                                    3));
        }
    }

    @Test
    void windowsAfterAGapStartTheStreakAgain() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, 12, 300);
            feed(h, 14, 300); // 13 is missing: not consecutive
            feed(h, 15, 260.5);
            String id = "pm25-high|district|530102|" + (H0 + 14 * HOUR);
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            alert(
                                    id,
                                    AlertStatus.ACTIVE,
                                    Severity.EXTREME,
                                    16,
                                    null,
                                    260.5,
                                    300,
                                    250,
                                    "PM2.5 hourly mean 260.5 ug/m3 in Wuhua 五华区, above 250"
                                            + " (GB 3095-2012 Grade II)",
                                    1));
        }
    }

    @Test
    void noisyValuesAroundALevelMakeOneEpisode() throws Exception {
        try (var h = harness()) {
            h.open();
            // 76, 74, 78, 66, 80, 67, ... : around 75, never below 65 twice in a row
            double[] values = {76, 77, 74, 78, 66, 80, 67, 73, 79, 64, 70, 81, 65, 74.9, 75.1};
            for (int i = 0; i < values.length; i++) {
                feed(h, i, values[i]);
            }
            List<Alert> out = h.extractOutputValues();
            assertThat(out).extracting(Alert::id).containsOnly("pm25-high|district|530102|" + H0);
            assertThat(out).extracting(Alert::revision).containsExactly(1);
        }
    }

    @Test
    void theThirdEpisodeWithinAnHourIsHeldOpenAsFlapping() throws Exception {
        long five = 300_000L;
        ThresholdRule rule =
                new ThresholdRule(
                        "pm25-5m",
                        "PM2.5 5-minute mean",
                        Metric.PM25,
                        ZoneKind.DISTRICT,
                        five,
                        Statistic.MEAN,
                        List.of(new Level(Severity.MODERATE, 75)),
                        65,
                        1,
                        1,
                        "",
                        "test",
                        3,
                        0);
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new ThresholdAlertFunction(List.of(rule), NAMES)),
                        RuleAggregate::key,
                        Types.STRING)) {
            h.open();
            double[] means = {80, 60, 80, 60, 80, 60, 80};
            int w = 0;
            for (double m : means) {
                h.processElement(new RuleAggregate("pm25-5m", window(w++, five, m)), 0);
            }
            while (w <= 18) {
                h.processElement(new RuleAggregate("pm25-5m", window(w++, five, 60)), 0);
            }
            String e1 = "pm25-5m|district|530102|" + H0;
            String e2 = "pm25-5m|district|530102|" + (H0 + 2 * five);
            String e3 = "pm25-5m|district|530102|" + (H0 + 4 * five);
            assertThat(h.extractOutputValues())
                    .extracting(
                            Alert::id,
                            Alert::revision,
                            Alert::status,
                            Alert::updatedAtMillis,
                            Alert::clearedAtMillis)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(
                                    e1, 1, AlertStatus.ACTIVE, H0 + five, null),
                            org.assertj.core.groups.Tuple.tuple(
                                    e1, 2, AlertStatus.CLEARED, H0 + 2 * five, H0 + five),
                            org.assertj.core.groups.Tuple.tuple(
                                    e2, 1, AlertStatus.ACTIVE, H0 + 3 * five, null),
                            org.assertj.core.groups.Tuple.tuple(
                                    e2, 2, AlertStatus.CLEARED, H0 + 4 * five, H0 + 3 * five),
                            org.assertj.core.groups.Tuple.tuple(
                                    e3, 1, AlertStatus.ACTIVE, H0 + 5 * five, null),
                            // would clear: the third episode within the hour, held open
                            org.assertj.core.groups.Tuple.tuple(
                                    e3, 2, AlertStatus.ACTIVE, H0 + 6 * five, null),
                            // below 65 from 00:35 for a whole hour: cleared as of 00:35
                            org.assertj.core.groups.Tuple.tuple(
                                    e3, 3, AlertStatus.CLEARED, H0 + 19 * five, H0 + 7 * five));
            assertThat(h.extractOutputValues().get(5).message())
                    .isEqualTo(
                            "PM2.5 5-minute mean in Wuhua 五华区 is flapping: 3 episodes within an"
                                    + " hour; held open until below 65 for an hour");
        }
    }

    private static ZoneAggregate window(int index, long length, double mean) {
        return new ZoneAggregate(
                Metric.PM25,
                ZoneKind.DISTRICT,
                "530102",
                H0 + index * length,
                length,
                10,
                3,
                mean,
                mean,
                mean,
                mean * 10,
                mean,
                mean,
                1,
                0);
    }

    @Test
    void theRecordsInStateAndOnTheWireArePojos() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(Alert.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RuleAggregate.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ThresholdState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SilentState.class);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RuleAggregate, Alert> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ThresholdAlertFunction(List.of(RULE), NAMES)),
                RuleAggregate::key,
                Types.STRING);
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, RuleAggregate, Alert> h,
            int hour,
            double mean)
            throws Exception {
        h.processElement(new RuleAggregate("pm25-high", mean(hour, mean, 1)), 0);
    }

    private static ZoneAggregate mean(int hour, double mean, int revision) {
        return new ZoneAggregate(
                Metric.PM25,
                ZoneKind.DISTRICT,
                "530102",
                H0 + hour * HOUR,
                HOUR,
                10,
                3,
                mean,
                mean - 5,
                mean + 5,
                mean * 10,
                mean,
                mean + 4,
                revision,
                0);
    }

    private static Alert alert(
            String id,
            AlertStatus status,
            Severity severity,
            int updatedHour,
            Long clearedAt,
            double value,
            double peak,
            double threshold,
            String message,
            int revision) {
        String[] parts = id.split("\\|");
        return TestAlerts.pm25("530102")
                .id(id)
                .subjectName("Wuhua 五华区")
                .opened(Long.parseLong(parts[3]))
                .updated(H0 + updatedHour * HOUR)
                .status(status)
                .cleared(clearedAt)
                .severity(severity)
                .value(value)
                .peak(peak)
                .threshold(threshold)
                .message(message)
                .revision(revision)
                .build();
    }
}
