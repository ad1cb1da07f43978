package org.smartcity.core.zoning;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import org.smartcity.core.BoundingBox;
import org.smartcity.core.CityArea;

/**
 * What a {@link Zoning} is built from: the city, the H3 resolution and where the districts come
 * from. Validated when built; serializable, so a Flink function can carry the spec and build its
 * {@link Zoning} in {@code open()}.
 *
 * @param cityId the city zone's id, e.g. {@code kunming}
 * @param cityName the city zone's name (defaults to the id)
 * @param h3Resolution H3 resolution of the cell zones, 0 (continent-sized) to 15 (about 1 m²)
 * @param districts the districts GeoJSON: {@code classpath:zones/x.geojson} for a classpath
 *     resource, otherwise a file path; {@code null} for a city without districts
 * @param districtIdProperty the feature property holding a district's id (its code); the feature's
 *     {@code id} is used when the property is absent
 * @param districtNameProperty the feature property holding a district's name
 * @param bounds the city's bounding box, used as its outline when there are no districts (with
 *     districts the outline is their union); may be {@code null} when there are districts
 */
public record ZoningSpec(
        String cityId,
        String cityName,
        int h3Resolution,
        String districts,
        String districtIdProperty,
        String districtNameProperty,
        BoundingBox bounds)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_H3_RESOLUTION = 8;
    public static final int MIN_H3_RESOLUTION = 0;
    public static final int MAX_H3_RESOLUTION = 15;
    public static final String DEFAULT_ID_PROPERTY = "code";
    public static final String DEFAULT_NAME_PROPERTY = "name";

    /** The approximate Kunming districts shipped in this module (see the file's {@code note}). */
    public static final String KUNMING_DISTRICTS = "classpath:zones/kunming-districts.geojson";

    public ZoningSpec {
        requireText(cityId, "city id");
        if (cityName == null || cityName.isBlank()) {
            cityName = cityId;
        }
        if (h3Resolution < MIN_H3_RESOLUTION || h3Resolution > MAX_H3_RESOLUTION) {
            throw new IllegalArgumentException(
                    "H3 resolution must be between "
                            + MIN_H3_RESOLUTION
                            + " and "
                            + MAX_H3_RESOLUTION
                            + " (8, the default, is about 0.74 km² per cell), got "
                            + h3Resolution);
        }
        if (districts != null && districts.isBlank()) {
            districts = null;
        }
        if (districtIdProperty == null || districtIdProperty.isBlank()) {
            districtIdProperty = DEFAULT_ID_PROPERTY;
        }
        if (districtNameProperty == null || districtNameProperty.isBlank()) {
            districtNameProperty = DEFAULT_NAME_PROPERTY;
        }
        if (districts == null && bounds == null) {
            throw new IllegalArgumentException(
                    "city '"
                            + cityId
                            + "' needs a districts GeoJSON or a bounding box: the city zone's"
                            + " outline is the union of the districts, or else the box");
        }
    }

    /** Kunming with the approximate districts shipped in this module, H3 resolution 8. */
    public static ZoningSpec kunming() {
        return builder("kunming")
                .cityName("Kunming 昆明市")
                .districts(KUNMING_DISTRICTS)
                .bounds(CityArea.KUNMING)
                .build();
    }

    public static Builder builder(String cityId) {
        return new Builder(cityId);
    }

    /** A copy at another H3 resolution. */
    public ZoningSpec withH3Resolution(int resolution) {
        return new ZoningSpec(
                cityId,
                cityName,
                resolution,
                districts,
                districtIdProperty,
                districtNameProperty,
                bounds);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }

    /** Builds a {@link ZoningSpec}; {@link #build()} validates. */
    public static final class Builder {
        private final String cityId;
        private String cityName;
        private int h3Resolution = DEFAULT_H3_RESOLUTION;
        private String districts;
        private String idProperty = DEFAULT_ID_PROPERTY;
        private String nameProperty = DEFAULT_NAME_PROPERTY;
        private BoundingBox bounds;

        private Builder(String cityId) {
            this.cityId = cityId;
        }

        public Builder cityName(String name) {
            this.cityName = name;
            return this;
        }

        public Builder h3Resolution(int resolution) {
            this.h3Resolution = resolution;
            return this;
        }

        /**
         * The districts GeoJSON: {@code classpath:zones/x.geojson} or a file path; {@code null} for
         * none.
         */
        public Builder districts(String source) {
            this.districts = source;
            return this;
        }

        public Builder districts(Path file) {
            this.districts = Objects.requireNonNull(file, "file").toString();
            return this;
        }

        public Builder districtIdProperty(String property) {
            this.idProperty = property;
            return this;
        }

        public Builder districtNameProperty(String property) {
            this.nameProperty = property;
            return this;
        }

        public Builder bounds(BoundingBox bounds) {
            this.bounds = bounds;
            return this;
        }

        public Builder bounds(CityArea area) {
            this.bounds = area == null ? null : area.box();
            return this;
        }

        public ZoningSpec build() {
            return new ZoningSpec(
                    cityId, cityName, h3Resolution, districts, idProperty, nameProperty, bounds);
        }
    }
}
