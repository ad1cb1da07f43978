package org.smartcity.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/** Readable test payloads for Kunming sensors. */
final class TestPayloads {
    /** A position in Wuhua district, inside the default city area. */
    static final double LAT = 25.0406;

    static final double LON = 102.7123;

    private TestPayloads() {}

    static String topic(String metric, String sensorId) {
        return "city/kunming/" + metric + "/" + sensorId;
    }

    static byte[] pm25(String sensorId, Instant ts, double value, long seq) {
        return bytes(
                String.format(
                        Locale.ROOT,
                        "{\"sensorId\":\"%s\",\"metric\":\"pm25\",\"ts\":\"%s\",\"lat\":%s,"
                                + "\"lon\":%s,\"value\":%s,\"unit\":\"ug/m3\",\"seq\":%d}",
                        sensorId,
                        ts,
                        LAT,
                        LON,
                        value,
                        seq));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
