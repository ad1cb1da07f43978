package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;

/** The bridge's routing and acknowledgement rules, against Kafka's {@link MockProducer}. */
class MqttKafkaBridgeTest {
    private static final Instant NOW = Instant.parse("2026-11-24T05:00:00Z");

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final List<Integer> acked = new CopyOnWriteArrayList<>();
    private final FakeWrittenRecords written = new FakeWrittenRecords();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private MqttKafkaBridge bridge;

    /** Answers lookups from a fixed set of records "already in Kafka". */
    static final class FakeWrittenRecords implements WrittenRecords {
        final List<ProducerRecord<byte[], byte[]>> present = new CopyOnWriteArrayList<>();
        final List<Integer> lookups = new CopyOnWriteArrayList<>();

        @Override
        public Set<Identity> findWritten(Collection<ProducerRecord<byte[], byte[]>> candidates) {
            lookups.add(candidates.size());
            Set<Identity> all = present.stream().map(Identity::of).collect(Collectors.toSet());
            return candidates.stream()
                    .map(Identity::of)
                    .filter(all::contains)
                    .collect(Collectors.toSet());
        }

        @Override
        public void close() {}
    }

    @BeforeEach
    void setUp() throws Exception {
        IngestMetrics metrics = new IngestMetrics();
        metrics.bindTo(registry);
        IngestConfig config =
                IngestConfig.fromFlags(
                        "--mqtt-url", "tcp://127.0.0.1:1",
                        "--kafka-bootstrap", "127.0.0.1:1",
                        "--mqtt-client-id", "bridge-under-test");
        bridge =
                new MqttKafkaBridge(
                        config,
                        new MqttAsyncClient(
                                config.mqttUrl(), config.mqttClientId(), new MemoryPersistence()),
                        producer,
                        written,
                        metrics,
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        (id, qos) -> acked.add(id));
        bridge.startRedeliveryCheck();
    }

    @AfterEach
    void tearDown() {
        bridge.close();
    }

    private void arrive(int id, String topic, byte[] payload, boolean duplicate) {
        MqttMessage m = new MqttMessage(payload);
        m.setId(id);
        m.setQos(1);
        m.setDuplicate(duplicate);
        bridge.messageArrived(topic, m);
    }

    @Test
    void writesValidReadingKeyedBySensorAndAcknowledgesOnlyAfterKafka() {
        arrive(
                7,
                TestPayloads.topic("pm25", "km-pm25-0001"),
                TestPayloads.pm25("km-pm25-0001", NOW, 38.5, 12),
                false);

        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo(KafkaTopics.READINGS);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("km-pm25-0001");
        assertThat(ReadingJson.decode(record.value()))
                .isEqualTo(
                        new Reading(
                                "km-pm25-0001",
                                Metric.PM25,
                                "kunming",
                                NOW.toEpochMilli(),
                                TestPayloads.LAT,
                                TestPayloads.LON,
                                38.5,
                                12L));
        assertThat(acked).isEmpty();

        producer.completeNext();

        assertThat(acked).containsExactly(7);
        assertThat(registry.get("ingest.readings.accepted").tag("metric", "pm25").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void writesToTheTopicsKafkaOptionsName() throws Exception {
        MockProducer<byte[], byte[]> own =
                new MockProducer<>(
                        true, null, new ByteArraySerializer(), new ByteArraySerializer());
        IngestConfig config =
                IngestConfig.fromFlags(
                        "--mqtt-url", "tcp://127.0.0.1:1",
                        "--kafka-bootstrap", "127.0.0.1:1",
                        "--mqtt-client-id", "bridge-with-own-topics",
                        "--kafka-readings-topic", "north.readings",
                        "--kafka-rejected-topic", "north.rejected");
        IngestMetrics metrics = new IngestMetrics();
        metrics.bindTo(new SimpleMeterRegistry());
        try (MqttKafkaBridge northern =
                new MqttKafkaBridge(
                        config,
                        new MqttAsyncClient(
                                config.mqttUrl(), config.mqttClientId(), new MemoryPersistence()),
                        own,
                        written,
                        metrics,
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        (id, qos) -> {})) {
            MqttMessage good = new MqttMessage(TestPayloads.pm25("n-1", NOW, 12, 1));
            good.setId(1);
            good.setQos(1);
            northern.messageArrived(TestPayloads.topic("pm25", "n-1"), good);
            MqttMessage bad = new MqttMessage(TestPayloads.bytes("{oops"));
            bad.setId(2);
            bad.setQos(1);
            northern.messageArrived(TestPayloads.topic("pm25", "n-2"), bad);
        }

        assertThat(own.history())
                .extracting(ProducerRecord::topic)
                .containsExactly("north.readings", "north.rejected");
    }

    @Test
    void deadLettersTheBadElementOfAGatewayArrayWithReasonAndOriginalBytes() {
        String good1 =
                new String(TestPayloads.pm25("km-pm25-0002", NOW, 10, 1), StandardCharsets.UTF_8);
        String bad = "{\"ts\":\"" + NOW + "\",\"lat\":25.04,\"lon\":102.71,\"value\":-3}";
        String good2 =
                new String(TestPayloads.pm25("km-pm25-0002", NOW, 11, 2), StandardCharsets.UTF_8);
        arrive(
                8,
                TestPayloads.topic("pm25", "km-pm25-0002"),
                TestPayloads.bytes("[" + good1 + "," + bad + "," + good2 + "]"),
                false);

        assertThat(producer.history())
                .extracting(ProducerRecord::topic)
                .containsExactly(KafkaTopics.READINGS, KafkaTopics.REJECTED, KafkaTopics.READINGS);
        ProducerRecord<byte[], byte[]> dead = producer.history().get(1);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(bad);
        assertThat(header(dead, KafkaTopics.HEADER_REASON)).isEqualTo("OUT_OF_RANGE");
        assertThat(header(dead, KafkaTopics.HEADER_ELEMENT_INDEX)).isEqualTo("1");
        assertThat(header(dead, KafkaTopics.HEADER_MQTT_TOPIC))
                .isEqualTo("city/kunming/pm25/km-pm25-0002");
        assertThat(header(dead, KafkaTopics.HEADER_DETAIL)).contains("value -3.0");

        producer.completeNext();
        producer.completeNext();
        assertThat(acked).isEmpty();
        producer.completeNext();
        assertThat(acked).containsExactly(8);
    }

    @Test
    void doesNotAcknowledgeWhenKafkaFails() {
        arrive(3, TestPayloads.topic("pm25", "c"), TestPayloads.pm25("c", NOW, 1, 1), false);
        arrive(4, TestPayloads.topic("pm25", "d"), TestPayloads.pm25("d", NOW, 1, 1), false);

        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker down"));
        producer.completeNext();

        assertThat(acked).isEmpty();
        assertThat(registry.get("ingest.kafka.errors").counter().count()).isEqualTo(1.0);
    }

    @Test
    void redeliveredMessageAlreadyInKafkaIsAcknowledgedWithoutWritingAgain() {
        byte[] payload = TestPayloads.pm25("km-pm25-0005", NOW, 20, 5);
        String topic = TestPayloads.topic("pm25", "km-pm25-0005");
        arrive(9, topic, payload, false);
        producer.completeNext();
        written.present.addAll(producer.history());
        int writtenBefore = producer.history().size();

        arrive(9, topic, payload, true);

        await().until(() -> acked.size() == 2);
        assertThat(producer.history()).hasSize(writtenBefore);
        assertThat(written.lookups).containsExactly(1);
        assertThat(registry.get("ingest.redeliveries.suppressed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void redeliveredMessageMissingFromKafkaIsWritten() {
        arrive(10, TestPayloads.topic("pm25", "e"), TestPayloads.pm25("e", NOW, 20, 5), true);

        await().until(() -> producer.history().size() == 1);
        assertThat(acked).isEmpty();
        producer.completeNext();
        assertThat(acked).containsExactly(10);
    }

    @Test
    void countsSequenceGapsAndDuplicates() {
        String topic = TestPayloads.topic("pm25", "f");
        List<Long> seqs = new ArrayList<>(List.of(0L, 1L, 4L, 2L, 4L));
        int id = 20;
        for (long seq : seqs) {
            arrive(id++, topic, TestPayloads.pm25("f", NOW, 1, seq), false);
        }
        // 4 after 1 leaves 2 and 3 missing; 2 arrives late; 4 again is a duplicate.
        assertThat(registry.get("ingest.sequence.lost").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("ingest.sequence.duplicates").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aRedeliveredBadPayloadOnAnotherTopicIsAnotherDeadLetter() {
        byte[] bad = TestPayloads.bytes("{oops");
        arrive(50, "city/kunming/pm25", bad, false);
        producer.completeNext();
        written.present.addAll(producer.history());

        // After a reconnect: the same bytes on another topic, and on the first one again.
        bridge.disconnected(new MqttDisconnectResponse(new MqttException(0)));
        arrive(51, "city/kunming/pm25/x/extra", bad, false);
        arrive(50, "city/kunming/pm25", bad, false);

        await().until(() -> producer.history().size() == 2);
        assertThat(producer.history())
                .extracting(r -> header(r, KafkaTopics.HEADER_MQTT_TOPIC))
                .containsExactly("city/kunming/pm25", "city/kunming/pm25/x/extra");
        producer.completeNext();
        await().until(() -> acked.size() == 3);
        assertThat(acked).containsExactly(50, 51, 50);
        assertThat(registry.get("ingest.redeliveries.suppressed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aRedeliveredReadingIsNoDeviceDuplicate() {
        String topic = TestPayloads.topic("pm25", "g");
        byte[] payload = TestPayloads.pm25("g", NOW, 1, 7);
        arrive(30, topic, payload, false);
        arrive(30, topic, payload, true);
        // After a reconnect, the broker may hand the message out again without the DUP flag.
        bridge.disconnected(new MqttDisconnectResponse(new MqttException(0)));
        arrive(30, topic, payload, false);
        await().until(() -> producer.history().size() == 3);

        assertThat(registry.get("ingest.sequence.duplicates").counter().count()).isZero();
        assertThat(registry.get("ingest.sequence.lost").gauge().value()).isZero();
    }

    @Test
    void deadLettersAnOversizedPayloadAsAPrefixWithItsSizeAndHash() throws Exception {
        byte[] payload = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(payload, (byte) 'p');
        arrive(40, TestPayloads.topic("pm25", "x"), payload, false);

        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> dead = producer.history().get(0);
        assertThat(dead.topic()).isEqualTo(KafkaTopics.REJECTED);
        assertThat(header(dead, KafkaTopics.HEADER_REASON)).isEqualTo("OVERSIZED");
        assertThat(dead.value()).isEqualTo(java.util.Arrays.copyOf(payload, 1024));
        assertThat(header(dead, KafkaTopics.HEADER_ORIGINAL_SIZE)).isEqualTo("5242880");
        assertThat(header(dead, KafkaTopics.HEADER_ORIGINAL_SHA256))
                .isEqualTo(
                        java.util.HexFormat.of()
                                .formatHex(
                                        java.security.MessageDigest.getInstance("SHA-256")
                                                .digest(payload)));
        producer.completeNext();
        assertThat(acked).containsExactly(40);
    }

    @Test
    void replacesARecordKafkaRefusesForGoodByAnUndeliverableDeadLetter() {
        byte[] payload = TestPayloads.pm25("y", NOW, 20, 5);
        arrive(41, TestPayloads.topic("pm25", "y"), payload, false);

        producer.errorNext(new RecordTooLargeException("The message is 2000000 bytes"));
        await().until(() -> producer.history().size() == 2);
        ProducerRecord<byte[], byte[]> refused = producer.history().get(0);
        ProducerRecord<byte[], byte[]> dead = producer.history().get(1);
        assertThat(dead.topic()).isEqualTo(KafkaTopics.REJECTED);
        assertThat(header(dead, KafkaTopics.HEADER_REASON)).isEqualTo("UNDELIVERABLE");
        assertThat(header(dead, KafkaTopics.HEADER_DETAIL))
                .isEqualTo(
                        "Kafka refused the record for smartcity.readings.v1 for good"
                                + " (RecordTooLargeException: The message is 2000000 bytes)");
        assertThat(header(dead, KafkaTopics.HEADER_MQTT_TOPIC)).isEqualTo("city/kunming/pm25/y");
        assertThat(header(dead, KafkaTopics.HEADER_ORIGINAL_SIZE))
                .isEqualTo(Integer.toString(refused.value().length));
        assertThat(dead.value()).isEqualTo(refused.value()); // shorter than the prefix
        assertThat(acked).isEmpty();

        producer.completeNext();
        assertThat(acked).containsExactly(41);
        assertThat(
                        registry.get("ingest.readings.rejected")
                                .tag("reason", "UNDELIVERABLE")
                                .counter()
                                .count())
                .isEqualTo(1.0);
        assertThat(registry.get("ingest.readings.accepted").tag("metric", "pm25").counter().count())
                .isZero();
        assertThat(registry.get("ingest.kafka.errors").counter().count()).isZero();
    }

    @Test
    void acknowledgesAndCountsAMessageWhoseDeadLetterIsRefusedToo() {
        arrive(42, TestPayloads.topic("pm25", "z"), TestPayloads.bytes("{oops"), false);

        producer.errorNext(new RecordTooLargeException("too large"));
        await().until(() -> producer.history().size() == 2);
        producer.errorNext(new InvalidRecordException("refused again"));

        await().until(() -> acked.size() == 1);
        assertThat(acked).containsExactly(42);
        assertThat(registry.get("ingest.deadletters.dropped").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("ingest.readings.rejected").counters())
                .allSatisfy(c -> assertThat(c.count()).isZero());
    }

    @Test
    void aPassingKafkaFailureOfTheDeadLetterLeavesTheMessageToRedelivery() {
        arrive(43, TestPayloads.topic("pm25", "w"), TestPayloads.bytes("{oops"), false);

        producer.errorNext(new RecordTooLargeException("too large"));
        await().until(() -> producer.history().size() == 2);
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker down"));

        await().until(() -> registry.get("ingest.kafka.errors").counter().count() == 1.0);
        assertThat(acked).isEmpty();
        assertThat(registry.get("ingest.deadletters.dropped").counter().count()).isZero();
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
