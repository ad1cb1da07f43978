package org.smartcity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetricTest {

    @Test
    void idsAreTheContractsInCatalogueOrder() {
        assertThat(Arrays.stream(Metric.values()).map(Metric::id))
                .containsExactly(
                        "pm25",
                        "pm10",
                        "no2",
                        "o3",
                        "noise",
                        "temperature",
                        "humidity",
                        "traffic",
                        "water_level")
                .doesNotHaveDuplicates();
        assertThat(Metric.ids())
                .isEqualTo(
                        "pm25, pm10, no2, o3, noise, temperature, humidity, traffic, water_level");
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void findsEachMetricByItsId(Metric metric) {
        assertThat(Metric.byId(metric.id())).contains(metric);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pm1", "PM25", "pm2.5", "water-level", "PM25 "})
    void findsNothingForAnotherId(String id) {
        assertThat(Metric.byId(id)).isEmpty();
    }

    static Stream<Arguments> catalogue() {
        return Stream.of(
                arguments(Metric.PM25, "ug/m3", 0, 2_000, Aggregation.MEAN),
                arguments(Metric.PM10, "ug/m3", 0, 5_000, Aggregation.MEAN),
                arguments(Metric.NO2, "ug/m3", 0, 4_000, Aggregation.MEAN),
                arguments(Metric.O3, "ug/m3", 0, 2_000, Aggregation.MEAN),
                arguments(Metric.NOISE, "dB(A)", 0, 160, Aggregation.ENERGETIC_MEAN),
                arguments(Metric.TEMPERATURE, "degC", -60, 70, Aggregation.MEAN),
                arguments(Metric.HUMIDITY, "%", 0, 100, Aggregation.MEAN),
                arguments(Metric.TRAFFIC, "vehicles", 0, 100_000, Aggregation.SUM),
                arguments(Metric.WATER_LEVEL, "m", -50, 500, Aggregation.MAX));
    }

    @ParameterizedTest
    @MethodSource("catalogue")
    void hasTheUnitRangeAndAggregationOfTheCatalogue(
            Metric metric, String unit, double min, double max, Aggregation aggregation) {
        assertThat(metric.unit()).isEqualTo(unit);
        assertThat(metric.minValue()).isEqualTo(min);
        assertThat(metric.maxValue()).isEqualTo(max);
        assertThat(metric.aggregation()).isEqualTo(aggregation);
    }

    @Test
    void catalogueTableCoversEveryMetric() {
        assertThat(catalogue().map(row -> row.get()[0]))
                .containsExactly((Object[]) Metric.values());
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void rangeIncludesItsLimitsAndNothingBeyond(Metric metric) {
        assertThat(metric.inRange(metric.minValue())).isTrue();
        assertThat(metric.inRange(metric.maxValue())).isTrue();
        assertThat(metric.inRange(Math.nextDown(metric.minValue()))).isFalse();
        assertThat(metric.inRange(Math.nextUp(metric.maxValue()))).isFalse();
        assertThat(metric.inRange(Double.NaN)).isFalse();
    }

    @ParameterizedTest(name = "{0} accepts ''{1}''")
    @CsvSource({
        "PM25, ug/m3",
        "PM25, UG/M3",
        "PM25, µg/m³",
        "PM25, µg/m3",
        "PM25, ug/m³",
        "NO2, µg/m³",
        "NOISE, dB(A)",
        "NOISE, dBA",
        "NOISE, dB",
        "TEMPERATURE, °C",
        "TEMPERATURE, degc",
        "HUMIDITY, percent",
        "TRAFFIC, veh",
        "WATER_LEVEL, metre"
    })
    void acceptsTheCanonicalUnitAndItsAliases(Metric metric, String unit) {
        assertThat(metric.acceptsUnit(unit)).isTrue();
    }

    @ParameterizedTest(name = "{0} refuses ''{1}''")
    @CsvSource({
        "PM25, mg/m3",
        "PM25, ppb",
        "NOISE, dBC",
        "TEMPERATURE, F",
        "HUMIDITY, ''",
        "WATER_LEVEL, cm",
        "TRAFFIC, m"
    })
    void refusesOtherUnits(Metric metric, String unit) {
        assertThat(metric.acceptsUnit(unit)).isFalse();
    }
}
