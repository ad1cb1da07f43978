package org.smartcity.deploy;

import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;

/**
 * The aggregation job on a Flink MiniCluster inside the platform's JVM: the same topology as on a
 * cluster ({@link CityAggregationJob#build}), with memory sized for a laptop.
 */
final class LocalFlinkJob implements AutoCloseable {
    private final StreamExecutionEnvironment env;
    private final JobClient client;

    private LocalFlinkJob(StreamExecutionEnvironment env, JobClient client) {
        this.env = env;
        this.client = client;
    }

    static LocalFlinkJob start(
            JobConfig config, Sink<ZoneAggregate> history, Sink<ZoneAggregate> live)
            throws Exception {
        Configuration conf = new Configuration();
        // The job keeps its state on the heap; Flink's managed memory (for RocksDB and batch
        // operators) would only reserve memory the demo never uses.
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(16));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(32));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(32));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        CityAggregationJob.build(env, config, history, live);
        return new LocalFlinkJob(env, env.executeAsync("city-aggregation"));
    }

    @Override
    public void close() throws Exception {
        try {
            client.cancel().get(30, TimeUnit.SECONDS);
        } finally {
            env.close();
        }
    }
}
