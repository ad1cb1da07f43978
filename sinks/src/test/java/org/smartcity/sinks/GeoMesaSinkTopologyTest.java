package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.TestAggregates;
import org.smartcity.store.TestZones;

/**
 * The operators Flink builds around the sink: the stream is partitioned once, by live id, and the
 * live layer's newest-window filter runs in the writers' chain.
 */
class GeoMesaSinkTopologyTest {

    private static final StoreConfig LIVE = StoreConfig.Kafka.local("127.0.0.1:9092", "catalog");
    private static final StoreConfig HISTORY = StoreConfig.FileSystem.parquet("/tmp/history");
    private static final int PARALLELISM = 3;

    @Test
    void theLiveSinkPartitionsOnceAndFiltersInTheWritersChain() {
        StreamGraph graph = graphOf(GeoMesaSink.live(LIVE, TestZones::geometry), "live-sink");

        StreamNode filter = node(graph, "live-sink: newest-window-filter");
        StreamNode writer = node(graph, "live-sink");
        assertThat(filter.getInEdges())
                .singleElement()
                .extracting(StreamEdge::getPartitioner)
                .isInstanceOf(KeyGroupStreamPartitioner.class);
        assertThat(writer.getInEdges())
                .singleElement()
                .satisfies(
                        edge -> {
                            assertThat(edge.getSourceId()).isEqualTo(filter.getId());
                            assertThat(edge.getPartitioner())
                                    .isInstanceOf(ForwardPartitioner.class);
                        });
        assertThat(filter.getParallelism()).isEqualTo(PARALLELISM);
        assertThat(writer.getParallelism()).isEqualTo(PARALLELISM);
        assertThat(hashPartitionedEdges(graph)).isEqualTo(1);
    }

    @Test
    void theHistorySinkPartitionsOnceAndFiltersNothing() {
        StreamGraph graph = graphOf(GeoMesaSink.history(HISTORY, TestZones::geometry), "history");

        StreamNode writer = node(graph, "history");
        assertThat(writer.getInEdges())
                .singleElement()
                .extracting(StreamEdge::getPartitioner)
                .isInstanceOf(KeyGroupStreamPartitioner.class);
        assertThat(graph.getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .noneMatch(uid -> uid != null && uid.contains("newest-window-filter"));
        assertThat(hashPartitionedEdges(graph)).isEqualTo(1);
    }

    private static StreamGraph graphOf(GeoMesaSink sink, String uid) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.fromData(
                        TestAggregates.pm25District("2026-11-24T05:00:00Z", 1),
                        TestAggregates.pm25District("2026-11-24T05:15:00Z", 1))
                .sinkTo(sink)
                .uid(uid)
                .name(uid);
        return env.getStreamGraph();
    }

    private static StreamNode node(StreamGraph graph, String uid) {
        List<StreamNode> matching =
                graph.getStreamNodes().stream()
                        .filter(n -> uid.equals(n.getTransformationUID()))
                        .toList();
        assertThat(matching).as("the operator with uid '%s'", uid).hasSize(1);
        return matching.get(0);
    }

    private static long hashPartitionedEdges(StreamGraph graph) {
        return graph.getStreamNodes().stream()
                .flatMap(n -> n.getInEdges().stream())
                .filter(e -> e.getPartitioner() instanceof KeyGroupStreamPartitioner)
                .count();
    }
}
