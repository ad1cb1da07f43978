package org.smartcity.jobs;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Strings in the layout of Flink's {@link org.apache.flink.types.StringValue#writeString} (the
 * length plus one, then each character, each a variable-length integer of 7-bit groups, lowest
 * first), encoded into an array and written in one call.
 *
 * <p>Why: {@code StringValue.writeString} writes a byte at a time, and on a checkpoint stream each
 * byte is a chain of calls through a synchronized {@code DataOutputStream}. Writing the sensor ids
 * of the zone statistics that way was the largest part of the asynchronous checkpoint threads' time
 * in {@code AlertLatencyBenchmark --workload city} (JFR). Same bytes, so state written either way
 * reads either way.
 */
public final class StringValues {
    private static final int HIGH_BIT = 0x80;

    private StringValues() {}

    /** Writes {@code strings} one after the other, as {@code StringValue.writeString} would. */
    public static void writeAll(Collection<String> strings, DataOutputView target)
            throws IOException {
        byte[] buf = new byte[Math.max(16, strings.size() * 16)];
        int pos = 0;
        for (String s : strings) {
            int longest = 5 + 3 * s.length(); // the length, and at most 3 bytes per char
            if (pos + longest > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + longest));
            }
            pos = put(s, buf, pos);
        }
        target.write(buf, 0, pos);
    }

    /** Encodes {@code s} into {@code buf} at {@code pos}; returns the position after it. */
    static int put(String s, byte[] buf, int pos) {
        int n = s.length();
        pos = putVarInt(n + 1, buf, pos);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < HIGH_BIT) {
                buf[pos++] = (byte) c;
            } else {
                pos = putVarInt(c, buf, pos);
            }
        }
        return pos;
    }

    private static int putVarInt(int v, byte[] buf, int pos) {
        while (v >= HIGH_BIT) {
            buf[pos++] = (byte) (v | HIGH_BIT);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return pos;
    }
}
