package org.smartcity.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.smartcity.core.KafkaTopics;

/**
 * Looks up which records are already in Kafka. The bridge asks only about records made from
 * redelivered MQTT messages (DUP flag set): those may have been written by an instance that crashed
 * between Kafka's acknowledgement and its own MQTT acknowledgement.
 */
interface WrittenRecords extends AutoCloseable {

    /**
     * A record's identity: topic, key and value bytes (the readings' JSON is canonical), and for a
     * dead letter where it came from (MQTT topic and element index): two messages with the same bad
     * payload on different topics, or the same bad element twice in an array, are different dead
     * letters.
     */
    record Identity(String topic, ByteBuffer key, ByteBuffer value, String origin) {
        static Identity of(ProducerRecord<byte[], byte[]> r) {
            return of(r.topic(), r.key(), r.value(), r.headers());
        }

        static Identity of(String topic, byte[] key, byte[] value, Headers headers) {
            Header mqttTopic = headers.lastHeader(KafkaTopics.HEADER_MQTT_TOPIC);
            Header index = headers.lastHeader(KafkaTopics.HEADER_ELEMENT_INDEX);
            String origin =
                    mqttTopic == null
                            ? null
                            : new String(mqttTopic.value(), StandardCharsets.UTF_8)
                                    + " ["
                                    + (index == null
                                            ? ""
                                            : new String(index.value(), StandardCharsets.UTF_8))
                                    + "]";
            return new Identity(topic, wrap(key), wrap(value), origin);
        }

        static ByteBuffer wrap(byte[] bytes) {
            return bytes == null ? null : ByteBuffer.wrap(bytes);
        }
    }

    /** The identities among {@code candidates} already present in their topics. */
    Set<Identity> findWritten(Collection<ProducerRecord<byte[], byte[]>> candidates)
            throws InterruptedException;

    @Override
    void close();
}
