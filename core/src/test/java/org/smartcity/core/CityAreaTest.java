package org.smartcity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CityAreaTest {
    private static final CityArea KUNMING = CityArea.KUNMING;

    @Test
    void kunmingCoversThePrefecture() {
        assertThat(KUNMING).isEqualTo(new CityArea("kunming", 24.38, 102.17, 26.37, 103.67));
        assertThat(KUNMING.bbox()).isEqualTo("24.38,102.17,26.37,103.67");
        assertThat(KUNMING.centerLat()).isEqualTo(25.375);
        assertThat(KUNMING.centerLon()).isEqualTo(102.92);
    }

    @ParameterizedTest(name = "({0}, {1})")
    @CsvSource({
        "25.0406, 102.7123", // the city centre
        "24.38, 102.17", // south-west corner
        "26.37, 103.67", // north-east corner
        "24.38, 103.67", // south-east corner
        "26.37, 102.17", // north-west corner
        "24.38, 102.92", // on the southern edge
        "25.375, 103.67" // on the eastern edge
    })
    void containsItsInsideAndItsEdges(double lat, double lon) {
        assertThat(KUNMING.contains(lat, lon)).isTrue();
    }

    @ParameterizedTest(name = "({0}, {1})")
    @CsvSource({
        "24.379999, 102.92", // just south
        "26.370001, 102.92", // just north
        "25.375, 102.169999", // just west
        "25.375, 103.670001", // just east
        "39.9042, 116.4074", // Beijing
        "0, 0"
    })
    void doesNotContainWhatIsOutside(double lat, double lon) {
        assertThat(KUNMING.contains(lat, lon)).isFalse();
    }

    @Test
    void parsesWhatBboxWrites() {
        assertThat(CityArea.parse("kunming", KUNMING.bbox())).isEqualTo(KUNMING);
    }

    @Test
    void parsesNumbersWithSpaces() {
        assertThat(CityArea.parse("dali", " 25.5, 100.1 ,25.8,100.4 "))
                .isEqualTo(new CityArea("dali", 25.5, 100.1, 25.8, 100.4));
    }

    static Stream<Arguments> badBoxes() {
        String expectedFour = "expected four numbers minLat,minLon,maxLat,maxLon, got ";
        return Stream.of(
                arguments("24.38,102.17,26.37", expectedFour + "'24.38,102.17,26.37'"),
                arguments(
                        "24.38,102.17,26.37,103.67,1",
                        expectedFour + "'24.38,102.17,26.37,103.67,1'"),
                arguments("", expectedFour + "''"),
                arguments("24.38,102.17,north,103.67", "'north' is not a number"),
                arguments("24.38,,26.37,103.67", "'' is not a number"),
                arguments(
                        "26.37,102.17,24.38,103.67",
                        "empty area: need minLat < maxLat and minLon < maxLon, got"
                                + " CityArea[city=kunming, minLat=26.37, minLon=102.17,"
                                + " maxLat=24.38, maxLon=103.67]"),
                arguments("24.38,103.67,26.37,103.67", "empty area: need minLat < maxLat"),
                arguments("NaN,102.17,26.37,103.67", "empty area: need minLat < maxLat"),
                arguments(
                        "-91,102.17,26.37,103.67",
                        "area outside the globe: CityArea[city=kunming, minLat=-91.0,"),
                arguments("24.38,102.17,26.37,181", "area outside the globe: "));
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("badBoxes")
    void refusesABadBboxSayingWhatIsWrong(String bbox, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CityArea.parse("kunming", bbox))
                .withMessageStartingWith(message);
    }
}
