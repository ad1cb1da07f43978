package org.smartcity.simulator;

import java.time.Duration;

/**
 * Where the simulator's messages go: the MQTT broker ({@link MqttTransport}), or a recorder in
 * tests. Implementations publish with QoS 1 and report each message's outcome exactly once.
 */
interface Transport extends AutoCloseable {

    /** The outcome of one message, reported once, from any thread. */
    interface Delivery {
        /** The broker has the message (PUBACK with a success code). */
        void confirmed();

        /** The broker refused it or the connection failed before it confirmed. */
        void failed(Throwable cause);
    }

    /** Opens a transport for a configuration; fails if the broker cannot be reached. */
    @FunctionalInterface
    interface Factory {
        Transport open(SimulatorConfig config, StopSignal stop) throws Exception;
    }

    /**
     * Publishes a message, blocking while too many are unacknowledged or the connection is down.
     *
     * @return false when a stop was requested before the message could be handed over; it was not
     *     published and {@code delivery} is not called
     */
    boolean send(SimulatedMessage message, Delivery delivery) throws InterruptedException;

    /**
     * Waits until every message handed over has been confirmed or failed.
     *
     * @return false when some are still unacknowledged after {@code timeout}
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    /** Disconnects; unacknowledged messages stay unconfirmed. */
    @Override
    void close();
}
