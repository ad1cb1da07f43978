package org.smartcity.jobs.alerts;

/**
 * Where a sensor stands, as its readings say: what {@link AlertInputs} tells {@link
 * AlertPositionFunction} when a sensor is first seen or has moved, so that the stores can give the
 * sensor's alerts a point.
 *
 * @param sensorId the sensor
 * @param lat latitude, WGS 84
 * @param lon longitude, WGS 84
 */
public record SensorPosition(String sensorId, double lat, double lon) {}
