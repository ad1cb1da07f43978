package org.smartcity.core.zoning;

import java.util.Optional;

/**
 * The inhabitants of a district, as its GeoJSON feature states them (properties {@code population},
 * {@code population_year}, {@code population_source}). Population weighting (SDG 11.6.2) uses these
 * numbers only; a district without them has none, and nothing is invented.
 *
 * @param inhabitants the number of inhabitants, not negative
 * @param year the year the figure refers to; null when the file does not say
 * @param source where the figure comes from; null when the file does not say
 */
public record Population(long inhabitants, Integer year, String source) {

    public Population {
        if (inhabitants < 0) {
            throw new IllegalArgumentException(
                    "population must not be negative, was " + inhabitants);
        }
    }

    public Optional<Integer> yearIfKnown() {
        return Optional.ofNullable(year);
    }

    public Optional<String> sourceIfKnown() {
        return Optional.ofNullable(source);
    }
}
