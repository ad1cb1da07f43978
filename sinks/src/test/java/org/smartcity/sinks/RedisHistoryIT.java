package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.geotools.api.data.DataStore;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.TestAggregates;

/**
 * The history sink against GeoMesa's Redis data store, on a {@code redis-server} this test starts
 * on a free port (no persistence), read back through {@link HistoryQueries}. Skipped where Redis is
 * not installed ({@code apt-get install redis-server}).
 */
class RedisHistoryIT {

    private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    @TempDir static Path dir;
    private static Process redis;
    private static int port;

    @BeforeAll
    static void startRedis() throws IOException {
        Assumptions.assumeTrue(
                Files.isExecutable(REDIS_SERVER),
                "Skipped: " + REDIS_SERVER + " is not installed (apt-get install redis-server)");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        redis =
                new ProcessBuilder(
                                REDIS_SERVER.toString(),
                                "--port",
                                String.valueOf(port),
                                "--bind",
                                "127.0.0.1",
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--dir",
                                dir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile())
                        .start();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(RedisHistoryIT::accepts);
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                redis.destroyForcibly().waitFor();
            }
        }
    }

    private static boolean accepts() throws IOException {
        assertThat(redis.isAlive()).as("redis-server is running, see redis.log").isTrue();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
    }

    private static void runJob(StoreConfig store, Instant now, List<ZoneAggregate> aggregates)
            throws Exception {
        HistoryJobs.run(HistoryJobs.historySink(store, now), aggregates);
    }

    @Test
    void aQuerySeesTheCorrectionOnlyInRedis() throws Exception {
        StoreConfig store = new StoreConfig.Redis("redis://127.0.0.1:" + port, "smartcity");
        ZoneAggregate r1 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 1);
        ZoneAggregate r2 = TestAggregates.pm25District("2026-11-24T05:00:00Z", 2);
        ZoneAggregate other = TestAggregates.pm25District("2026-11-24T05:15:00Z", 1);
        Instant corrected = Instant.parse("2026-11-24T05:35:00Z");

        runJob(store, Instant.parse("2026-11-24T05:16:00Z"), List.of(r1, other));
        runJob(store, corrected, List.of(r2));

        DataStore history = DataStores.open(store, StoreConfig.Access.READ);
        try {
            assertThat(rawIds(history))
                    .as("Redis keeps both rows of the corrected window")
                    .containsExactlyInAnyOrder(r1.featureId(), r1.featureId(), other.featureId());
            assertThat(
                            HistoryQueries.latest(
                                    history,
                                    AggregateSchema.HISTORY_TYPE,
                                    HistoryQuery.all().bbox(102.6, 25.0, 102.7, 25.1)))
                    .containsExactly(
                            TestAggregates.stored(r2, corrected),
                            TestAggregates.stored(other, Instant.parse("2026-11-24T05:16:00Z")));
        } finally {
            history.dispose();
        }
    }

    /** The ids of every row in the store, without {@link HistoryQueries}. */
    private static List<String> rawIds(DataStore store) throws IOException {
        List<String> ids = new ArrayList<>();
        try (SimpleFeatureIterator it =
                store.getFeatureSource(AggregateSchema.HISTORY_TYPE).getFeatures().features()) {
            while (it.hasNext()) {
                ids.add(it.next().getID());
            }
        }
        return ids;
    }
}
