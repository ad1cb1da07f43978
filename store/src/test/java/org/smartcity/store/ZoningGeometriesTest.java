package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;

class ZoningGeometriesTest {

    /** Near Green Lake, in Wuhua district (longitude, latitude). */
    private static final Point GREEN_LAKE =
            new GeometryFactory().createPoint(new Coordinate(102.7040, 25.0500));

    @Test
    void outlinesTheCoreZoningsCellsDistrictsAndCity() {
        ZoningGeometries zones = ZoningGeometries.kunming();
        Zone cell = Zoning.kunming().cell(GREEN_LAKE.getY(), GREEN_LAKE.getX());

        Geometry cellOutline = zones.geometry(ZoneKind.H3, cell.id());
        Geometry wuhua = zones.geometry(ZoneKind.DISTRICT, "530102");
        Geometry city = zones.geometry(ZoneKind.CITY, "kunming");

        assertThat(cellOutline.contains(GREEN_LAKE)).isTrue();
        assertThat(wuhua.contains(GREEN_LAKE)).isTrue();
        assertThat(city.contains(wuhua.getInteriorPoint())).isTrue();
        assertThat(cellOutline.getArea()).isLessThan(wuhua.getArea());
    }

    @Test
    void unknownZonesHaveNoGeometry() {
        ZoningGeometries zones = ZoningGeometries.kunming();

        assertThat((Object) zones.geometry(ZoneKind.DISTRICT, "999999")).isNull();
        assertThat((Object) zones.geometry(ZoneKind.CITY, "lijiang")).isNull();
        assertThat((Object) zones.geometry(ZoneKind.H3, "not-a-cell")).isNull();
    }

    @Test
    void travelsAsItsSpecAndRebuildsTheZoningAfterDeserialization() throws Exception {
        ZoningGeometries original = ZoningGeometries.kunming();
        original.geometry(ZoneKind.CITY, "kunming");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(original);
        }
        ZoningGeometries copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ZoningGeometries) in.readObject();
        }

        assertThat(bytes.size()).isLessThan(4_096);
        assertThat(copy.spec()).isEqualTo(original.spec());
        assertThat((Object) copy.geometry(ZoneKind.DISTRICT, "530102"))
                .isEqualTo(original.geometry(ZoneKind.DISTRICT, "530102"));
    }
}
