package org.smartcity.core.zoning;

/**
 * A districts GeoJSON file that cannot be used. The message names the file, the feature (index from
 * 0, and its id when known) and what is wrong, e.g. {@code districts.geojson: feature 3 (id
 * '530112'): geometry type 'LineString' is not supported, expected Polygon or MultiPolygon}.
 */
public final class GeoJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int featureIndex;

    GeoJsonException(String source, String detail) {
        this(source, -1, null, detail, null);
    }

    GeoJsonException(String source, String detail, Throwable cause) {
        this(source, -1, null, detail, cause);
    }

    GeoJsonException(String source, int featureIndex, String featureId, String detail) {
        this(source, featureIndex, featureId, detail, null);
    }

    private GeoJsonException(
            String source, int featureIndex, String featureId, String detail, Throwable cause) {
        super(message(source, featureIndex, featureId, detail), cause);
        this.source = source;
        this.featureIndex = featureIndex;
    }

    private static String message(
            String source, int featureIndex, String featureId, String detail) {
        StringBuilder m = new StringBuilder(source).append(": ");
        if (featureIndex >= 0) {
            m.append("feature ").append(featureIndex);
            if (featureId != null) {
                m.append(" (id '").append(featureId).append("')");
            }
            m.append(": ");
        }
        return m.append(detail).toString();
    }

    /** The file or classpath resource that was read. */
    public String source() {
        return source;
    }

    /** The index (from 0) of the offending feature, or -1 when the problem is not in a feature. */
    public int featureIndex() {
        return featureIndex;
    }
}
