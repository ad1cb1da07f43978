package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.WindowRevision;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.store.AggregateSchema;

class NewestWindowFilterTest {

    @Test
    void passesTheNewestWindowAndItsRevisionsButNotCorrectionsOfOlderOnes() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ZoneAggregate, ZoneAggregate> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new NewestWindowFilter(), AggregateSchema::liveId, Types.STRING)) {
            harness.processElement(aggregate("05:00:00", 60_000, 1), 0);
            harness.processElement(aggregate("05:01:00", 60_000, 1), 0);
            harness.processElement(aggregate("05:00:00", 60_000, 2), 0); // older: history only
            harness.processElement(aggregate("05:01:00", 60_000, 2), 0); // newest, corrected
            harness.processElement(aggregate("05:00:00", 900_000, 1), 0); // another length

            assertThat(harness.extractOutputValues())
                    .extracting(
                            a ->
                                    a.windowStartMillis()
                                            + "/"
                                            + a.windowLengthMillis()
                                            + "r"
                                            + a.revision())
                    .containsExactly(
                            at("05:00:00") + "/60000r1",
                            at("05:01:00") + "/60000r1",
                            at("05:01:00") + "/60000r2",
                            at("05:00:00") + "/900000r1");
        }
    }

    @Test
    void dropsAnOlderRevisionOfTheNewestWindow() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ZoneAggregate, ZoneAggregate> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new NewestWindowFilter(), AggregateSchema::liveId, Types.STRING)) {
            harness.processElement(aggregate("05:01:00", 60_000, 2), 0);
            harness.processElement(aggregate("05:01:00", 60_000, 1), 0); // older revision
            harness.processElement(aggregate("05:01:00", 60_000, 2), 0); // a replay passes

            assertThat(harness.extractOutputValues())
                    .extracting(ZoneAggregate::revision)
                    .containsExactly(2, 2);
        }
    }

    @Test
    void itsStateIsSerializedWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(WindowRevision.class);
    }

    /** Epoch milliseconds of {@code time} (HH:mm:ss) on 2026-11-24, UTC. */
    private static long at(String time) {
        return Instant.parse("2026-11-24T" + time + "Z").toEpochMilli();
    }

    private static ZoneAggregate aggregate(String start, long length, int revision) {
        return new ZoneAggregate(
                Metric.PM25,
                ZoneKind.CITY,
                "kunming",
                at(start),
                length,
                1,
                1,
                1,
                1,
                1,
                1,
                1,
                1,
                revision,
                0);
    }
}
