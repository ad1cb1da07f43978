/**
 * Spatial zoning: which zones (H3 cell, district, city) a reading's location belongs to, and each
 * zone's outline. {@link org.smartcity.core.zoning.Zoning} is built once from a {@link
 * org.smartcity.core.zoning.ZoningSpec}; districts come from any GeoJSON FeatureCollection ({@link
 * org.smartcity.core.zoning.DistrictLayer}). The Kunming districts shipped in {@code
 * zones/kunming-districts.geojson} are an approximation (a Voronoi partition of the county seats),
 * not official boundaries: the file's {@code note} says how.
 */
package org.smartcity.core.zoning;
