package org.smartcity.ingest;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Acknowledges MQTT messages only once Kafka has acknowledged every record made from them, and in
 * the order they arrived (MQTT requires PUBACKs in order, while Kafka completes partitions
 * independently).
 *
 * <p>Acknowledgements belong to one connection: after a reconnect the broker redelivers what was
 * not acknowledged, reusing packet ids, so {@link #reset()} forgets the old connection's messages
 * and a late Kafka acknowledgement for one of them is ignored rather than acknowledging an
 * unrelated new message.
 */
final class InFlightAcks {

    /** Sends the MQTT acknowledgement (PUBACK) of a message. */
    @FunctionalInterface
    interface Acknowledger {
        void acknowledge(int messageId, int qos) throws Exception;
    }

    /** One MQTT message waiting for its Kafka records. */
    static final class Delivery {
        private final long connection;
        private final int messageId;
        private final int qos;
        private final long arrivalNanos;
        private int pendingRecords;
        private boolean failed;

        private Delivery(long connection, int messageId, int qos, int records, long arrivalNanos) {
            this.connection = connection;
            this.messageId = messageId;
            this.qos = qos;
            this.pendingRecords = records;
            this.arrivalNanos = arrivalNanos;
        }

        long arrivalNanos() {
            return arrivalNanos;
        }
    }

    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    private final Acknowledger acknowledger;
    private long connection;

    InFlightAcks(Acknowledger acknowledger) {
        this.acknowledger = acknowledger;
    }

    /** Registers a message that will produce {@code records} Kafka records (at least one). */
    synchronized Delivery register(int messageId, int qos, int records) {
        Delivery d = new Delivery(connection, messageId, qos, records, System.nanoTime());
        queue.addLast(d);
        return d;
    }

    /**
     * One record of the delivery is safely in Kafka (or needs no writing).
     *
     * @throws Exception when the MQTT client refuses the acknowledgement
     */
    synchronized void recordDone(Delivery d) throws Exception {
        if (d.connection != connection) {
            return;
        }
        d.pendingRecords--;
        while (!queue.isEmpty()
                && queue.peekFirst().pendingRecords == 0
                && !queue.peekFirst().failed) {
            Delivery head = queue.removeFirst();
            if (head.qos > 0) {
                acknowledger.acknowledge(head.messageId, head.qos);
            }
        }
        if (queue.isEmpty()) {
            notifyAll();
        }
    }

    /** A record of the delivery will never reach Kafka: the message must not be acknowledged. */
    synchronized void recordFailed(Delivery d) {
        d.failed = true;
    }

    /** Forgets every message of the current connection: the broker will redeliver them. */
    synchronized void reset() {
        connection++;
        queue.clear();
        notifyAll();
    }

    synchronized int size() {
        return queue.size();
    }

    /** Waits until every registered message is acknowledged or forgotten. */
    synchronized boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
