package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.sinks.RecordingDataStore.Written;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoredAggregate;
import org.smartcity.store.TestAggregates;
import org.smartcity.store.TestZones;

class GeoMesaSinkWriterTest {

    private static final Instant NOW = Instant.parse("2026-11-24T05:16:00Z");
    private static final StoreConfig MEMORY =
            new StoreConfig.Custom(Map.of("memory", "test"), Map.of(), true);

    private final TestProcessingTimeService timers = new TestProcessingTimeService();
    private RecordingDataStore recording;
    private GeoMesaSinkWriter writer;

    @AfterEach
    void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }

    private GeoMesaSinkWriter open(Layer layer, int batchSize, Duration flushInterval)
            throws IOException {
        GeoMesaSink sink =
                GeoMesaSink.builder()
                        .layer(layer)
                        .store(MEMORY)
                        .geometries(TestZones::geometry)
                        .batchSize(batchSize)
                        .flushInterval(flushInterval)
                        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                        .build();
        recording = new RecordingDataStore(sink.typeName());
        writer =
                new GeoMesaSinkWriter(
                        sink,
                        recording.store(),
                        UnregisteredMetricsGroup.createSinkWriterMetricGroup(),
                        timers,
                        0);
        return writer;
    }

    @Test
    void writesAFullBatchWithoutWaitingForACheckpoint() throws Exception {
        open(Layer.HISTORY, 2, Duration.ZERO);
        ZoneAggregate a = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate b = TestAggregates.pm25District("2026-11-24T05:15:00Z", 1);

        writer.write(a, null);
        writer.write(b, null);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(recording.written())
                                        .containsExactly(
                                                new Written(a.featureId(), 1),
                                                new Written(b.featureId(), 1)));
        Geometry wuhua = TestZones.geometry(ZoneKind.DISTRICT, TestZones.WUHUA);
        assertThat(recording.contents("city_aggregates"))
                .containsExactly(
                        new StoredAggregate(a.featureId(), a, wuhua, NOW),
                        new StoredAggregate(b.featureId(), b, wuhua, NOW));
    }

    @Test
    void holdsAPartialBatchUntilFlush() throws Exception {
        open(Layer.HISTORY, 10, Duration.ZERO);
        ZoneAggregate a = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);

        writer.write(a, null);
        assertThat(recording.written()).isEmpty();
        assertThat(timers.getNumActiveTimers()).isZero();

        writer.flush(false);
        assertThat(recording.written()).containsExactly(new Written(a.featureId(), 1));
    }

    @Test
    void aNewerRevisionReplacesTheBufferedOne() throws Exception {
        open(Layer.HISTORY, 10, Duration.ZERO);
        ZoneAggregate r1 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate r2 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 2);

        writer.write(r1, null);
        writer.write(r2, null);
        writer.write(r1, null);
        writer.flush(true);

        assertThat(recording.written()).containsExactly(new Written(r1.featureId(), 2));
    }

    @Test
    void liveLayerNeverReplacesANewerWindowWithAnOlderOne() throws Exception {
        open(Layer.LIVE, 1, Duration.ZERO);
        ZoneAggregate t1 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate t2 = TestAggregates.pm25District("2026-11-24T05:15:00Z", 1);
        ZoneAggregate t2r2 = TestAggregates.pm25District("2026-11-24T05:15:00Z", 2);
        ZoneAggregate t1Late = TestAggregates.pm25District("2026-11-24T05:00:00Z", 2);
        String liveId = "pm25|district|530102|15m";

        for (ZoneAggregate a : List.of(t1, t2, t2r2, t1Late)) {
            writer.write(a, null);
        }
        writer.flush(false);

        assertThat(recording.written())
                .containsExactly(
                        new Written(liveId, 1), new Written(liveId, 1), new Written(liveId, 2));
        assertThat(recording.contents("city_live"))
                .containsExactly(
                        new StoredAggregate(
                                liveId,
                                t2r2,
                                TestZones.geometry(ZoneKind.DISTRICT, TestZones.WUHUA),
                                NOW));
        assertThat(writer.droppedSuperseded()).isEqualTo(1);
        assertThat(writer.trackedLiveIds()).isEqualTo(1);
    }

    @Test
    void skipsAndCountsAggregatesOfUnknownZones() throws Exception {
        open(Layer.HISTORY, 10, Duration.ZERO);
        ZoneAggregate unknown =
                TestAggregates.aggregate(
                        Metric.PM25,
                        ZoneKind.DISTRICT,
                        TestZones.UNKNOWN,
                        "2026-11-24T05:00:00Z",
                        1);
        ZoneAggregate known = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);

        writer.write(unknown, null);
        writer.write(known, null);
        writer.flush(false);

        assertThat(recording.written()).containsExactly(new Written(known.featureId(), 1));
        assertThat(writer.skippedUnlocated()).isEqualTo(1);
    }

    @Test
    void aFailedBatchIsRethrownByTheNextCallAndEveryCallAfter() throws Exception {
        open(Layer.HISTORY, 1, Duration.ZERO);
        recording.failWith(new IOException("disk full"));

        writer.write(TestAggregates.pm25District("2026-11-24T05:00:00Z", 1), null);

        assertThatThrownBy(() -> writer.flush(false))
                .isInstanceOf(IOException.class)
                .hasMessage("Writing 1 features to city_aggregates in Custom {memory=test} failed")
                .rootCause()
                .hasMessage("disk full");
        assertThatThrownBy(
                        () ->
                                writer.write(
                                        TestAggregates.pm25District("2026-11-24T05:15:00Z", 1),
                                        null))
                .isInstanceOf(IOException.class)
                .hasMessage("Writing 1 features to city_aggregates in Custom {memory=test} failed");
    }

    @Test
    void theFlushIntervalWritesAPartialBatch() throws Exception {
        timers.setCurrentTime(1_000);
        open(Layer.LIVE, 100, Duration.ofMillis(250));
        ZoneAggregate a = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);

        writer.write(a, null);
        writer.write(TestAggregates.pm25District("2026-11-24T05:15:00Z", 1), null);
        assertThat(timers.getActiveTimerTimestamps()).containsExactly(1_250L);

        timers.advance(249);
        assertThat(recording.written()).isEmpty();
        timers.advance(1);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(recording.written())
                                        .containsExactly(
                                                new Written("pm25|district|530102|15m", 1)));
        assertThat(timers.getNumActiveTimers()).isZero();
    }

    @Test
    void closeDisposesTheStore() throws Exception {
        open(Layer.HISTORY, 10, Duration.ZERO);

        writer.close();
        writer = null;

        assertThat(recording.disposed()).isTrue();
    }
}
