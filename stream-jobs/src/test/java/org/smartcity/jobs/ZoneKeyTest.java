package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.zoning.ZoneKind;

class ZoneKeyTest {

    @Test
    void itsIdIsTheStartOfTheFeatureIdAndParsesBack() {
        ZoneKey key = new ZoneKey(Metric.WATER_LEVEL, ZoneKind.DISTRICT, "530102");

        assertThat(key.id()).isEqualTo("water_level|district|530102");
        assertThat(ZoneKey.parse(key.id())).isEqualTo(key);
    }

    @Test
    void rejectsWhatIsNotAKey() {
        assertThatThrownBy(() -> ZoneKey.parse("pm25|h3")).hasMessageContaining("not a zone key");
        assertThatThrownBy(() -> ZoneKey.parse("smog|h3|x")).hasMessageContaining("smog");
        assertThatThrownBy(() -> ZoneKey.parse("pm25|ward|x")).hasMessageContaining("ward");
    }
}
