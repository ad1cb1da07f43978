package org.smartcity.core.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The meters every service exposes besides its own: Micrometer's JVM binders (memory pools, garbage
 * collection, threads, class loading, CPU, uptime) and the Kafka client meters ({@code kafka.*},
 * from the clients' own metrics) of each producer and consumer the service creates.
 *
 * <p>Closing it releases what the binders hold (the GC notification listener, the Kafka meters'
 * refresh); the service closes it with its registry.
 */
public final class ServiceMeters implements MeterBinder, AutoCloseable {
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final Map<String, AutoCloseable> roles = new HashMap<>();
    private MeterRegistry registry;

    /** Binds the JVM meters to {@code registry}. */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.push(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Binds a producer's meters; they stay until the returned handle (or this) is closed, which the
     * owner does when it closes the producer.
     */
    public AutoCloseable bindKafkaClient(Producer<?, ?> producer) {
        return bind(new KafkaClientMetrics(producer));
    }

    /** Binds a consumer's meters, as {@link #bindKafkaClient(Producer)}. */
    public AutoCloseable bindKafkaClient(Consumer<?, ?> consumer) {
        return bind(new KafkaClientMetrics(consumer));
    }

    /**
     * Binds the meters of the consumer that now fills {@code role} (a consumer restarted after a
     * failure), releasing those of the one it replaces.
     */
    public void rebindKafkaClient(String role, Consumer<?, ?> consumer) {
        AutoCloseable previous;
        synchronized (this) {
            previous = roles.put(role, bindKafkaClient(consumer));
        }
        if (previous != null) {
            try {
                previous.close();
            } catch (Exception e) {
                // as in close()
            }
        }
    }

    private synchronized AutoCloseable bind(KafkaClientMetrics meters) {
        if (registry == null) {
            throw new IllegalStateException("bind the JVM meters to a registry first");
        }
        meters.bindTo(registry);
        closeables.push(meters);
        return () -> {
            synchronized (this) {
                closeables.remove(meters);
            }
            meters.close();
        };
    }

    @Override
    public synchronized void close() {
        roles.clear();
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                // closing meters cannot fail in a way anyone could act on
            }
        }
    }
}
