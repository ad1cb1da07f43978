package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.api.feature.type.AttributeDescriptor;
import org.geotools.referencing.CRS;
import org.junit.jupiter.api.Test;
import org.locationtech.geomesa.utils.interop.SimpleFeatureTypes;
import org.locationtech.jts.geom.Geometry;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;

class AggregateSchemaTest {

    private static final Instant WRITTEN = Instant.parse("2026-11-24T05:15:03.250Z");

    @Test
    void featureTypeHasTheAggregateAttributesInOrder() throws Exception {
        SimpleFeatureType type =
                AggregateSchema.featureType(
                        AggregateSchema.HISTORY_TYPE,
                        StoreConfig.FileSystem.parquet("/h").featureTypeUserData());

        assertThat(type.getTypeName()).isEqualTo("city_aggregates");
        assertThat(type.getAttributeDescriptors())
                .extracting(AttributeDescriptor::getLocalName)
                .containsExactly(
                        "metric",
                        "zone_kind",
                        "zone_id",
                        "window_start",
                        "window_end",
                        "window_length",
                        "count",
                        "distinct_sensors",
                        "mean",
                        "min",
                        "max",
                        "sum",
                        "p50",
                        "p95",
                        "revision",
                        "unit",
                        "updated",
                        "coverage",
                        "geom");
        assertThat(type.getAttributeDescriptors())
                .extracting(d -> d.getType().getBinding().getSimpleName())
                .containsExactly(
                        "String",
                        "String",
                        "String",
                        "Date",
                        "Date",
                        "String",
                        "Long",
                        "Long",
                        "Double",
                        "Double",
                        "Double",
                        "Double",
                        "Double",
                        "Double",
                        "Integer",
                        "String",
                        "Date",
                        "Long",
                        "Geometry");
        assertThat(type.getGeometryDescriptor().getLocalName()).isEqualTo("geom");
        assertThat(CRS.lookupEpsgCode(type.getCoordinateReferenceSystem(), false)).isEqualTo(4326);
        assertThat(type.getUserData())
                .containsEntry("geomesa.index.dtg", "window_start")
                .containsEntry("geomesa.mixed.geometries", "true")
                .containsEntry("geomesa.fs.scheme", "{\"name\":\"daily\",\"options\":{}}");
    }

    @Test
    void liveTypeIsTheSameSchemaUnderItsOwnName() {
        SimpleFeatureType live = AggregateSchema.featureType(AggregateSchema.LIVE_TYPE, Map.of());
        SimpleFeatureType history =
                AggregateSchema.featureType(AggregateSchema.HISTORY_TYPE, Map.of());

        assertThat(live.getTypeName()).isEqualTo("city_live");
        assertThat(live.getAttributeDescriptors()).isEqualTo(history.getAttributeDescriptors());
    }

    @Test
    void historyIdIsTheDeterministicAggregateIdAndLiveIdDropsTheWindowStart() {
        ZoneAggregate a =
                TestAggregates.aggregate(
                        Metric.PM25,
                        ZoneKind.DISTRICT,
                        "530102",
                        Instant.ofEpochMilli(1_795_496_400_000L),
                        Duration.ofMinutes(15),
                        1);

        assertThat(AggregateSchema.historyId(a))
                .isEqualTo("pm25|district|530102|1795496400000|15m");
        assertThat(AggregateSchema.liveId(a)).isEqualTo("pm25|district|530102|15m");
        assertThat(Layer.HISTORY.featureId(a)).isEqualTo(AggregateSchema.historyId(a));
        assertThat(Layer.LIVE.featureId(a)).isEqualTo(AggregateSchema.liveId(a));
    }

    @Test
    void toFeatureMapsEveryField() {
        ZoneAggregate a =
                new ZoneAggregate(
                        Metric.NOISE,
                        ZoneKind.H3,
                        TestZones.CELL,
                        Instant.parse("2026-11-24T05:00:00Z").toEpochMilli(),
                        Duration.ofHours(1).toMillis(),
                        120,
                        7,
                        61.5,
                        48.0,
                        79.25,
                        7020.0,
                        60.0,
                        75.5,
                        3,
                        44);
        Geometry cell = TestZones.geometry(ZoneKind.H3, TestZones.CELL);
        SimpleFeatureType type = AggregateSchema.featureType(AggregateSchema.LIVE_TYPE, Map.of());

        SimpleFeature f =
                AggregateSchema.toFeature(type, AggregateSchema.liveId(a), a, cell, WRITTEN);

        assertThat(f.getID()).isEqualTo("noise|h3|8840d8a2d7fffff|1h");
        assertThat(f.getAttribute("metric")).isEqualTo("noise");
        assertThat(f.getAttribute("zone_kind")).isEqualTo("h3");
        assertThat(f.getAttribute("zone_id")).isEqualTo("8840d8a2d7fffff");
        assertThat(f.getAttribute("window_start"))
                .isEqualTo(Date.from(Instant.parse("2026-11-24T05:00:00Z")));
        assertThat(f.getAttribute("window_end"))
                .isEqualTo(Date.from(Instant.parse("2026-11-24T06:00:00Z")));
        assertThat(f.getAttribute("window_length")).isEqualTo("1h");
        assertThat(f.getAttribute("count")).isEqualTo(120L);
        assertThat(f.getAttribute("distinct_sensors")).isEqualTo(7L);
        assertThat(f.getAttribute("mean")).isEqualTo(61.5);
        assertThat(f.getAttribute("min")).isEqualTo(48.0);
        assertThat(f.getAttribute("max")).isEqualTo(79.25);
        assertThat(f.getAttribute("sum")).isEqualTo(7020.0);
        assertThat(f.getAttribute("p50")).isEqualTo(60.0);
        assertThat(f.getAttribute("p95")).isEqualTo(75.5);
        assertThat(f.getAttribute("revision")).isEqualTo(3);
        assertThat(f.getAttribute("unit")).isEqualTo("dB(A)");
        assertThat(f.getAttribute("updated")).isEqualTo(Date.from(WRITTEN));
        assertThat(f.getAttribute("coverage")).isEqualTo(44L);
        assertThat(f.getDefaultGeometry()).isEqualTo(cell);
        assertThat(StoredAggregate.fromFeature(f).aggregate()).isEqualTo(a);
    }

    @Test
    void aTypeMadeBeforeCoverageStillHoldsAggregatesWithoutIt() throws Exception {
        SimpleFeatureType old = olderType(AggregateSchema.HISTORY_TYPE);
        ZoneAggregate a = TestAggregates.pm25District("2026-11-24T05:15:00Z", 2);
        ZoneAggregate covered = a.withCoverage(15);
        Geometry district = TestZones.geometry(ZoneKind.DISTRICT, TestZones.WUHUA);

        DataStores.checkCompatible(
                old, AggregateSchema.featureType(AggregateSchema.HISTORY_TYPE, Map.of()));
        SimpleFeature f = AggregateSchema.toFeature(old, a.featureId(), covered, district, WRITTEN);

        assertThat(f.getAttribute("coverage")).isNull();
        assertThat(StoredAggregate.fromFeature(f).aggregate())
                .as("coverage read as 0, unknown")
                .isEqualTo(a)
                .extracting(ZoneAggregate::coverage)
                .isEqualTo(0L);
    }

    @Test
    void aTypeWithoutARequiredAttributeIsStillRefused() {
        SimpleFeatureType noRevision =
                SimpleFeatureTypes.createType(
                        AggregateSchema.HISTORY_TYPE,
                        AggregateSchema.SPEC.replace(",revision:Integer", ""));

        assertThatThrownBy(
                        () ->
                                DataStores.checkCompatible(
                                        noRevision,
                                        AggregateSchema.featureType(
                                                AggregateSchema.HISTORY_TYPE, Map.of())))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("cannot hold aggregates: revision is missing. Expected spec");
    }

    /** The feature type as the first versions created it: no coverage. */
    static SimpleFeatureType olderType(String name) {
        SimpleFeatureType old =
                SimpleFeatureTypes.createType(
                        name, AggregateSchema.SPEC.replace(",coverage:Long", ""));
        old.getUserData().put("geomesa.index.dtg", AggregateSchema.WINDOW_START);
        old.getUserData().put("geomesa.mixed.geometries", "true");
        return old;
    }

    @Test
    void storedAggregateReadsBackWhatWasMapped() {
        ZoneAggregate a = TestAggregates.pm25District("2026-11-24T05:15:00Z", 2);
        Geometry district = TestZones.geometry(ZoneKind.DISTRICT, TestZones.WUHUA);
        SimpleFeatureType type =
                AggregateSchema.featureType(AggregateSchema.HISTORY_TYPE, Map.of());

        StoredAggregate stored =
                StoredAggregate.fromFeature(
                        AggregateSchema.toFeature(type, a.featureId(), a, district, WRITTEN));

        assertThat(stored).isEqualTo(new StoredAggregate(a.featureId(), a, district, WRITTEN));
    }

    @Test
    void storedAggregateRejectsAnUnknownMetric() {
        SimpleFeatureType type =
                AggregateSchema.featureType(AggregateSchema.HISTORY_TYPE, Map.of());
        ZoneAggregate a = TestAggregates.pm25District("2026-11-24T05:15:00Z", 1);
        SimpleFeature f =
                AggregateSchema.toFeature(
                        type,
                        a.featureId(),
                        a,
                        TestZones.geometry(ZoneKind.DISTRICT, TestZones.WUHUA),
                        WRITTEN);
        f.setAttribute("metric", "radon");

        assertThatThrownBy(() -> StoredAggregate.fromFeature(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Feature " + a.featureId() + " has unknown metric 'radon'");
    }

    @Test
    void specEndsWithTheDefaultGeometry() {
        assertThat(AggregateSchema.SPEC.split(","))
                .hasSize(19)
                .endsWith("*geom:Geometry:srid=4326");
    }
}
