package org.smartcity.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SensorTopicTest {

    @ParameterizedTest
    @EnumSource(Metric.class)
    void buildsTheTopicAndParsesItBack(Metric metric) {
        String topic = SensorTopic.of("kunming", metric, "km-0042");

        assertThat(topic).isEqualTo("city/kunming/" + metric.id() + "/km-0042");
        assertThat(SensorTopic.parse(topic))
                .isEqualTo(new SensorTopic("kunming", metric.id(), "km-0042"));
    }

    @Test
    void keepsAMetricThatIsNotInTheCatalogue() {
        // The bridge rejects it as UNKNOWN_METRIC, which needs the id as written.
        assertThat(SensorTopic.parse("city/kunming/pm1/km-0042"))
                .isEqualTo(new SensorTopic("kunming", "pm1", "km-0042"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "city",
                "city/",
                "city/kunming",
                "city/kunming/pm25",
                "city/kunming/pm25/km-0042/extra",
                "city//pm25/km-0042",
                "city/kunming//km-0042",
                "/city/kunming/pm25/km-0042",
                "town/kunming/pm25/km-0042",
                "City/kunming/pm25/km-0042"
            })
    void refusesATopicOfAnotherShape(String topic) {
        assertThat(SensorTopic.parse(topic)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "km-pm25-0042", "KM_0042.v2", "0123456789"})
    void acceptsSensorIdsOfTheContract(String sensorId) {
        assertThat(topicFor(sensorId).hasValidSensorId()).isTrue();
    }

    @Test
    void acceptsSensorIdsUpTo64Characters() {
        assertThat(topicFor("s".repeat(64)).hasValidSensorId()).isTrue();
        assertThat(topicFor("s".repeat(65)).hasValidSensorId()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "km 0042", "km+0042", "km#0042", "km:0042", "传感器"})
    void refusesOtherSensorIds(String sensorId) {
        assertThat(topicFor(sensorId).hasValidSensorId()).isFalse();
    }

    @Test
    void filterMatchesEveryCityMetricAndSensor() {
        assertThat(SensorTopic.FILTER).isEqualTo("city/+/+/+");
    }

    private static SensorTopic topicFor(String sensorId) {
        SensorTopic parsed = SensorTopic.parse("city/kunming/pm25/" + sensorId);
        assertThat(parsed).isNotNull();
        return parsed;
    }
}
