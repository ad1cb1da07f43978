package org.smartcity.jobs;

import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for a class that has one serializer of its own (a stateless singleton), so
 * that records and state of that class never fall back to Flink's reflective serializers or Kryo.
 * The class points here through a {@link org.apache.flink.api.common.typeinfo.TypeInfo} factory, or
 * a job passes it where Flink asks for type information.
 *
 * @param <T> the class
 */
public final class SerializerTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> typeClass;
    private final TypeSerializer<T> serializer;

    /**
     * @param typeClass the class
     * @param serializer its serializer, used for every configuration (it must be stateless)
     */
    public SerializerTypeInfo(Class<T> typeClass, TypeSerializer<T> serializer) {
        this.typeClass = Objects.requireNonNull(typeClass, "typeClass");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return typeClass;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer;
    }

    @Override
    public String toString() {
        return typeClass.getSimpleName();
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof SerializerTypeInfo<?> other && other.typeClass.equals(typeClass);
    }

    @Override
    public int hashCode() {
        return typeClass.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof SerializerTypeInfo;
    }
}
