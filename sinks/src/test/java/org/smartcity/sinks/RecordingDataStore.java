package org.smartcity.sinks;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.FeatureWriter;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.data.memory.MemoryDataStore;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.StoredAggregate;

/**
 * A GeoTools in-memory store (which overwrites by id) that records every feature written through an
 * append writer, and can be told to fail: the sink writer's unit tests use it in place of a GeoMesa
 * store.
 */
final class RecordingDataStore {

    /** A feature as the sink wrote it: its id and revision. */
    record Written(String id, int revision) {}

    private final MemoryDataStore memory = new MemoryDataStore();
    private final List<Written> written = new ArrayList<>();
    private volatile IOException failure;
    private volatile boolean disposed;
    private final DataStore proxy =
            (DataStore)
                    Proxy.newProxyInstance(
                            getClass().getClassLoader(),
                            new Class<?>[] {DataStore.class},
                            (p, m, args) -> onStore(m, args));

    RecordingDataStore(String typeName) throws IOException {
        memory.createSchema(AggregateSchema.featureType(typeName, Map.of()));
    }

    DataStore store() {
        return proxy;
    }

    /** Makes every later append writer fail with {@code e}. */
    void failWith(IOException e) {
        failure = e;
    }

    synchronized List<Written> written() {
        return List.copyOf(written);
    }

    boolean disposed() {
        return disposed;
    }

    /** What a reader of the store sees now, in id order. */
    List<StoredAggregate> contents(String typeName) throws IOException {
        List<StoredAggregate> out = new ArrayList<>();
        try (SimpleFeatureIterator it =
                memory.getFeatureSource(typeName).getFeatures().features()) {
            while (it.hasNext()) {
                out.add(StoredAggregate.fromFeature(it.next()));
            }
        }
        out.sort(java.util.Comparator.comparing(StoredAggregate::id));
        return out;
    }

    private Object onStore(Method m, Object[] args) throws Throwable {
        if (m.getName().equals("getFeatureWriterAppend")) {
            if (failure != null) {
                throw failure;
            }
            @SuppressWarnings("unchecked")
            FeatureWriter<?, SimpleFeature> writer =
                    (FeatureWriter<?, SimpleFeature>) invoke(memory, m, args);
            return recording(writer);
        }
        if (m.getName().equals("dispose")) {
            disposed = true;
        }
        return invoke(memory, m, args);
    }

    private Object recording(FeatureWriter<?, SimpleFeature> delegate) {
        SimpleFeature[] current = new SimpleFeature[1];
        return Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {FeatureWriter.class},
                (p, m, args) -> {
                    Object result = invoke(delegate, m, args);
                    if (m.getName().equals("next")) {
                        current[0] = (SimpleFeature) result;
                    } else if (m.getName().equals("write")) {
                        synchronized (this) {
                            written.add(
                                    new Written(
                                            current[0].getID(),
                                            (Integer) current[0].getAttribute("revision")));
                        }
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
