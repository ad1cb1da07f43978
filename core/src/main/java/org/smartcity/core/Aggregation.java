package org.smartcity.core;

/** How readings of one metric combine into a zone's headline value over a window. */
public enum Aggregation {
    /** The arithmetic mean of the values (concentrations, temperature, humidity). */
    MEAN,
    /**
     * The energetic mean of sound levels, Leq = 10·log10(mean(10^(L/10))) (ISO 1996): levels in
     * decibels add as energies, so their arithmetic mean would understate loud events.
     */
    ENERGETIC_MEAN,
    /** The total (counts such as vehicles passing a detector). */
    SUM,
    /** The maximum (water level: the peak is what a flood alert needs). */
    MAX
}
