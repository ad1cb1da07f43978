package org.smartcity.jobs;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;

/**
 * Reads the readings topic's canonical JSON ({@link ReadingJson}). A record that does not decode
 * (the bridge validates, so only a foreign producer or a bug writes one) is counted in {@code
 * undecodableReadings}, logged with its position, and skipped: one bad record must not stop the
 * job, and failing would replay it forever.
 */
public final class ReadingDeserializationSchema
        implements KafkaRecordDeserializationSchema<Reading> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReadingDeserializationSchema.class);

    private transient Counter undecodable;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        undecodable = context.getMetricGroup().counter("undecodableReadings");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Reading> out) {
        byte[] value = record.value();
        Reading reading;
        try {
            if (value == null) {
                throw new IllegalArgumentException("no value");
            }
            reading = ReadingJson.decode(value);
        } catch (RuntimeException e) {
            undecodable.inc();
            LOG.warn(
                    "Skipped an undecodable record at {}-{} offset {}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return;
        }
        out.collect(reading);
    }

    @Override
    public TypeInformation<Reading> getProducedType() {
        return ReadingSerializer.TYPE_INFO;
    }
}
