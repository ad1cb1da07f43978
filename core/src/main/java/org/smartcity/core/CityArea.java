package org.smartcity.core;

import java.util.Locale;

/**
 * The rectangle (WGS 84 degrees) a deployment serves; readings outside it are {@code OUT_OF_AREA}.
 *
 * <p>A box rather than an outline on purpose: it is the cheap first filter at ingest, applied to
 * every reading. Which district a reading falls in is decided later, by the zoning.
 */
public record CityArea(String city, double minLat, double minLon, double maxLat, double maxLon) {

    /**
     * Kunming prefecture (昆明市), 24°23′–26°22′ N, 102°10′–103°40′ E, as published for the whole
     * prefecture (14 county-level units), so readings from Dongchuan in the north to Jinning and
     * Shilin in the south count.
     */
    public static final CityArea KUNMING = new CityArea("kunming", 24.38, 102.17, 26.37, 103.67);

    public CityArea {
        // Not "this": in a compact constructor the fields are not assigned yet.
        String given =
                "CityArea[city=%s, minLat=%s, minLon=%s, maxLat=%s, maxLon=%s]"
                        .formatted(city, minLat, minLon, maxLat, maxLon);
        if (!(minLat < maxLat) || !(minLon < maxLon)) {
            throw new IllegalArgumentException(
                    "empty area: need minLat < maxLat and minLon < maxLon, got " + given);
        }
        if (minLat < -90 || maxLat > 90 || minLon < -180 || maxLon > 180) {
            throw new IllegalArgumentException("area outside the globe: " + given);
        }
    }

    /** The area of {@code city} within {@code box}. */
    public static CityArea of(String city, BoundingBox box) {
        return new CityArea(city, box.minLat(), box.minLon(), box.maxLat(), box.maxLon());
    }

    /**
     * Parses {@code minLat,minLon,maxLat,maxLon} (the order of the coordinates in a reading, and of
     * {@code --city-bbox}).
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static CityArea parse(String city, String bbox) {
        double[] v = BoundingBox.fourNumbers(bbox, BoundingBox.LAT_LON_ORDER);
        return new CityArea(city, v[0], v[1], v[2], v[3]);
    }

    /** The area's rectangle, with its edges named. */
    public BoundingBox box() {
        return new BoundingBox(minLon, minLat, maxLon, maxLat);
    }

    public boolean contains(double lat, double lon) {
        return lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon;
    }

    public double centerLat() {
        return (minLat + maxLat) / 2;
    }

    public double centerLon() {
        return (minLon + maxLon) / 2;
    }

    /** The bounding box in the same form {@link #parse} reads. */
    public String bbox() {
        return String.format(Locale.ROOT, "%s,%s,%s,%s", minLat, minLon, maxLat, maxLon);
    }
}
