package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

class StringValuesTest {
    @Test
    void writesTheSameBytesAsFlinksStringValue() throws IOException {
        List<String> strings =
                List.of(
                        "",
                        "a",
                        "kmg-pm25-000123",
                        "é",
                        "翠湖公园",
                        "\u0080\u3fff\u4000\uffff",
                        "x".repeat(126), // length + 1 = 127: one byte
                        "x".repeat(127), // 128: two bytes
                        "y".repeat(16_383), // 16,384: three bytes
                        "z".repeat(70_000));

        for (String s : strings) {
            assertThat(fast(List.of(s))).as("%.20s", s).isEqualTo(flink(List.of(s)));
        }
        assertThat(fast(strings)).isEqualTo(flink(strings));
    }

    @Test
    void writesManyStringsPastTheFirstBuffer() throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            ids.add("sensor-" + i + (i % 7 == 0 ? "-ü" : ""));
        }

        byte[] written = fast(ids);

        assertThat(written).isEqualTo(flink(ids));
        DataInputDeserializer in = new DataInputDeserializer(written);
        for (String id : ids) {
            assertThat(StringValue.readString(in)).isEqualTo(id);
        }
        assertThat(fast(List.of())).isEmpty();
    }

    private static byte[] fast(List<String> strings) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        StringValues.writeAll(strings, out);
        return out.getCopyOfBuffer();
    }

    private static byte[] flink(List<String> strings) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        for (String s : strings) {
            StringValue.writeString(s, out);
        }
        return out.getCopyOfBuffer();
    }
}
