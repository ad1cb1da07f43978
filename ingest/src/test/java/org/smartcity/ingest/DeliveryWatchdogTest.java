package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stall decision of {@link DeliveryWatchdog}, on a fake clock and a fake session. */
class DeliveryWatchdogTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FakeSession session = new FakeSession();
    private long nanos = 1_000_000_000L;
    private DeliveryWatchdog watchdog;

    @BeforeEach
    void create() {
        IngestMetrics metrics = new IngestMetrics();
        metrics.bindTo(registry);
        watchdog = new DeliveryWatchdog("bridge-1", TIMEOUT, session, metrics, () -> nanos);
    }

    @Test
    void sendsAHeartbeatToItsOwnTopicInsideCity() {
        watchdog.check();

        assertThat(session.published).containsExactly("city/_ingest/heartbeat/bridge-1");
        assertThat(session.payloads).containsExactly("{\"heartbeat\":\"bridge-1\"}");
        assertThat(DeliveryWatchdog.isHeartbeat("city/_ingest/heartbeat/other")).isTrue();
        assertThat(DeliveryWatchdog.isHeartbeat("city/kunming/pm25/s-1")).isFalse();
        byte[] own = "{\"heartbeat\":\"bridge-1\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(DeliveryWatchdog.isHeartbeat("city/_ingest/heartbeat/bridge-1", own)).isTrue();
        // A device publishing on a heartbeat topic is a message like any other.
        assertThat(DeliveryWatchdog.isHeartbeat("city/_ingest/heartbeat/s-1", own)).isFalse();
        assertThat(
                        DeliveryWatchdog.isHeartbeat(
                                "city/_ingest/heartbeat/bridge-1",
                                "{\"value\":1}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
    }

    @Test
    void anAcknowledgedHeartbeatWithNothingDeliveredForLongerThanTheTimeoutIsAStall() {
        watchdog.check();
        session.answer(0x00);

        advance(20); // exactly the timeout: not yet
        watchdog.check();
        assertThat(session.reconnects).isZero();
        assertThat(session.published).hasSize(1);

        advance(1);
        watchdog.check();

        assertThat(session.reconnects).isEqualTo(1);
        assertThat(stalls()).isEqualTo(1.0);
        assertThat(watchdog.stall())
                .isEqualTo(
                        "the broker acknowledged a heartbeat but delivered nothing for 21 s;"
                                + " reconnecting");
    }

    @Test
    void anyDeliveryAfterTheHeartbeatWasSentProvesTheSessionAndClearsTheStall() {
        watchdog.check();
        session.answer(0x00);
        advance(21);
        watchdog.check();
        assertThat(watchdog.stall()).isNotNull();

        watchdog.delivered(); // e.g. a reading, after the reconnect
        assertThat(watchdog.stall()).isNull();

        watchdog.check(); // a new heartbeat
        session.answer(0x10); // "no matching subscribers" is still an acknowledgement
        advance(5);
        watchdog.delivered();
        advance(30);
        watchdog.check();

        assertThat(session.reconnects).isEqualTo(1);
        assertThat(session.published).hasSize(3); // the third replaces the answered second
    }

    @Test
    void aHeartbeatTheBrokerNeverAcknowledgedSaysNothingAndIsSentAgain() {
        watchdog.check();
        advance(25);
        watchdog.check();

        assertThat(session.reconnects).isZero();
        assertThat(session.published).hasSize(2);
    }

    @Test
    void aFullReceiveWindowIsTheBridgeHoldingBackNotTheBroker() {
        watchdog.check();
        session.answer(0x00);
        session.windowFull = true;
        advance(25);
        watchdog.check();

        assertThat(session.reconnects).isZero();
        assertThat(stalls()).isZero();
    }

    @Test
    void nothingIsSentWhileTheSessionIsNotReadyAndAnOldHeartbeatIsForgotten() {
        watchdog.check();
        session.answer(0x00);
        session.ready = false;
        advance(60);
        watchdog.check();
        assertThat(session.published).hasSize(1);

        session.ready = true;
        advance(1);
        watchdog.check(); // a fresh heartbeat, not a stall for the one before the reconnect

        assertThat(session.reconnects).isZero();
        assertThat(session.published).hasSize(2);
    }

    @Test
    void aBrokerThatRefusesTheHeartbeatTurnsTheWatchdogOff() {
        watchdog.check();
        session.answer(0x87); // not authorized: an ACL without the bridge's write rule
        for (int i = 0; i < 10; i++) {
            advance(25);
            watchdog.check();
        }

        assertThat(session.published).hasSize(1);
        assertThat(session.reconnects).isZero();
    }

    private void advance(long seconds) {
        nanos += TimeUnit.SECONDS.toNanos(seconds);
    }

    private double stalls() {
        return registry.get("ingest.mqtt.stalls").counter().count();
    }

    /** Records what the watchdog asks of the session; answers heartbeats when told to. */
    private static final class FakeSession implements DeliveryWatchdog.Session {
        final List<String> published = new ArrayList<>();
        final List<String> payloads = new ArrayList<>();
        final List<DeliveryWatchdog.ReasonCodeListener> pending = new ArrayList<>();
        boolean ready = true;
        boolean windowFull;
        int reconnects;

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public boolean windowFull() {
            return windowFull;
        }

        @Override
        public void publish(
                String topic, byte[] payload, DeliveryWatchdog.ReasonCodeListener acknowledged) {
            published.add(topic);
            payloads.add(new String(payload, StandardCharsets.UTF_8));
            pending.add(acknowledged);
        }

        @Override
        public void reconnect() {
            reconnects++;
        }

        void answer(int reasonCode) {
            pending.remove(pending.size() - 1).answered(reasonCode);
        }
    }
}
