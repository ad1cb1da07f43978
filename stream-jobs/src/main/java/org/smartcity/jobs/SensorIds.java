package org.smartcity.jobs;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Sensor ids as the zone statistics count them ({@link ZoneStats}): by a 64-bit hash of the id (the
 * first half of MurmurHash3 x64 128 of its UTF-8 bytes, seed 0), so that a window's set of sensors
 * is a primitive set of longs rather than of strings.
 *
 * <p>Why: adding each reading's sensor id to the string sets of its three zones was the job's
 * largest single cost (JFR of {@code AlertBenchmark}: {@code HashMap.putVal} 12% of the samples,
 * memory latency over thousands of entries), and the ids were most of the windows' state, of what
 * the changelog logs on every change of a window, and of each checkpoint's bytes.
 *
 * <p>The count of distinct sensors stays exact unless two ids of one window share a hash: with
 * {@code n} ids the chance of any such pair is about {@code n^2 / 2^65}, 7 in 100 billion for the
 * 50,000 sensors of the benchmarks. Sensor ids are the operator's (each device publishes under its
 * own login), not chosen by strangers.
 */
final class SensorIds {
    private SensorIds() {}

    /** The hash {@link ZoneStats} counts {@code sensorId} by. */
    static long hash(String sensorId) {
        return MurmurHash3.hash128x64(sensorId.getBytes(StandardCharsets.UTF_8))[0];
    }
}
