package org.smartcity.ingest;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.http.Health;
import org.smartcity.core.http.HealthProbe;
import org.smartcity.core.http.HttpService;
import org.smartcity.core.http.KafkaHealth;
import org.smartcity.core.http.ServiceMeters;

/**
 * One running bridge with everything it needs: the Kafka producer, the Paho client, the topics, the
 * meters and (unless its port is 0) the HTTP endpoints. Used by {@link IngestMain} and by the local
 * platform, which runs the bridge in its own process.
 */
public final class IngestService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    /** How long one Kafka probe may take at most. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ServiceMeters serviceMeters = new ServiceMeters();
    private final Producer<byte[], byte[]> producer;
    private final MqttKafkaBridge bridge;
    private final HttpService http;
    private final HealthProbe kafkaHealth;

    private IngestService(IngestConfig config) throws MqttException, InterruptedException {
        if (config.createTopics()) {
            KafkaTopicSetup.ensureTopics(
                    config.adminProperties(),
                    List.of(config.kafka().readingsTopic(), config.kafka().rejectedTopic()),
                    config.topicPartitions());
        }
        IngestMetrics metrics = new IngestMetrics();
        metrics.bindTo(registry);
        serviceMeters.bindTo(registry);
        producer = new KafkaProducer<>(config.producerProperties());
        serviceMeters.bindKafkaClient(producer);
        // An answer slower than the interval is as bad as none for a readiness probe.
        Duration interval = config.kafkaHealthInterval();
        kafkaHealth =
                KafkaHealth.probe(
                        config.adminProperties(),
                        interval,
                        interval.compareTo(PROBE_TIMEOUT) < 0 ? interval : PROBE_TIMEOUT);
        // The broker keeps the session; the client needs no persistence of its own for
        // inbound QoS 1, which is all it handles.
        MqttAsyncClient mqtt =
                new MqttAsyncClient(
                        config.mqttUrl(), config.mqttClientId(), new MemoryPersistence());
        bridge =
                new MqttKafkaBridge(
                        config,
                        mqtt,
                        producer,
                        new KafkaWrittenRecords(
                                () -> new KafkaConsumer<>(config.lookupConsumerProperties()),
                                config.redeliveryLookback(),
                                Clock.systemUTC()),
                        metrics,
                        Clock.systemUTC());
        http =
                config.httpPort() == 0
                        ? null
                        : HttpService.startOperational(
                                config.httpBind(),
                                config.httpPort(),
                                registry::scrape,
                                this::health);
        bridge.start();
        LOG.info(
                "Bridge {} started: {} -> Kafka {}{}",
                config.mqttClientId(),
                config.subscription(),
                config.kafkaBootstrap(),
                http == null
                        ? ""
                        : ", metrics on http://"
                                + config.httpBind()
                                + ":"
                                + http.port()
                                + "/metrics");
    }

    /**
     * Starts a bridge: creates missing topics, then connects (retrying while the MQTT broker is
     * unreachable).
     */
    public static IngestService start(IngestConfig config) throws Exception {
        return new IngestService(config);
    }

    /** Waits until the bridge has subscribed, i.e. readings published from now on are taken. */
    public void awaitSubscribed(Duration timeout) throws Exception {
        try {
            bridge.awaitSubscribed(timeout);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "the bridge did not subscribe within " + timeout + "; is the MQTT broker up?");
        }
    }

    public boolean isHealthy() {
        return health().up();
    }

    /**
     * What {@code /health} reports: the bridge's view (MQTT connected and subscribed, Kafka taking
     * records), with Kafka also down whenever the periodic probe finds it unreachable.
     */
    public Health health() {
        Health.Dependency probed = kafkaHealth.dependency();
        return new Health(
                bridge.health().dependencies().stream()
                        .map(d -> d.name().equals(KafkaHealth.NAME) && d.up() ? probed : d)
                        .toList());
    }

    /** The meters, in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        bridge.close();
        kafkaHealth.close();
        // Bounded: if Kafka is already gone, unsent records stay unacknowledged in MQTT.
        producer.close(Duration.ofSeconds(5));
        if (http != null) {
            http.close();
        }
        serviceMeters.close();
        registry.close();
    }
}
