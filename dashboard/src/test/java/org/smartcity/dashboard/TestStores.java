package org.smartcity.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.geotools.api.data.DataStore;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.TestAggregates;

/**
 * What the dashboard's integration tests put in front of a running dashboard, written the way the
 * pipeline writes it: aggregates into a GeoMesa store with the sink's attributes and deterministic
 * ids, and readings into the readings topic as the bridge sends them (alert revisions:
 * TestAlertRevisions, in the store's tests). Shared by {@link DashboardApiIT}, {@link OgcClientsIT}
 * and {@link AlertsDashboardIT}.
 */
final class TestStores {
    private static final Zoning ZONING = Zoning.kunming();

    private TestStores() {}

    /**
     * An aggregate whose statistics all derive from zone, window and revision, so that every row
     * differs from the others predictably and a test can recompute any of them.
     */
    static ZoneAggregate aggregate(
            Metric metric, ZoneKind kind, String zone, Instant start, int minutes, int revision) {
        // The window start is in the base too: the windows of one zone differ from each other.
        double base = 10 + Math.floorMod((zone + start).hashCode(), 50) + revision;
        return TestAggregates.fromBase(
                metric, kind, zone, start, Duration.ofMinutes(minutes), revision, base);
    }

    /** Writes history aggregates (ids {@link ZoneAggregate#featureId()}) to a store it opens. */
    static void writeHistory(StoreConfig store, Instant updated, List<ZoneAggregate> aggregates)
            throws IOException {
        String type = AggregateSchema.HISTORY_TYPE;
        DataStore ds = DataStores.openWithSchema(store, StoreConfig.Access.WRITE, type);
        try {
            write(ds, type, updated, aggregates, false);
        } finally {
            ds.dispose();
        }
    }

    /**
     * Appends aggregates to an open store as the sink's writer does: every attribute through {@link
     * AggregateSchema#setAttributes}, the zone's outline, and the provided id (the live id when
     * {@code live}).
     */
    static void write(
            DataStore ds,
            String type,
            Instant updated,
            List<ZoneAggregate> aggregates,
            boolean live)
            throws IOException {
        TestAggregates.append(
                ds,
                type,
                aggregates,
                updated,
                ZONING::geometry,
                live ? AggregateSchema::liveId : ZoneAggregate::featureId);
    }

    /** Creates the readings and dead-letter topics the dashboard's readings monitor follows. */
    static void createReadingTopics(String bootstrapServers) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(KafkaTopics.READINGS, 1, (short) 1),
                                    new NewTopic(KafkaTopics.REJECTED, 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** A reading of one sensor at {@code ts}, in the city the dashboard serves by default. */
    static Reading reading(
            String sensor, Metric metric, Instant ts, double lat, double lon, double value) {
        return new Reading(sensor, metric, "kunming", ts.toEpochMilli(), lat, lon, value, null);
    }

    /** Sends readings as the bridge does (key: sensor id), with the bridge's send time. */
    static void produceReadings(String bootstrapServers, Instant recordTime, List<Reading> readings)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrapServers)) {
            for (Reading r : readings) {
                p.send(
                                new ProducerRecord<>(
                                        KafkaTopics.READINGS,
                                        null,
                                        recordTime.toEpochMilli(),
                                        r.sensorId().getBytes(StandardCharsets.UTF_8),
                                        ReadingJson.encode(r)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }
}
