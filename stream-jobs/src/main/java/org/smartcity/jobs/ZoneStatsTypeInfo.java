package org.smartcity.jobs;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for {@link ZoneStats}: tells Flink to use {@link ZoneStatsSerializer}, so
 * the accumulator (and any record field of this type) never falls back to Kryo. {@link ZoneStats}
 * points here through {@link org.apache.flink.api.common.typeinfo.TypeInfo}.
 */
public final class ZoneStatsTypeInfo extends TypeInformation<ZoneStats> {
    private static final long serialVersionUID = 1L;

    public static final ZoneStatsTypeInfo INSTANCE = new ZoneStatsTypeInfo();

    private ZoneStatsTypeInfo() {}

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
    public Class<ZoneStats> getTypeClass() {
        return ZoneStats.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<ZoneStats> createSerializer(SerializerConfig config) {
        return ZoneStatsSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "ZoneStats";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ZoneStatsTypeInfo;
    }

    @Override
    public int hashCode() {
        return "ZoneStats".hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof ZoneStatsTypeInfo;
    }

    /** Found by Flink's type extractor through the annotation on {@link ZoneStats}. */
    public static final class Factory extends TypeInfoFactory<ZoneStats> {
        @Override
        public TypeInformation<ZoneStats> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
