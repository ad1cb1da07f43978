package org.smartcity.core;

import java.time.Instant;

/** Readable readings for the codec tests: the contract's example sensor in central Kunming. */
final class TestReadings {
    static final String SENSOR = "km-pm25-0042";
    static final String CITY = "kunming";
    static final double LAT = 25.0406;
    static final double LON = 102.7123;

    private TestReadings() {}

    /** A reading of the example sensor at an ISO-8601 instant. */
    static Reading at(String ts, Metric metric, double value, Long seq) {
        return new Reading(
                SENSOR, metric, CITY, Instant.parse(ts).toEpochMilli(), LAT, LON, value, seq);
    }

    /** The contract's example: PM2.5 38.5 µg/m³ at 2026-11-24T05:00:00.250Z, seq 1234. */
    static Reading example() {
        return at("2026-11-24T05:00:00.250Z", Metric.PM25, 38.5, 1234L);
    }
}
