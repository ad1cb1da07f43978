package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartcity.jobs.TestReadings.WEST_1;
import static org.smartcity.jobs.TestReadings.pm25;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;

class ReadingDeserializationSchemaTest {

    @Test
    void decodesReadingsAndCountsAndSkipsWhatIsNotOne() throws Exception {
        Map<String, Counter> counters = new HashMap<>();
        ReadingDeserializationSchema schema = new ReadingDeserializationSchema();
        schema.open(context(counters));
        Reading good = pm25(WEST_1, "05:00:10", 38.5);
        List<Reading> out = new ArrayList<>();
        Collector<Reading> collector =
                new Collector<>() {
                    @Override
                    public void collect(Reading record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                };

        schema.deserialize(record(ReadingJson.encode(good)), collector);
        schema.deserialize(record("not json".getBytes(StandardCharsets.UTF_8)), collector);
        schema.deserialize(
                record("{\"sensorId\":\"x\"}".getBytes(StandardCharsets.UTF_8)), collector);
        schema.deserialize(record(null), collector);

        assertThat(out).containsExactly(good);
        assertThat(counters.get("undecodableReadings").getCount()).isEqualTo(3);
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>("readings", 0, 7L, null, value);
    }

    private static DeserializationSchema.InitializationContext context(
            Map<String, Counter> counters) {
        MetricGroup metrics =
                new UnregisteredMetricsGroup() {
                    @Override
                    public Counter counter(String name) {
                        return counters.computeIfAbsent(name, n -> new SimpleCounter());
                    }
                };
        return new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return metrics;
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
            }
        };
    }
}
