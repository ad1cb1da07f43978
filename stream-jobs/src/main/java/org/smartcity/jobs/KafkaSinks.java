package org.smartcity.jobs;

import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;

/** The job's Kafka outputs, built from its configuration. */
public final class KafkaSinks {
    private KafkaSinks() {}

    /** Aggregates as JSON ({@link ZoneAggregateJson}), keyed by feature id. */
    public static KafkaSink<ZoneAggregate> aggregates(JobConfig cfg) {
        return sink(
                cfg,
                "aggregates",
                new KeyedJsonSerializationSchema<>(
                        cfg.aggregatesTopic(),
                        ZoneAggregate::featureId,
                        ZoneAggregateJson::encode));
    }

    /** Late readings as JSON ({@link LateReadingJson}), keyed by sensor id. */
    public static KafkaSink<LateReading> lateReadings(JobConfig cfg) {
        return sink(
                cfg,
                "late",
                new KeyedJsonSerializationSchema<>(
                        cfg.lateTopic(),
                        late -> late.reading().sensorId(),
                        LateReadingJson::encode));
    }

    /**
     * Alerts as JSON ({@link AlertJson}), keyed by alert id (the topic is compacted: it keeps each
     * alert's newest revision).
     */
    public static KafkaSink<Alert> alerts(JobConfig cfg) {
        return sink(
                cfg,
                "alerts",
                new KeyedJsonSerializationSchema<>(
                        cfg.kafka().alertsTopic(), Alert::id, AlertJson::encode));
    }

    private static <T> KafkaSink<T> sink(
            JobConfig cfg, String name, KeyedJsonSerializationSchema<T> schema) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(cfg.kafkaBootstrap())
                .setKafkaProducerConfig(cfg.producerProperties())
                .setDeliveryGuarantee(cfg.deliveryGuarantee())
                // Only used with exactly-once; unique per job and sink, stable across restarts.
                .setTransactionalIdPrefix(cfg.groupId() + "-" + name)
                .setRecordSerializer(schema)
                .build();
    }
}
