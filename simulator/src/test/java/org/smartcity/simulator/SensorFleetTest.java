package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.smartcity.core.CityArea;
import org.smartcity.core.Metric;
import org.smartcity.core.SensorTopic;

class SensorFleetTest {
    private static final CityArea URBAN =
            CityArea.parse("kunming", SimulatorConfig.KUNMING_URBAN_BBOX);
    private static final CityLayout KUNMING = CityLayout.kunming(CityArea.KUNMING, URBAN);

    private static List<Sensor> fleet(int count) {
        return SensorFleet.place(KUNMING, count, 0.15, new Random(42));
    }

    @Test
    void splitsTheSensorsOverEveryMetricByWeight() {
        Map<Metric, Integer> split = SensorFleet.apportion(500);

        assertThat(split.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(500);
        assertThat(split)
                .containsEntry(Metric.PM25, 83)
                .containsEntry(Metric.TRAFFIC, 83)
                .containsEntry(Metric.TEMPERATURE, 55)
                .containsEntry(Metric.PM10, 56)
                .containsEntry(Metric.O3, 28)
                .containsEntry(Metric.WATER_LEVEL, 28);
        assertThat(SensorFleet.apportion(3).values())
                .as("the largest remainders first, ties in catalogue order")
                .containsExactly(1, 1, 0, 0, 0, 0, 0, 1, 0);
    }

    @Test
    void idsAreStableNumberedPerMetricAndValidInTopics() {
        List<Sensor> sensors = fleet(500);

        assertThat(sensors).extracting(Sensor::id).doesNotHaveDuplicates();
        assertThat(sensors.get(0).id()).isEqualTo("km-pm25-0001");
        assertThat(sensors)
                .filteredOn(s -> s.metric() == Metric.PM25)
                .extracting(Sensor::id)
                .contains("km-pm25-0042", "km-pm25-0083")
                .doesNotContain("km-pm25-0084");
        assertThat(sensors)
                .allSatisfy(
                        s -> {
                            assertThat(s.id())
                                    .matches(SensorTopic.SENSOR_ID)
                                    .startsWith("km-" + s.metric().id() + "-");
                            assertThat(s.topic())
                                    .isEqualTo("city/kunming/" + s.metric().id() + "/" + s.id());
                        });
        assertThat(fleet(500)).as("the same seed places the same fleet").isEqualTo(sensors);
    }

    @Test
    void mostSensorsStandInTheUrbanAreaAndNoneOnTheLakeButGauges() {
        List<Sensor> sensors = fleet(2000);
        CityLayout.Ellipse dianchi = KUNMING.lakes().get(0);

        assertThat(sensors)
                .allSatisfy(s -> assertThat(CityArea.KUNMING.contains(s.lat(), s.lon())).isTrue());
        List<Sensor> air = sensors.stream().filter(s -> s.metric() != Metric.WATER_LEVEL).toList();
        assertThat(air).noneSatisfy(s -> assertThat(dianchi.contains(s.lat(), s.lon())).isTrue());
        long urban = air.stream().filter(s -> URBAN.contains(s.lat(), s.lon())).count();
        assertThat(air)
                .filteredOn(Sensor::outer)
                .allSatisfy(s -> assertThat(URBAN.contains(s.lat(), s.lon())).isFalse());
        // 15 % outer, binomial spread about 0.8 %.
        assertThat((double) urban / air.size()).isBetween(0.82, 0.88);
        // Gauges follow the Panlong River and the lake shore: all within about 1 km of them.
        assertThat(sensors)
                .filteredOn(s -> s.metric() == Metric.WATER_LEVEL)
                .hasSize(111)
                .allSatisfy(s -> assertThat(s.exposure()).isBetween(0.0, 1.0));
    }

    @Test
    void sensorsClusterAroundTheCentres() {
        List<Sensor> sensors = fleet(2000);

        long nearCentre = sensors.stream().filter(s -> Math.hypot(s.xKm(), s.yKm()) < 5).count();
        // The old city (a 5 km circle, 79 km²) holds three times its 5 % share of the urban area.
        assertThat((double) nearCentre / sensors.size()).isGreaterThan(0.15);
        assertThat(sensors).allSatisfy(s -> assertThat(s.centrality()).isBetween(0.0, 1.0));
    }

    @Test
    void anotherCityGetsAGenericLayout() {
        CityArea area = new CityArea("lyon", 45.6, 4.7, 45.9, 5.1);
        CityArea urban = new CityArea("lyon", 45.7, 4.78, 45.8, 4.92);
        List<Sensor> sensors =
                SensorFleet.place(CityLayout.generic(area, urban), 100, 0.2, new Random(1));

        assertThat(sensors.get(0).id()).isEqualTo("lyon-pm25-0001");
        assertThat(sensors).allSatisfy(s -> assertThat(area.contains(s.lat(), s.lon())).isTrue());
        assertThat(sensors)
                .filteredOn(Sensor::outer)
                .isNotEmpty()
                .allSatisfy(s -> assertThat(urban.contains(s.lat(), s.lon())).isFalse());
        assertThat(CityLayout.idPrefix("São Paulo")).isEqualTo("sopaulo");
    }
}
