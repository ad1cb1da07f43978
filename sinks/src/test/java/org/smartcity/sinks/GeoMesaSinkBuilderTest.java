package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.TestAggregates;
import org.smartcity.store.TestZones;
import org.smartcity.store.ZoneGeometries;

class GeoMesaSinkBuilderTest {

    private static final StoreConfig HISTORY = StoreConfig.FileSystem.parquet("/tmp/history");
    private static final StoreConfig LIVE = StoreConfig.Kafka.local("127.0.0.1:9092", "catalog");
    private static final ZoneGeometries ZONES = TestZones::geometry;

    private static GeoMesaSink.Builder valid() {
        return GeoMesaSink.builder().layer(Layer.HISTORY).store(HISTORY).geometries(ZONES);
    }

    @Test
    void defaultsDependOnTheLayer() {
        GeoMesaSink history = GeoMesaSink.history(HISTORY, ZONES);
        GeoMesaSink live = GeoMesaSink.live(LIVE, ZONES);

        assertThat(history.typeName()).isEqualTo("city_aggregates");
        assertThat(history.flushInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(history.batchSize()).isEqualTo(1_000);
        assertThat(history.clock()).isEqualTo(Clock.systemUTC());
        assertThat(live.typeName()).isEqualTo("city_live");
        assertThat(live.flushInterval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void keepsWhatItIsGiven() {
        Clock clock = Clock.fixed(TestAggregates.T0, java.time.ZoneOffset.UTC);
        GeoMesaSink sink =
                valid().typeName("aggregates_v2")
                        .batchSize(50)
                        .flushInterval(Duration.ZERO)
                        .clock(clock)
                        .build();

        assertThat(sink.layer()).isEqualTo(Layer.HISTORY);
        assertThat(sink.store()).isEqualTo(HISTORY);
        assertThat(sink.typeName()).isEqualTo("aggregates_v2");
        assertThat(sink.batchSize()).isEqualTo(50);
        assertThat(sink.flushInterval()).isEqualTo(Duration.ZERO);
        assertThat(sink.clock()).isEqualTo(clock);
        assertThat(sink.toString())
                .isEqualTo(
                        "GeoMesaSink{HISTORY aggregates_v2 in FileSystem {fs.encoding=parquet,"
                                + " fs.path=/tmp/history}, batch 50, flush every PT0S}");
    }

    @Test
    void requiresLayerStoreAndGeometries() {
        assertThatThrownBy(() -> GeoMesaSink.builder().store(HISTORY).geometries(ZONES).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GeoMesaSink: layer is required (Layer.HISTORY or Layer.LIVE)");
        assertThatThrownBy(
                        () -> GeoMesaSink.builder().layer(Layer.HISTORY).geometries(ZONES).build())
                .hasMessage("GeoMesaSink: store is required (a StoreConfig)");
        assertThatThrownBy(() -> GeoMesaSink.builder().layer(Layer.HISTORY).store(HISTORY).build())
                .hasMessage("GeoMesaSink: geometries is required (a ZoneGeometries)");
        assertThatThrownBy(() -> valid().clock(null).build())
                .hasMessage("GeoMesaSink: clock must not be null");
    }

    @Test
    void rejectsBatchSizesOutOfRange() {
        assertThatThrownBy(() -> valid().batchSize(0).build())
                .hasMessage("GeoMesaSink: batchSize must be between 1 and 100000, was 0");
        assertThatThrownBy(() -> valid().batchSize(100_001).build())
                .hasMessage("GeoMesaSink: batchSize must be between 1 and 100000, was 100001");
        assertThat(valid().batchSize(1).build().batchSize()).isEqualTo(1);
        assertThat(valid().batchSize(100_000).build().batchSize()).isEqualTo(100_000);
    }

    @Test
    void rejectsFlushIntervalsOutOfRange() {
        assertThatThrownBy(() -> valid().flushInterval(Duration.ofMillis(-1)).build())
                .hasMessage(
                        "GeoMesaSink: flushInterval must be between 0 and 1 hour, was PT-0.001S");
        assertThatThrownBy(() -> valid().flushInterval(Duration.ofMinutes(61)).build())
                .hasMessage("GeoMesaSink: flushInterval must be between 0 and 1 hour, was PT1H1M");
    }

    @Test
    void rejectsTypeNamesGeoMesaCannotUse() {
        assertThatThrownBy(() -> valid().typeName("city aggregates").build())
                .hasMessage(
                        "GeoMesaSink: typeName must be letters, digits and underscores, not"
                                + " starting with a digit, was 'city aggregates'");
        assertThatThrownBy(() -> valid().typeName("1city").build())
                .hasMessageContaining("was '1city'");
    }

    @Test
    void rejectsAnAppendingStoreForTheLiveLayer() {
        assertThatThrownBy(() -> valid().layer(Layer.LIVE).build())
                .hasMessage(
                        "GeoMesaSink: the live layer needs a store that overwrites by feature id,"
                                + " but FileSystem {fs.encoding=parquet, fs.path=/tmp/history}"
                                + " appends: use StoreConfig.Kafka for Layer.LIVE");
    }

    @Test
    void rejectsGeometriesThatCannotBeShippedToTheCluster() {
        ZoneGeometries capturing = new NotSerializableZones()::geometry;

        assertThatThrownBy(() -> valid().geometries(capturing).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "GeoMesaSink: geometries must be serializable (Flink ships it to every"
                                + " subtask): java.io.NotSerializableException:")
                .hasMessageContaining("NotSerializableZones");
    }

    /** Captured by a method reference, it makes the reference unserializable. */
    private static final class NotSerializableZones {
        Geometry geometry(ZoneKind kind, String id) {
            return TestZones.geometry(kind, id);
        }
    }
}
