package org.smartcity.core;

import java.io.Serializable;
import java.util.Locale;

/**
 * A WGS 84 rectangle in degrees, with its four edges named ({@link #minLon}, {@link #minLat},
 * {@link #maxLon}, {@link #maxLat}) so that code never depends on an order of numbers.
 *
 * <p>Two text orders exist outside the code, and each has one method here: the command line's
 * {@code --city-bbox} is latitude first ({@code minLat,minLon,maxLat,maxLon}, the order of the
 * coordinates in a reading; {@link #parseLatLon}, {@link #toLatLonText}), while OGC API's {@code
 * bbox} and GeoJSON are longitude first ({@code minLon,minLat,maxLon,maxLat}). The canonical
 * constructor follows the OGC order; prefer {@link #ofEdges} where the order is not obvious.
 */
public record BoundingBox(double minLon, double minLat, double maxLon, double maxLat)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The order {@link #parseLatLon} reads and {@link #toLatLonText} writes. */
    public static final String LAT_LON_ORDER = "minLat,minLon,maxLat,maxLon";

    public BoundingBox {
        if (!(minLat < maxLat) || !(minLon < maxLon)) {
            throw new IllegalArgumentException(
                    "empty bounding box: need minLat < maxLat and minLon < maxLon, got "
                            + describe(minLon, minLat, maxLon, maxLat));
        }
        if (minLat < -90 || maxLat > 90 || minLon < -180 || maxLon > 180) {
            throw new IllegalArgumentException(
                    "bounding box outside the globe (latitudes -90 to 90, longitudes -180 to"
                            + " 180): "
                            + describe(minLon, minLat, maxLon, maxLat));
        }
    }

    /** The box between a south-west and a north-east corner, each given as latitude, longitude. */
    public static BoundingBox ofEdges(
            double southLat, double westLon, double northLat, double eastLon) {
        return new BoundingBox(westLon, southLat, eastLon, northLat);
    }

    /**
     * Parses {@code minLat,minLon,maxLat,maxLon} ({@link #LAT_LON_ORDER}), the order of {@code
     * --city-bbox}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static BoundingBox parseLatLon(String text) {
        double[] v = fourNumbers(text, LAT_LON_ORDER);
        return ofEdges(v[0], v[1], v[2], v[3]);
    }

    /** The box as {@link #parseLatLon} reads it. */
    public String toLatLonText() {
        return String.format(Locale.ROOT, "%s,%s,%s,%s", minLat, minLon, maxLat, maxLon);
    }

    public boolean contains(double lat, double lon) {
        return lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon;
    }

    /**
     * Four comma-separated numbers, in the order {@code names} says (for the message only).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static double[] fourNumbers(String text, String names) {
        String[] parts = text.split(",");
        if (parts.length != 4) {
            throw new IllegalArgumentException(
                    "expected four numbers " + names + ", got '" + text + "'");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + parts[i].trim() + "' is not a number");
            }
        }
        return v;
    }

    private static String describe(double minLon, double minLat, double maxLon, double maxLat) {
        return "minLat="
                + minLat
                + ", minLon="
                + minLon
                + ", maxLat="
                + maxLat
                + ", maxLon="
                + maxLon;
    }
}
