package org.smartcity.simulator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A transport that keeps what it is sent and confirms at once, failing the messages asked to. */
final class RecordingTransport implements Transport {
    final List<SimulatedMessage> sent = new CopyOnWriteArrayList<>();
    private final Predicate<SimulatedMessage> fails;
    volatile boolean closed;

    RecordingTransport(Predicate<SimulatedMessage> fails) {
        this.fails = fails;
    }

    RecordingTransport() {
        this(m -> false);
    }

    @Override
    public boolean send(SimulatedMessage message, Delivery delivery) {
        sent.add(message);
        if (fails.test(message)) {
            delivery.failed(new IllegalStateException("refused by the test"));
        } else {
            delivery.confirmed();
        }
        return true;
    }

    @Override
    public boolean awaitIdle(Duration timeout) {
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
