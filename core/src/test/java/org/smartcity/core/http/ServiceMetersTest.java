package org.smartcity.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class ServiceMetersTest {

    @Test
    void bindsTheJvmMetersAndEachKafkaClientUntilItIsClosed() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ServiceMeters meters = new ServiceMeters()) {
            meters.bindTo(registry);
            assertThat(registry.find("jvm.memory.used").tag("area", "heap").gauges()).isNotEmpty();
            assertThat(registry.get("jvm.threads.live").gauge().value()).isPositive();
            assertThat(registry.find("jvm.gc.memory.allocated").counter()).isNotNull();
            assertThat(registry.get("process.uptime").timeGauge()).isNotNull();

            Properties p = new Properties();
            // Never contacted: a producer's meters exist from its creation.
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "meters-test");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                AutoCloseable bound = meters.bindKafkaClient(producer);
                assertThat(kafkaProducerMeters(registry))
                        .isNotEmpty()
                        .allMatch(m -> "meters-test".equals(m.getId().getTag("client.id")));
                bound.close();
                assertThat(kafkaProducerMeters(registry)).isEmpty();
                producer.close(Duration.ZERO);
            }
        }
    }

    private static java.util.List<Meter> kafkaProducerMeters(SimpleMeterRegistry registry) {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("kafka.producer"))
                .toList();
    }
}
