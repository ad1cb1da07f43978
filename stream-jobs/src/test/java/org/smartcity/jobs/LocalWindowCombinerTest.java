package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.smartcity.jobs.TestReadings.at;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.zoning.ZoneKind;

/**
 * The pre-aggregation before the shortest windows: what it holds back, what it sends at once, and
 * that a window's readings always go out before the watermark that closes it.
 */
class LocalWindowCombinerTest {
    private static final ZoneKey CITY = new ZoneKey(Metric.PM25, ZoneKind.CITY, "kunming");
    private static final ZoneKey CELL = new ZoneKey(Metric.PM25, ZoneKind.H3, "8840d8a2d7fffff");
    private static final ZoneKey NOISE = new ZoneKey(Metric.NOISE, ZoneKind.CITY, "kunming");

    private OneInputStreamOperatorTestHarness<ZoneReading, ZonePartial> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void sendsAWindowsReadingsPerZoneJustBeforeTheWatermarkThatClosesIt() throws Exception {
        harness = open(100);
        feed(CITY, "s1", "05:00:10", 10);
        feed(CELL, "s1", "05:00:10", 10);
        feed(CITY, "s2", "05:00:50", 30);
        feed(CITY, "s3", "05:01:05", 5); // the next minute
        harness.processWatermark(at("05:00:59.998"));
        assertThat(partials()).isEmpty();

        harness.processWatermark(at("05:00:59.999"));
        List<Object> out = new ArrayList<>(harness.getOutput());
        assertThat(out).hasSize(4); // two partials, two watermarks
        assertThat(out.get(0)).isEqualTo(new Watermark(at("05:00:59.998")));
        assertThat(out.get(3)).isEqualTo(new Watermark(at("05:00:59.999")));
        List<ZonePartial> sent = partials();
        assertThat(sent).extracting(ZonePartial::zone).containsExactlyInAnyOrder(CITY, CELL);
        ZonePartial city = sent.stream().filter(p -> p.zone().equals(CITY)).findFirst().get();
        assertThat(city.windowStartMillis()).isEqualTo(at("05:00:00"));
        assertThat(city.stats().count()).isEqualTo(2);
        assertThat(city.stats().sum()).isEqualTo(40);
        assertThat(city.stats().sensors())
                .containsExactlyInAnyOrder(SensorIds.hash("s1"), SensorIds.hash("s2"));
        assertThat(timestamps()).containsOnly(at("05:00:59.999"));

        harness.processWatermark(at("05:02:00"));
        assertThat(partials()).hasSize(3);
        assertThat(partials().get(2).stats().sum()).isEqualTo(5);
    }

    @Test
    void aReadingForAClosedWindowGoesOnAtOnceAlone() throws Exception {
        harness = open(100);
        harness.processWatermark(at("05:03:00"));
        feed(CITY, "s1", "05:00:10", 10);
        feed(CITY, "s2", "05:00:20", 20);

        List<ZonePartial> sent = partials();
        assertThat(sent).hasSize(2);
        assertThat(sent).allSatisfy(p -> assertThat(p.stats().count()).isEqualTo(1));
        assertThat(sent.get(1).stats().max()).isEqualTo(20);
        assertThat(timestamps()).containsOnly(at("05:00:59.999"));
    }

    @Test
    void sendsEverythingBeforeACheckpointBarrierAndKeepsNoState() throws Exception {
        harness = open(100);
        feed(CITY, "s1", "05:00:10", 10);
        feed(NOISE, "s1", "05:00:10", 60);

        harness.prepareSnapshotPreBarrier(1);
        assertThat(partials()).hasSize(2);
        ZonePartial noise =
                partials().stream().filter(p -> p.zone().equals(NOISE)).findFirst().get();
        assertThat(noise.stats().energySum()).isEqualTo(1e6, offset(1e-6));
        assertThat(harness.snapshot(1, 1).getManagedOperatorState()).isEmpty();

        // Nothing is sent twice: the watermark that closes the minute finds it empty.
        harness.processWatermark(at("05:01:00"));
        assertThat(partials()).hasSize(2);
    }

    @Test
    void aFullBufferIsSentEarly() throws Exception {
        harness = open(2);
        feed(CITY, "s1", "05:00:10", 10);
        feed(CELL, "s1", "05:00:10", 10);
        assertThat(partials()).hasSize(2);

        feed(CITY, "s2", "05:00:20", 20);
        assertThat(partials()).hasSize(2);
        harness.processWatermark(at("05:00:59.999"));
        assertThat(partials()).hasSize(3);
    }

    private static OneInputStreamOperatorTestHarness<ZoneReading, ZonePartial> open(int maxBuffered)
            throws Exception {
        var h =
                new OneInputStreamOperatorTestHarness<>(
                        new LocalWindowCombiner(60_000, maxBuffered));
        h.open();
        return h;
    }

    private void feed(ZoneKey zone, String sensor, String time, double value) throws Exception {
        harness.processElement(
                new ZoneReading(zone, SensorIds.hash(sensor), at(time), value), at(time));
    }

    private List<ZonePartial> partials() {
        return harness.extractOutputValues();
    }

    private List<Long> timestamps() {
        List<Long> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add(r.getTimestamp());
            }
        }
        return out;
    }
}
