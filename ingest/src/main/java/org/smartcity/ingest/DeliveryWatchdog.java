package org.smartcity.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when the broker has stopped delivering to the bridge's session although the connection
 * and the subscription are up, and has the bridge reconnect.
 *
 * <p>Why: MQTT has no signal for it, and the embedded HiveMQ CE can do it. Killed with QoS 1
 * messages in flight to a shared-subscription session, after its restart it sometimes delivered
 * nothing more to that session (BrokerCrashIT). Under heavy load, shared-subscription subscribers
 * can go idle on a live connection until they reconnect (hivemq-community-edition issue 558). The
 * bridge then reported UP while devices' readings piled up in the broker.
 *
 * <p>How: every {@code interval} the bridge publishes a small QoS 1 heartbeat to {@link
 * #topic(String) city/_ingest/heartbeat/CLIENTID}, inside its own subscription. Once the broker has
 * acknowledged a heartbeat, some message must reach the bridge within {@code timeout}: the
 * heartbeat itself, or any reading. If nothing does, and the bridge is not the one holding back
 * (its receive window is not full of messages waiting for Kafka), the session is declared stalled
 * and the bridge reconnects; the broker then redelivers what the session held, and the bridge's
 * redelivery lookup keeps every reading once in Kafka.
 *
 * <p>With several bridges in one share group a heartbeat may reach another instance; a quiet city
 * can then cost an instance a needless reconnect, which loses nothing. A broker that refuses the
 * heartbeats (an ACL without the bridge's write rule) turns the watchdog off, with one warning.
 *
 * <p>{@link #check()} is called by the bridge's scheduler; the state lives here so the decision is
 * testable with a fake clock and a fake session.
 */
final class DeliveryWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWatchdog.class);

    /**
     * Where heartbeats go: inside {@code city/#}, under a city level no city uses. The bridge takes
     * messages on it before validation, whoever sent them.
     */
    static final String TOPIC_PREFIX = "city/_ingest/heartbeat/";

    /** MQTT 5 PUBACK reason codes at or above this are failures. */
    private static final int FIRST_FAILURE_CODE = 0x80;

    /** What the watchdog needs of the bridge's MQTT session. */
    interface Session {
        /** Connected and subscribed, not recovering from a Kafka failure, not closing. */
        boolean ready();

        /** Whether the bridge holds as many unacknowledged messages as the broker may send. */
        boolean windowFull();

        /**
         * Publishes a heartbeat with QoS 1; calls {@code acknowledged} with the PUBACK's reason
         * code (or an exception's, when the publish failed) once the broker answered.
         */
        void publish(String topic, byte[] payload, ReasonCodeListener acknowledged);

        /** Drops the connection and connects again (on another thread). */
        void reconnect();
    }

    /** Receives the broker's answer to a heartbeat. */
    @FunctionalInterface
    interface ReasonCodeListener {
        /**
         * @param reasonCode the PUBACK reason code, or the failure's; -1 when the publish failed
         *     before reaching the broker (not connected, client busy)
         */
        void answered(int reasonCode);
    }

    /** A heartbeat sent and not yet answered by a delivery. */
    private static final class Heartbeat {
        final long sentNanos;
        volatile boolean acknowledged;

        Heartbeat(long sentNanos) {
            this.sentNanos = sentNanos;
        }
    }

    private final String topic;
    private final long timeoutNanos;
    private final Session session;
    private final LongSupplier nanoClock;
    private final IngestMetrics metrics;

    private volatile long lastDeliveryNanos;
    private volatile Heartbeat outstanding;
    private volatile boolean refused;
    private volatile String stall;

    DeliveryWatchdog(
            String clientId,
            Duration timeout,
            Session session,
            IngestMetrics metrics,
            LongSupplier nanoClock) {
        this.topic = topic(clientId);
        this.timeoutNanos = timeout.toNanos();
        this.session = session;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
        this.lastDeliveryNanos = nanoClock.getAsLong();
    }

    /** The heartbeat topic of the bridge with this client id. */
    static String topic(String clientId) {
        return TOPIC_PREFIX + clientId;
    }

    /** Whether {@code topic} is a heartbeat's (any bridge's); those carry no reading. */
    static boolean isHeartbeat(String topic) {
        return topic.startsWith(TOPIC_PREFIX);
    }

    /**
     * Whether a message is a bridge's heartbeat: its topic and exactly the payload {@link #send}
     * writes for it. Anything else on a heartbeat topic (a device publishing there) goes through
     * validation and is dead-lettered like any message, not dropped.
     */
    static boolean isHeartbeat(String topic, byte[] payload) {
        return isHeartbeat(topic)
                && Arrays.equals(payload, payload(topic.substring(TOPIC_PREFIX.length())));
    }

    private static byte[] payload(String clientId) {
        return ("{\"heartbeat\":\"" + clientId + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A message reached the bridge: the session delivers. Called for every message. */
    void delivered() {
        lastDeliveryNanos = nanoClock.getAsLong();
        stall = null;
    }

    /**
     * What is wrong with the session, or null: set from a stall until the next delivery, so that
     * {@code /health} says why the bridge is reconnecting.
     */
    String stall() {
        return stall;
    }

    /** One round: declare a stall, or wait for the outstanding heartbeat, or send the next one. */
    void check() {
        if (refused) {
            return;
        }
        if (!session.ready()) {
            outstanding = null; // its answer, if any, belonged to a connection that is gone
            return;
        }
        long now = nanoClock.getAsLong();
        Heartbeat heartbeat = outstanding;
        if (heartbeat != null) {
            boolean deliveredSince = lastDeliveryNanos - heartbeat.sentNanos > 0;
            boolean overdue = now - heartbeat.sentNanos > timeoutNanos;
            if (deliveredSince) {
                outstanding = null;
            } else if (!overdue) {
                return;
            } else if (heartbeat.acknowledged && !session.windowFull()) {
                declareStall(now - heartbeat.sentNanos);
                return;
            } else {
                // Not acknowledged by the broker in time (a busy or dying broker: keep-alive and
                // reconnection handle a dead one), or the bridge's own window is full of readings
                // waiting for Kafka: nothing to say about the broker's delivery. Send afresh.
                outstanding = null;
            }
        }
        send(now);
    }

    private void send(long now) {
        Heartbeat heartbeat = new Heartbeat(now);
        outstanding = heartbeat;
        byte[] payload = payload(topic.substring(TOPIC_PREFIX.length()));
        session.publish(
                topic,
                payload,
                reasonCode -> {
                    if (reasonCode >= FIRST_FAILURE_CODE) {
                        refused = true;
                        outstanding = null;
                        LOG.warn(
                                "The MQTT broker refuses the bridge's heartbeats on {} (reason code"
                                        + " 0x{}); the check that the broker still delivers is"
                                        + " off. Give the bridge's user write access to {}#",
                                topic,
                                Integer.toHexString(reasonCode),
                                TOPIC_PREFIX);
                    } else if (reasonCode >= 0) {
                        heartbeat.acknowledged = true;
                    }
                });
    }

    private void declareStall(long silentNanos) {
        outstanding = null;
        long seconds = TimeUnit.NANOSECONDS.toSeconds(silentNanos);
        stall =
                "the broker acknowledged a heartbeat but delivered nothing for "
                        + seconds
                        + " s; reconnecting";
        metrics.deliveryStalled();
        LOG.warn(
                "The MQTT broker delivered nothing to the bridge for {} s, not even its"
                        + " acknowledged heartbeat on {}, although connection and subscription"
                        + " are up; reconnecting so it hands the session's messages out again",
                seconds,
                topic);
        session.reconnect();
    }
}
