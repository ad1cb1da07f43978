package org.smartcity.jobs;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink type information for {@link ZoneStats}: tells Flink to use {@link ZoneStatsSerializer}, so
 * the accumulator (and any record field of this type) never falls back to Kryo. {@link ZoneStats}
 * points here through {@link org.apache.flink.api.common.typeinfo.TypeInfo}.
 */
public final class ZoneStatsTypeInfo {
    /** The type information of {@link ZoneStats}. */
    public static final TypeInformation<ZoneStats> INSTANCE =
            new SerializerTypeInfo<>(ZoneStats.class, ZoneStatsSerializer.INSTANCE);

    private ZoneStatsTypeInfo() {}

    /** Found by Flink's type extractor through the annotation on {@link ZoneStats}. */
    public static final class Factory extends TypeInfoFactory<ZoneStats> {
        @Override
        public TypeInformation<ZoneStats> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
