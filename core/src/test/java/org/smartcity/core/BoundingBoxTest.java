package org.smartcity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class BoundingBoxTest {

    @Test
    void theCommandLineTextIsLatitudeFirstAndEveryEdgeIsNamed() {
        BoundingBox box = BoundingBox.parseLatLon("24.38,102.17,26.37,103.67");

        assertThat(box.minLat()).isEqualTo(24.38);
        assertThat(box.minLon()).isEqualTo(102.17);
        assertThat(box.maxLat()).isEqualTo(26.37);
        assertThat(box.maxLon()).isEqualTo(103.67);
        assertThat(box).isEqualTo(new BoundingBox(102.17, 24.38, 103.67, 26.37));
        assertThat(box).isEqualTo(BoundingBox.ofEdges(24.38, 102.17, 26.37, 103.67));
        assertThat(box.toLatLonText()).isEqualTo("24.38,102.17,26.37,103.67");
    }

    @Test
    void isTheRectangleOfACityArea() {
        assertThat(CityArea.KUNMING.box())
                .isEqualTo(BoundingBox.parseLatLon(CityArea.KUNMING.bbox()));
        assertThat(CityArea.of("kunming", CityArea.KUNMING.box())).isEqualTo(CityArea.KUNMING);
        assertThat(CityArea.of("dali", BoundingBox.parseLatLon(" 25.5, 100.1 ,25.8,100.4 ")))
                .isEqualTo(new CityArea("dali", 25.5, 100.1, 25.8, 100.4));
    }

    @Test
    void containsItsEdgesAndNothingBeyond() {
        BoundingBox box = BoundingBox.ofEdges(25, 102, 26, 103);

        assertThat(box.contains(25, 102)).isTrue();
        assertThat(box.contains(26, 103)).isTrue();
        assertThat(box.contains(25.5, 102.5)).isTrue();
        // The coordinates swapped: far outside.
        assertThat(box.contains(102.5, 25.5)).isFalse();
    }

    @Test
    void refusesWhatIsNotABoxSayingWhy() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BoundingBox.parseLatLon("1,2,3"))
                .withMessage("expected four numbers minLat,minLon,maxLat,maxLon, got '1,2,3'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BoundingBox.parseLatLon("24,x,26,103"))
                .withMessage("'x' is not a number");
        // Longitude first, as an OGC bbox would be: the latitudes are then out of order.
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BoundingBox.parseLatLon("102.17,24.38,103.67,26.37"))
                .withMessage(
                        "bounding box outside the globe (latitudes -90 to 90, longitudes -180 to"
                                + " 180): minLat=102.17, minLon=24.38, maxLat=103.67,"
                                + " maxLon=26.37");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BoundingBox.parseLatLon("26,102,25,103"))
                .withMessage(
                        "empty bounding box: need minLat < maxLat and minLon < maxLon, got"
                                + " minLat=26.0, minLon=102.0, maxLat=25.0, maxLon=103.0");
    }
}
