package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;

/** Every record that crosses operators is serialized by Flink's POJO serializer, never Kryo. */
class FlinkTypesTest {

    @Test
    void recordsBetweenOperatorsArePojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(Reading.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ZoneKey.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ZoneReading.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ZonePartial.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(WindowPartial.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(LateReading.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ZoneAggregate.class);
    }

    @Test
    void theAccumulatorHasItsOwnSerializer() {
        assertThat(TypeInformation.of(ZoneStats.class)).isSameAs(ZoneStatsTypeInfo.INSTANCE);
    }
}
