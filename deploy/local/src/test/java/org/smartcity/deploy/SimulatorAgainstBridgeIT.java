package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smartcity.brokers.KafkaBroker;
import org.smartcity.brokers.MqttBroker;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.RejectionReason;
import org.smartcity.ingest.IngestService;
import org.smartcity.simulator.SimulationSummary;
import org.smartcity.simulator.Simulator;
import org.smartcity.simulator.SimulatorConfig;

/**
 * The simulator's own account of what it sent (per metric, per fault) matches, exactly, what the
 * bridge accepted and rejected and what is in the Kafka topics: every reading is accounted for.
 */
class SimulatorAgainstBridgeIT {
    @TempDir Path dir;

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 10})
    void everySimulatedReadingIsAcceptedOrRejectedAsTheSimulatorPredicts(int batchSize)
            throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(0, dir.resolve("kafka"));
                MqttBroker mqtt = MqttBroker.startAnonymous(0, dir.resolve("mqtt"));
                IngestService bridge = TestBridge.start(mqtt, kafka, "bridge-under-simulation")) {
            SimulationSummary summary;
            try (Simulator simulator =
                    new Simulator(
                            SimulatorConfig.parse(
                                    "--mqtt-url", mqtt.serverUri(),
                                    "--sensors", "120",
                                    "--rate", "2000",
                                    "--total", "6000",
                                    "--batch-size", Integer.toString(batchSize),
                                    "--fault-malformed", "0.02",
                                    "--fault-out-of-range", "0.02",
                                    "--fault-wrong-unit", "0.02",
                                    "--fault-late", "0.03",
                                    "--fault-duplicate", "0.02",
                                    "--fault-out-of-order", "0.02",
                                    "--fault-silent-sensors", "0.05"),
                            Clock.systemUTC())) {
                simulator.run();
                summary = simulator.summary();
            }
            assertThat(summary.unconfirmedMessages()).isZero();
            assertThat(summary.expectedRejected()).isPositive();
            MeterRegistry meters = bridge.registry();
            await("bridge has handled every reading")
                    .atMost(Duration.ofMinutes(1))
                    .until(
                            () ->
                                    counted(meters, "ingest.readings.accepted")
                                                    + counted(meters, "ingest.readings.rejected")
                                            >= summary.readingsSent());

            Map<Metric, Long> acceptedByBridge = new EnumMap<>(Metric.class);
            for (Metric m : Metric.values()) {
                long n =
                        (long)
                                meters.get("ingest.readings.accepted")
                                        .tag("metric", m.id())
                                        .counter()
                                        .count();
                if (n > 0) {
                    acceptedByBridge.put(m, n);
                }
            }
            Map<RejectionReason, Long> rejectedByBridge = new EnumMap<>(RejectionReason.class);
            for (RejectionReason r : RejectionReason.values()) {
                long n =
                        (long)
                                meters.get("ingest.readings.rejected")
                                        .tag("reason", r.name())
                                        .counter()
                                        .count();
                if (n > 0) {
                    rejectedByBridge.put(r, n);
                }
            }
            assertThat(acceptedByBridge).isEqualTo(summary.acceptedByMetric());
            assertThat(rejectedByBridge).isEqualTo(summary.rejectionsByReason());
            assertThat(meters.get("ingest.sequence.duplicates").counter().count())
                    .isEqualTo(summary.acceptedRepeats());

            // And the topics hold exactly that: nothing counted that was not written.
            assertThat(readingsPerMetric(kafka.bootstrapServers()))
                    .isEqualTo(summary.acceptedByMetric());
            assertThat(deadLettersPerReason(kafka.bootstrapServers()))
                    .isEqualTo(summary.rejectionsByReason());
        }
    }

    private static double counted(MeterRegistry meters, String name) {
        return meters.get(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static Map<Metric, Long> readingsPerMetric(String bootstrap) {
        Map<Metric, Long> counts = new EnumMap<>(Metric.class);
        for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, KafkaTopics.READINGS)) {
            counts.merge(ReadingJson.decode(r.value()).metric(), 1L, Long::sum);
        }
        return counts;
    }

    private static Map<RejectionReason, Long> deadLettersPerReason(String bootstrap) {
        Map<RejectionReason, Long> counts = new EnumMap<>(RejectionReason.class);
        for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, KafkaTopics.REJECTED)) {
            String reason =
                    new String(
                            r.headers().lastHeader(KafkaTopics.HEADER_REASON).value(),
                            StandardCharsets.UTF_8);
            counts.merge(RejectionReason.valueOf(reason), 1L, Long::sum);
        }
        return counts;
    }

    private static java.util.List<ConsumerRecord<byte[], byte[]>> readAll(
            String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        java.util.List<ConsumerRecord<byte[], byte[]>> out = new java.util.ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            java.util.List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
