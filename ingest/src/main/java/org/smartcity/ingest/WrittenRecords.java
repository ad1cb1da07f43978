package org.smartcity.ingest;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Looks up which records are already in Kafka. The bridge asks only about records made from
 * redelivered MQTT messages (DUP flag set): those may have been written by an instance that crashed
 * between Kafka's acknowledgement and its own MQTT acknowledgement.
 */
interface WrittenRecords extends AutoCloseable {

    /** A record's identity: topic, key and value bytes (the readings' JSON is canonical). */
    record Identity(String topic, ByteBuffer key, ByteBuffer value) {
        static Identity of(ProducerRecord<byte[], byte[]> r) {
            return new Identity(r.topic(), wrap(r.key()), wrap(r.value()));
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
