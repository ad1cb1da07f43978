package org.smartcity.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smartcity.core.BoundingBox;
import org.smartcity.core.CityArea;

class CityOptionsTest {

    private static CityConfig load(String... flags) {
        return CityOptions.from(Settings.load(CityOptions.OPTIONS, List.of(flags), Map.of()));
    }

    @Test
    void defaultsToKunmingInChinaStandardTime() {
        CityConfig city = CityOptions.defaults();

        assertThat(city.id()).isEqualTo("kunming");
        assertThat(city.bbox()).isEqualTo(new BoundingBox(102.17, 24.38, 103.67, 26.37));
        assertThat(city.timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(city.area()).isEqualTo(CityArea.KUNMING);
        assertThat(CityOptions.OPTIONS)
                .extracting(ConfigOption::flag)
                .containsExactly("--city-id", "--city-bbox", "--city-timezone");
        assertThat(CityOptions.BBOX.defaultValue()).isEqualTo("24.38,102.17,26.37,103.67");
    }

    @Test
    void theBboxFlagIsLatitudeFirstAndItsHelpSaysSo() {
        CityConfig city = load("--city-id", "dali", "--city-bbox", "25.5,100.1,25.8,100.4");

        assertThat(city.bbox().minLat()).isEqualTo(25.5);
        assertThat(city.bbox().minLon()).isEqualTo(100.1);
        assertThat(city.bbox().maxLat()).isEqualTo(25.8);
        assertThat(city.bbox().maxLon()).isEqualTo(100.4);
        assertThat(city.area()).isEqualTo(new CityArea("dali", 25.5, 100.1, 25.8, 100.4));
        assertThat(CityOptions.BBOX.description())
                .startsWith("city area in degrees, latitude first: minLat,minLon,maxLat,maxLon");
    }

    @Test
    void takesATimeZoneFromTheEnvironment() {
        CityConfig city =
                CityOptions.from(
                        Settings.load(
                                CityOptions.OPTIONS,
                                List.of(),
                                Map.of("SMARTCITY_CITY_TIMEZONE", "Europe/Paris")));

        assertThat(city.timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }

    @Test
    void aWrongValueNamesItsOption() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> load("--city-timezone", "Mars/Olympus"))
                .withMessage(
                        "Invalid value 'Mars/Olympus' for --city-timezone (flag): expected a time"
                                + " zone such as Asia/Shanghai");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> load("--city-bbox", "1,2,3"))
                .withMessage(
                        "Invalid value '1,2,3' for --city-bbox (flag): expected four numbers"
                                + " minLat,minLon,maxLat,maxLon, got '1,2,3'");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> load("--city-id", "kunming/north"))
                .withMessage(
                        "Invalid value 'kunming/north' for --city-id (flag): expected a city id,"
                                + " one segment of an MQTT topic: not empty, without /, + or #");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> load("--city-id", " "))
                .withMessageStartingWith("Invalid value ' ' for --city-id (flag)");
    }

    @Test
    void aConfigGivenInCodeIsWhatTheRunnableReads() {
        CityConfig given =
                new CityConfig(
                        "dali", BoundingBox.ofEdges(25.5, 100.1, 25.8, 100.4), ZoneId.of("UTC"));

        Settings settings = new TestBuilder(CityOptions.OPTIONS).city(given).build();

        assertThat(CityOptions.from(settings)).isEqualTo(given);
    }
}
