package org.smartcity.jobs;

import java.time.Instant;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;

/**
 * Readable readings for the job's tests: times of day on 2026-11-24 (UTC), sensors at fixed places
 * chosen for {@link FakeZones}.
 */
final class TestReadings {
    static final String CITY = "kunming";
    static final String DAY = "2026-11-24T";

    /** A sensor and where it stands. */
    record Sensor(String id, double lat, double lon) {}

    /** West district, cell 2504_10268. */
    static final Sensor WEST_1 = new Sensor("km-w1", 25.0412, 102.6851);

    /** West district, the same cell as {@link #WEST_1}. */
    static final Sensor WEST_2 = new Sensor("km-w2", 25.0418, 102.6859);

    /** East district, cell 2504_10271. */
    static final Sensor EAST_1 = new Sensor("km-e1", 25.0451, 102.7153);

    /** East district, the same cell as {@link #EAST_1}. */
    static final Sensor EAST_2 = new Sensor("km-e2", 25.0463, 102.7161);

    /** North of every district: only its cell (2512_10270) and the city. */
    static final Sensor NORTH_1 = new Sensor("km-n1", 25.1253, 102.7052);

    /** North of every district, cell 2512_10269. */
    static final Sensor NORTH_2 = new Sensor("km-n2", 25.1264, 102.6957);

    static final Sensor[] ALL = {WEST_1, WEST_2, EAST_1, EAST_2, NORTH_1, NORTH_2};

    private TestReadings() {}

    /** Epoch milliseconds of a time of day such as {@code 05:14:59.999}. */
    static long at(String time) {
        return Instant.parse(DAY + time + "Z").toEpochMilli();
    }

    static Reading reading(Sensor sensor, Metric metric, long timestampMillis, double value) {
        return new Reading(
                sensor.id(),
                metric,
                CITY,
                timestampMillis,
                sensor.lat(),
                sensor.lon(),
                value,
                null);
    }

    static Reading reading(Sensor sensor, Metric metric, String time, double value) {
        return reading(sensor, metric, at(time), value);
    }

    /**
     * A PM2.5 reading in central Kunming: in an H3 cell, a district and the city of the shipped
     * zoning.
     */
    static Reading centralPm25(String sensor, String time, double value) {
        return new Reading(sensor, Metric.PM25, CITY, at(time), 25.0406, 102.7123, value, null);
    }

    /** A PM2.5 reading, the common case. */
    static Reading pm25(Sensor sensor, String time, double value) {
        return reading(sensor, Metric.PM25, time, value);
    }
}
