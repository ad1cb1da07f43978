package org.smartcity.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.Rejection;
import org.smartcity.core.RejectionReason;
import org.smartcity.core.SensorTopic;
import org.smartcity.core.config.Secrets;
import org.smartcity.core.http.Health;
import org.smartcity.core.validation.ReadingValidator;
import org.smartcity.core.validation.Verdict;

/**
 * The MQTT to Kafka bridge: validates each message from the shared subscription, writes valid
 * readings to the readings topic and rejections to the dead-letter topic, and acknowledges the MQTT
 * message only after Kafka acknowledged all of its records.
 *
 * <p>Why nothing is lost or duplicated:
 *
 * <ul>
 *   <li>A message is acknowledged (PUBACK) only when Kafka has it, so a crash or a Kafka outage
 *       leaves it with the broker, which redelivers it (persistent session, manual acks).
 *   <li>The producer is idempotent with {@code acks=all}, so its own retries never duplicate.
 *   <li>A redelivered message may already be in Kafka if the previous holder crashed between
 *       Kafka's acknowledgement and its own. Messages with the DUP flag, and the first
 *       receive-maximum messages after each connect (brokers may redeliver a dead session's
 *       messages without the flag), are looked up in Kafka first ({@link WrittenRecords}) and only
 *       the missing ones are written.
 *   <li>No single message can stop ingestion: an oversized payload is dead-lettered with a bounded
 *       prefix of its bytes, and a record Kafka refuses for good (too large for it, invalid) is
 *       replaced by an UNDELIVERABLE dead letter; if even that is refused, the message is counted
 *       ({@code ingest.deadletters.dropped}) and acknowledged, never redelivered forever.
 * </ul>
 *
 * <p>Paho's callback thread only validates and hands records to the producer; lookups run on their
 * own thread and reconnection on another, so the callback thread never waits on I/O.
 */
public final class MqttKafkaBridge implements MqttCallback, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttKafkaBridge.class);

    private final IngestConfig config;
    private final MqttAsyncClient mqtt;
    private final Producer<byte[], byte[]> producer;
    private final ReadingValidator validator;
    private final WrittenRecords written;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final InFlightAcks acks;
    private final SequenceTracker sequences;
    private final LinkedBlockingQueue<Redelivery> redeliveries = new LinkedBlockingQueue<>();
    private final Thread redeliveryWorker;
    private final ExecutorService control =
            Executors.newSingleThreadExecutor(r -> new Thread(r, "ingest-control"));

    /**
     * Writes the dead letters that replace refused records: a producer callback runs on Kafka's I/O
     * thread, where a send that waits for buffer space could wait forever.
     */
    private final ExecutorService refusals =
            Executors.newSingleThreadExecutor(r -> new Thread(r, "ingest-refused-records"));

    /** Runs the {@link DeliveryWatchdog}; null when heartbeats are off. */
    private final ScheduledExecutorService watchdogTimer;

    private final DeliveryWatchdog watchdog;

    private final AtomicBoolean recovering = new AtomicBoolean();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final CompletableFuture<Void> firstSubscription = new CompletableFuture<>();

    /**
     * Messages still to be looked up in Kafka after a (re)connect, whatever their DUP flag: when a
     * session dies, HiveMQ hands its unacknowledged shared-subscription messages out again as new
     * deliveries (DUP unset), and they come first. A session never holds more than the receive
     * maximum.
     */
    private final AtomicInteger suspectAfterConnect = new AtomicInteger();

    /** Seconds a heartbeat may wait in the broker before it expires. */
    private static final long HEARTBEAT_EXPIRY_SECONDS = 60;

    private volatile boolean closing;

    /** A redelivered message whose records are to be looked up before writing. */
    private record Redelivery(InFlightAcks.Delivery delivery, List<Outgoing> records) {}

    /**
     * A record to write, what to count once Kafka has it, and where it came from (for the
     * UNDELIVERABLE dead letter that replaces it if Kafka refuses it for good).
     */
    private record Outgoing(
            ProducerRecord<byte[], byte[]> record,
            Runnable onWritten,
            String mqttTopic,
            int elementIndex) {}

    /**
     * Creates a bridge; {@link #start()} connects it.
     *
     * @param mqtt a client not yet connected; the bridge sets its callback and manual acks
     * @param producer an idempotent producer, from {@link IngestConfig#producerProperties()}
     * @param written looks up records of redelivered messages
     */
    public MqttKafkaBridge(
            IngestConfig config,
            MqttAsyncClient mqtt,
            Producer<byte[], byte[]> producer,
            WrittenRecords written,
            IngestMetrics metrics,
            Clock clock) {
        this(config, mqtt, producer, written, metrics, clock, mqtt::messageArrivedComplete);
    }

    /** As the public constructor, with the MQTT acknowledgement replaceable for unit tests. */
    MqttKafkaBridge(
            IngestConfig config,
            MqttAsyncClient mqtt,
            Producer<byte[], byte[]> producer,
            WrittenRecords written,
            IngestMetrics metrics,
            Clock clock,
            InFlightAcks.Acknowledger acknowledger) {
        this.config = config;
        this.mqtt = mqtt;
        this.producer = producer;
        this.written = written;
        this.metrics = metrics;
        this.clock = clock;
        this.validator = new ReadingValidator(config.validation(), clock);
        this.acks = new InFlightAcks(acknowledger);
        this.sequences = new SequenceTracker(metrics);
        metrics.inFlightFrom(acks::size);
        this.redeliveryWorker = new Thread(this::checkRedeliveries, "ingest-redelivery-check");
        this.redeliveryWorker.setDaemon(true);
        this.watchdog =
                new DeliveryWatchdog(
                        config.mqttClientId(),
                        config.stallTimeout(),
                        new WatchedSession(),
                        metrics,
                        System::nanoTime);
        this.watchdogTimer =
                config.heartbeatInterval().isZero()
                        ? null
                        : Executors.newSingleThreadScheduledExecutor(
                                r -> {
                                    Thread t = new Thread(r, "ingest-delivery-watchdog");
                                    t.setDaemon(true);
                                    return t;
                                });
        mqtt.setCallback(this);
        mqtt.setManualAcks(true);
    }

    /**
     * Connects to the broker, retrying until it answers; returns once the first attempt is made.
     */
    public void start() {
        startRedeliveryCheck();
        control.execute(this::connectUntilUp);
        if (watchdogTimer != null) {
            long every = config.heartbeatInterval().toMillis();
            watchdogTimer.scheduleWithFixedDelay(
                    this::checkDelivery, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Waits until the bridge has subscribed for the first time.
     *
     * @throws TimeoutException when it has not within {@code timeout}
     */
    public void awaitSubscribed(Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        firstSubscription.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts the thread that looks up redelivered messages; {@link #start()} calls it. */
    void startRedeliveryCheck() {
        redeliveryWorker.start();
    }

    /**
     * Whether the bridge is connected and subscribed to MQTT and not recovering from a Kafka
     * failure.
     */
    public boolean isHealthy() {
        return health().up();
    }

    /** The bridge's dependencies as {@code /health} reports them. */
    public Health health() {
        String stall = watchdog.stall();
        return Health.of(
                Health.Dependency.of(
                        "mqtt",
                        mqtt.isConnected() && subscribed.get() && stall == null,
                        stall != null
                                ? stall
                                : mqtt.isConnected()
                                        ? "connected, not yet subscribed to "
                                                + config.subscription()
                                        : "not connected to " + Secrets.mask(config.mqttUrl())),
                Health.Dependency.of(
                        "kafka", !recovering.get(), "Kafka did not accept records; retrying"));
    }

    // ---- MQTT callbacks (Paho's callback thread) ----

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        watchdog.delivered();
        if (DeliveryWatchdog.isHeartbeat(topic, message.getPayload())) {
            // Proof that the session delivers, nothing to write; acknowledged in arrival order.
            metrics.heartbeatReceived();
            InFlightAcks.Delivery heartbeat = acks.register(message.getId(), message.getQos(), 1);
            acknowledge(heartbeat);
            return;
        }
        metrics.received();
        boolean possiblyRedelivered =
                message.isDuplicate()
                        || suspectAfterConnect.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        byte[] payload = message.getPayload();
        List<Verdict> verdicts = validator.validate(topic, payload);
        List<Outgoing> records = new ArrayList<>(verdicts.size());
        long now = clock.millis();
        for (Verdict v : verdicts) {
            records.add(toRecord(v, topic, now, possiblyRedelivered));
        }
        InFlightAcks.Delivery delivery =
                acks.register(message.getId(), message.getQos(), records.size());
        if (possiblyRedelivered) {
            redeliveries.add(new Redelivery(delivery, records));
        } else {
            for (Outgoing r : records) {
                send(r, delivery);
            }
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        metrics.connected(true);
        LOG.info("{} to MQTT broker {}", reconnect ? "Reconnected" : "Connected", serverUri);
        subscribe();
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        metrics.connected(false);
        subscribed.set(false);
        // Unacknowledged messages will be redelivered on the next connection: forget them here.
        acks.reset();
        suspectAfterConnect.set(config.receiveMaximum());
        if (!closing) {
            LOG.warn(
                    "Lost the MQTT connection ({}); reconnecting",
                    response.getException() != null
                            ? response.getException().getMessage()
                            : response.getReasonString());
        }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warn("MQTT error: {}", exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // The bridge publishes nothing.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication.
    }

    // ---- Kafka side ----

    private Outgoing toRecord(
            Verdict verdict, String topic, long now, boolean possiblyRedelivered) {
        if (verdict instanceof Verdict.Accepted accepted) {
            Reading r = accepted.reading();
            if (r.seq() != null) {
                sequences.observe(r.sensorId(), r.seq(), possiblyRedelivered);
            }
            return new Outgoing(
                    new ProducerRecord<>(
                            config.kafka().readingsTopic(),
                            null,
                            now,
                            r.sensorId().getBytes(StandardCharsets.UTF_8),
                            ReadingJson.encode(r)),
                    () -> metrics.accepted(r.metric()),
                    topic,
                    -1);
        }
        Verdict.Rejected rejected = (Verdict.Rejected) verdict;
        SensorTopic address = SensorTopic.parse(topic);
        byte[] key = address == null ? null : address.sensorId().getBytes(StandardCharsets.UTF_8);
        RejectionReason reason = rejected.rejection().reason();
        return new Outgoing(
                deadLetter(
                        key,
                        rejected.original(),
                        // Kafka could not take the whole of an oversized payload.
                        reason == RejectionReason.OVERSIZED,
                        new Rejection(reason, rejected.rejection().detail()),
                        topic,
                        rejected.elementIndex(),
                        now),
                () -> metrics.rejected(reason),
                topic,
                rejected.elementIndex());
    }

    /**
     * A dead-letter record: the original bytes (or, when {@code truncate}, their first {@link
     * KafkaTopics#ORIGINAL_PREFIX_BYTES} with their size and SHA-256 in headers) and what went
     * wrong in headers.
     */
    private ProducerRecord<byte[], byte[]> deadLetter(
            byte[] key,
            byte[] original,
            boolean truncate,
            Rejection rejection,
            String mqttTopic,
            int elementIndex,
            long receivedAt) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(header(KafkaTopics.HEADER_REASON, rejection.reason().name()));
        headers.add(header(KafkaTopics.HEADER_DETAIL, rejection.detail()));
        headers.add(header(KafkaTopics.HEADER_MQTT_TOPIC, mqttTopic));
        headers.add(header(KafkaTopics.HEADER_ELEMENT_INDEX, Integer.toString(elementIndex)));
        headers.add(
                header(
                        KafkaTopics.HEADER_RECEIVED_AT,
                        Instant.ofEpochMilli(receivedAt).toString()));
        byte[] value = original;
        if (truncate) {
            headers.add(
                    header(KafkaTopics.HEADER_ORIGINAL_SIZE, Integer.toString(original.length)));
            headers.add(header(KafkaTopics.HEADER_ORIGINAL_SHA256, sha256(original)));
            value =
                    Arrays.copyOf(
                            original, Math.min(original.length, KafkaTopics.ORIGINAL_PREFIX_BYTES));
        }
        return new ProducerRecord<>(
                config.kafka().rejectedTopic(), null, receivedAt, key, value, headers);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static RecordHeader header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private void send(Outgoing out, InFlightAcks.Delivery delivery) {
        write(
                out.record(),
                delivery,
                () -> {
                    out.onWritten().run();
                    metrics.kafkaAcknowledged(delivery.arrivalNanos());
                    acknowledge(delivery);
                },
                refusal -> {
                    try {
                        refusals.execute(() -> sendUndeliverable(out, delivery, refusal));
                    } catch (RejectedExecutionException e) {
                        // Closing: the message stays unacknowledged and is redelivered.
                        LOG.debug("Refused record left to redelivery: closing");
                    }
                });
    }

    /**
     * Writes one record: {@code onWritten} once Kafka has it; {@code onRefused} when Kafka refuses
     * this record for good (retrying it would fail again); anything else (timeouts, Kafka
     * unreachable) leaves the message unacknowledged and has the broker redeliver it.
     */
    private void write(
            ProducerRecord<byte[], byte[]> record,
            InFlightAcks.Delivery delivery,
            Runnable onWritten,
            Consumer<Exception> onRefused) {
        Callback callback =
                (metadata, error) -> {
                    if (error == null) {
                        onWritten.run();
                    } else if (refusedForGood(error)) {
                        onRefused.accept(error);
                    } else {
                        kafkaFailed(delivery, error);
                    }
                };
        try {
            producer.send(record, callback);
        } catch (RuntimeException e) {
            // send() itself failed: a serializer, the buffer full for max.block.ms, a closed
            // producer.
            callback.onCompletion(null, e);
        }
    }

    /**
     * Whether Kafka refused this record because of the record itself, so that sending it again can
     * never succeed. Timeouts and unreachable brokers are not: they pass.
     */
    static boolean refusedForGood(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException
                    || t instanceof RecordBatchTooLargeException
                    || t instanceof InvalidRecordException
                    || t instanceof InvalidTimestampException
                    || t instanceof SerializationException) {
                return true;
            }
        }
        return false;
    }

    /** Replaces a record Kafka refused for good by an UNDELIVERABLE dead letter. */
    private void sendUndeliverable(
            Outgoing refused, InFlightAcks.Delivery delivery, Exception refusal) {
        ProducerRecord<byte[], byte[]> original = refused.record();
        String detail =
                "Kafka refused the record for "
                        + original.topic()
                        + " for good ("
                        + refusal.getClass().getSimpleName()
                        + ": "
                        + refusal.getMessage()
                        + ")";
        ProducerRecord<byte[], byte[]> undeliverable =
                deadLetter(
                        original.key(),
                        original.value() == null ? new byte[0] : original.value(),
                        true,
                        new Rejection(RejectionReason.UNDELIVERABLE, detail),
                        refused.mqttTopic(),
                        refused.elementIndex(),
                        original.timestamp() == null ? clock.millis() : original.timestamp());
        write(
                undeliverable,
                delivery,
                () -> {
                    metrics.rejected(RejectionReason.UNDELIVERABLE);
                    metrics.kafkaAcknowledged(delivery.arrivalNanos());
                    acknowledge(delivery);
                },
                again -> {
                    // Nothing left to write: count it, say so once, and let the message go
                    // rather than have it redelivered forever.
                    metrics.deadLetterDropped();
                    LOG.error(
                            "Kafka refused a record from MQTT topic {} ({}) and then its"
                                    + " UNDELIVERABLE dead letter ({}); the message is"
                                    + " acknowledged without any record",
                            refused.mqttTopic(),
                            detail,
                            again.getMessage());
                    acknowledge(delivery);
                });
    }

    private void acknowledge(InFlightAcks.Delivery delivery) {
        try {
            acks.recordDone(delivery);
        } catch (Exception e) {
            // The connection dropped: the broker redelivers the message, and the lookup of
            // redelivered messages keeps it from being written twice.
            LOG.debug("MQTT acknowledgement not sent: {}", e.getMessage());
        }
    }

    private void kafkaFailed(InFlightAcks.Delivery delivery, Exception error) {
        metrics.kafkaError();
        acks.recordFailed(delivery);
        if (!closing && recovering.compareAndSet(false, true)) {
            LOG.error(
                    "Kafka did not accept a record ({}); reconnecting to MQTT so the broker"
                            + " redelivers every unacknowledged reading",
                    error.getMessage());
            control.execute(this::recover);
        }
    }

    // ---- redelivered messages ----

    private void checkRedeliveries() {
        while (!Thread.currentThread().isInterrupted()) {
            List<Redelivery> batch = new ArrayList<>();
            try {
                batch.add(redeliveries.take());
                redeliveries.drainTo(batch);
                List<ProducerRecord<byte[], byte[]>> candidates = new ArrayList<>();
                batch.forEach(r -> r.records().forEach(o -> candidates.add(o.record())));
                Set<WrittenRecords.Identity> present = written.findWritten(candidates);
                int suppressed = 0;
                for (Redelivery r : batch) {
                    for (Outgoing out : r.records()) {
                        if (present.contains(WrittenRecords.Identity.of(out.record()))) {
                            suppressed++;
                            acknowledge(r.delivery());
                        } else {
                            send(out, r.delivery());
                        }
                    }
                }
                metrics.redeliveryChecked(candidates.size(), suppressed);
                if (suppressed > 0) {
                    LOG.info(
                            "{} of {} redelivered records were already in Kafka and were not"
                                    + " written again",
                            suppressed,
                            candidates.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // Kafka unreachable for the lookup: leave the messages unacknowledged, reconnect
                // later and have them redelivered again.
                LOG.warn("Could not look up redelivered records in Kafka: {}", e.getMessage());
                batch.forEach(r -> kafkaFailed(r.delivery(), e));
            }
        }
    }

    // ---- connection management (control thread) ----

    private void connectUntilUp() {
        long delayMillis = 500;
        while (!closing) {
            try {
                suspectAfterConnect.set(config.receiveMaximum());
                IMqttToken connected = mqtt.connect(config.connectionOptions());
                connected.waitForCompletion();
                if (!connected.getSessionPresent()) {
                    // A new session holds nothing of a previous holder's.
                    suspectAfterConnect.set(0);
                }
                return;
            } catch (MqttException e) {
                LOG.warn(
                        "MQTT broker {} not reachable ({}); retrying in {} ms",
                        Secrets.mask(config.mqttUrl()),
                        e.getMessage(),
                        delayMillis);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            delayMillis = Math.min(delayMillis * 2, 10_000);
        }
    }

    private void subscribe() {
        try {
            mqtt.subscribe(
                    new MqttSubscription[] {new MqttSubscription(config.subscription(), 1)},
                    null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            LOG.info("Subscribed to {}", config.subscription());
                            dropLegacySubscription(
                                    () -> {
                                        subscribed.set(true);
                                        firstSubscription.complete(null);
                                    });
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable e) {
                            LOG.error(
                                    "Subscription to {} refused: {}",
                                    config.subscription(),
                                    e.getMessage());
                        }
                    },
                    new MqttProperties());
        } catch (MqttException e) {
            LOG.error("Cannot subscribe to {}: {}", config.subscription(), e.getMessage());
        }
    }

    /**
     * Removes the subscription of an older bridge from a resumed session, after the new one is in
     * place (a reading matching both in between is written twice rather than lost), then runs
     * {@code then}: the bridge counts as subscribed once its subscriptions are final.
     */
    private void dropLegacySubscription(Runnable then) {
        String legacy = config.legacySubscription();
        if (legacy == null) {
            then.run();
            return;
        }
        try {
            mqtt.unsubscribe(
                    new String[] {legacy},
                    null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            then.run();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable e) {
                            LOG.warn(
                                    "Cannot drop the former subscription {}: {}",
                                    legacy,
                                    e.getMessage());
                            then.run();
                        }
                    },
                    new MqttProperties());
        } catch (MqttException e) {
            LOG.warn("Cannot drop the former subscription {}: {}", legacy, e.getMessage());
            then.run();
        }
    }

    /**
     * Drops the connection and forgets the unacknowledged messages, which the broker redelivers on
     * the next connection.
     */
    private void disconnectForRedelivery() {
        try {
            if (mqtt.isConnected()) {
                mqtt.disconnect().waitForCompletion();
            }
        } catch (MqttException e) {
            LOG.debug("Disconnect before reconnecting: {}", e.getMessage());
        }
        acks.reset();
        subscribed.set(false);
    }

    private void recover() {
        disconnectForRedelivery();
        // Wait until Kafka answers again before taking readings back.
        while (!closing) {
            try {
                producer.partitionsFor(config.kafka().readingsTopic());
                break;
            } catch (RuntimeException e) {
                LOG.warn("Kafka still unavailable: {}", e.getMessage());
            }
        }
        recovering.set(false);
        connectUntilUp();
    }

    // ---- delivery watchdog (its timer thread) ----

    private void checkDelivery() {
        try {
            watchdog.check();
        } catch (RuntimeException e) {
            // A failed round must not end the schedule.
            LOG.warn("Delivery check failed: {}", e.toString());
        }
    }

    /** An MQTT 5 failure reason code from the broker (Paho's own codes are 32000 and up). */
    private static boolean isProtocolFailure(int reasonCode) {
        return reasonCode >= 0x80 && reasonCode <= 0xFF;
    }

    /** The bridge's MQTT session as the watchdog sees it. */
    private final class WatchedSession implements DeliveryWatchdog.Session {
        @Override
        public boolean ready() {
            return !closing && !recovering.get() && subscribed.get() && mqtt.isConnected();
        }

        @Override
        public boolean windowFull() {
            return acks.size() >= config.receiveMaximum();
        }

        @Override
        public void publish(
                String topic, byte[] payload, DeliveryWatchdog.ReasonCodeListener answered) {
            MqttProperties properties = new MqttProperties();
            // A heartbeat is worth nothing later: let the broker drop it rather than queue it.
            properties.setMessageExpiryInterval(HEARTBEAT_EXPIRY_SECONDS);
            try {
                mqtt.publish(
                        topic,
                        new MqttMessage(payload, 1, false, properties),
                        null,
                        new MqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                int[] codes = token.getReasonCodes();
                                answered.answered(
                                        codes == null || codes.length == 0 ? 0 : codes[0]);
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable e) {
                                answered.answered(
                                        e instanceof MqttException m
                                                        && isProtocolFailure(m.getReasonCode())
                                                ? m.getReasonCode()
                                                : -1);
                            }
                        });
            } catch (MqttException e) {
                LOG.debug("Heartbeat not sent: {}", e.getMessage());
                answered.answered(-1);
            }
        }

        @Override
        public void reconnect() {
            try {
                control.execute(
                        () -> {
                            disconnectForRedelivery();
                            connectUntilUp();
                        });
            } catch (RejectedExecutionException e) {
                LOG.debug("Not reconnecting: closing");
            }
        }
    }

    /**
     * Stops taking messages, waits briefly for those in flight to reach Kafka and be acknowledged,
     * then disconnects; whatever is still unacknowledged is redelivered to the next instance.
     */
    @Override
    public void close() {
        closing = true;
        try {
            if (mqtt.isConnected()) {
                mqtt.unsubscribe(config.subscription()).waitForCompletion(5_000);
                producer.flush();
                acks.awaitEmpty(Duration.ofSeconds(5));
                mqtt.disconnect().waitForCompletion(5_000);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT disconnect: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            control.shutdownNow();
            refusals.shutdownNow();
            if (watchdogTimer != null) {
                watchdogTimer.shutdownNow();
            }
            redeliveryWorker.interrupt();
            try {
                mqtt.close(true);
            } catch (MqttException e) {
                LOG.debug("MQTT close: {}", e.getMessage());
            }
            written.close();
        }
    }
}
