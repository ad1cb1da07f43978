package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;

/** The job as {@code main} builds it: what lies between the aggregates and the live layer. */
class LiveTopologyTest {

    @Test
    void theLiveStreamIsPartitionedOnceOnItsWayToTheLiveLayer() {
        JobConfig cfg = JobConfig.fromFlags("--parallelism=4");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        CityAggregationJob.build(env, cfg, null, CityAggregationJob.liveSink(cfg));
        StreamGraph graph = env.getStreamGraph();

        List<String> path = new ArrayList<>();
        StreamNode node = node(graph, "live-sink");
        while (!"to-aggregates".equals(node.getTransformationUID())) {
            assertThat(node.getInEdges()).hasSize(1);
            StreamEdge in = node.getInEdges().get(0);
            path.add(
                    partitioner(in)
                            + " -> "
                            + node.getTransformationUID()
                            + " ("
                            + node.getParallelism()
                            + ")");
            node = graph.getStreamNode(in.getSourceId());
        }

        assertThat(path)
                .containsExactly(
                        "forward -> live-sink (4)", "hash -> live-sink: newest-window-filter (4)");
    }

    private static String partitioner(StreamEdge edge) {
        if (edge.getPartitioner() instanceof KeyGroupStreamPartitioner) {
            return "hash";
        }
        if (edge.getPartitioner() instanceof ForwardPartitioner) {
            return "forward";
        }
        return edge.getPartitioner().toString();
    }

    private static StreamNode node(StreamGraph graph, String uid) {
        return graph.getStreamNodes().stream()
                .filter(n -> uid.equals(n.getTransformationUID()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no operator with uid " + uid));
    }
}
