package org.smartcity.jobs.alerts;

import org.smartcity.core.Metric;

/**
 * A reading reduced to what the coverage rules need: its district, sensor and metric.
 *
 * @param districtId the district the sensor stands in
 * @param sensorId the sensor
 * @param metric what it measures
 */
public record DistrictReading(String districtId, String sensorId, Metric metric) {}
