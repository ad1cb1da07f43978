package org.smartcity.core.zoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smartcity.core.BoundingBox;
import org.smartcity.core.CityArea;

class ZoningSpecTest {

    @Test
    void kunmingDefaults() {
        ZoningSpec spec = ZoningSpec.kunming();

        assertThat(spec.cityId()).isEqualTo("kunming");
        assertThat(spec.cityName()).isEqualTo("Kunming 昆明市");
        assertThat(spec.h3Resolution()).isEqualTo(8);
        assertThat(spec.districts()).isEqualTo("classpath:zones/kunming-districts.geojson");
        assertThat(spec.districtIdProperty()).isEqualTo("code");
        assertThat(spec.districtNameProperty()).isEqualTo("name");
        assertThat(spec.bounds()).isEqualTo(BoundingBox.ofEdges(24.38, 102.17, 26.37, 103.67));
    }

    @ParameterizedTest(name = "resolution {0}")
    @ValueSource(ints = {-1, 16, Integer.MIN_VALUE, 99})
    void resolutionOutside0To15IsRejected(int resolution) {
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () ->
                                ZoningSpec.builder("kunming")
                                        .bounds(CityArea.KUNMING)
                                        .h3Resolution(resolution)
                                        .build())
                .withMessage(
                        "H3 resolution must be between 0 and 15 (8, the default, is about 0.74 km²"
                                + " per cell), got "
                                + resolution);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ZoningSpec.kunming().withH3Resolution(resolution))
                .withMessageContaining("got " + resolution);
    }

    @ParameterizedTest(name = "resolution {0}")
    @ValueSource(ints = {0, 8, 15})
    void resolutionInside0To15IsAccepted(int resolution) {
        assertThat(ZoningSpec.kunming().withH3Resolution(resolution).h3Resolution())
                .isEqualTo(resolution);
    }

    @Test
    void needsDistrictsOrABox() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ZoningSpec.builder("nowhere").build())
                .withMessageContaining(
                        "city 'nowhere' needs a districts GeoJSON or a bounding box");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ZoningSpec.builder(" ").bounds(CityArea.KUNMING).build())
                .withMessage("city id must not be empty");
    }

    @Test
    void blankValuesFallBackToDefaults() {
        ZoningSpec spec =
                ZoningSpec.builder("dali")
                        .cityName(" ")
                        .districts("")
                        .districtIdProperty(null)
                        .bounds(BoundingBox.ofEdges(25.5, 100.1, 25.8, 100.4))
                        .build();

        assertThat(spec.cityName()).isEqualTo("dali");
        assertThat(spec.districts()).isNull();
        assertThat(spec.districtIdProperty()).isEqualTo("code");
    }

    @Test
    void specAndZoneSurviveJavaSerialization() throws Exception {
        // Flink functions carry the spec and build their zoning in open().
        assertThat(roundTrip(ZoningSpec.kunming())).isEqualTo(ZoningSpec.kunming());
        Zone zone = Zone.district("530102", "Wuhua District 五华区");
        assertThat(roundTrip(zone)).isEqualTo(zone);
    }

    private static Object roundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
