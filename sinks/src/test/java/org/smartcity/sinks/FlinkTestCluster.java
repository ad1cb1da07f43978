package org.smartcity.sinks;

import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The Flink MiniCluster of the integration tests that run jobs (the sinks' and the stream jobs'):
 * one task manager with {@value #SLOTS} slots, the parallelism the tests' jobs run at. One per test
 * class, shared by its tests:
 *
 * <pre>{@code
 * @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
 * }</pre>
 */
public final class FlinkTestCluster {
    /** Task slots of the one task manager: the parallelism the tests' jobs run at. */
    public static final int SLOTS = 2;

    private FlinkTestCluster() {}

    /** The cluster with Flink's default configuration. */
    public static MiniClusterExtension extension() {
        return extension(Configuration::new);
    }

    /**
     * The cluster with a configuration of the test's own (a metric reporter, a restart strategy),
     * asked for when the cluster starts.
     */
    public static MiniClusterExtension extension(Supplier<Configuration> configuration) {
        return new MiniClusterExtension(
                () ->
                        new MiniClusterResourceConfiguration.Builder()
                                .setConfiguration(configuration.get())
                                .setNumberTaskManagers(1)
                                .setNumberSlotsPerTaskManager(SLOTS)
                                .build());
    }
}
