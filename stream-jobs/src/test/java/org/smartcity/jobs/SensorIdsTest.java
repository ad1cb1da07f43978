package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SensorIdsTest {
    @Test
    void aMillionDistinctIdsOfACitysShapesHaveDistinctHashes() {
        LongOpenHashSet hashes = new LongOpenHashSet();
        Set<String> ids = new HashSet<>();
        String[] metrics = {"pm25", "pm10", "no2", "o3", "noise", "traffic", "water", "temp", "rh"};
        for (int i = 0; i < 111_112; i++) {
            for (String m : metrics) {
                // Ids that differ in one character or only in their length, as numbered ones do.
                String id = "km-" + m + "-" + i;
                ids.add(id);
                hashes.add(SensorIds.hash(id));
            }
        }
        assertThat(ids).hasSize(1_000_008);
        assertThat(hashes).hasSize(ids.size());
    }

    @Test
    void theSameIdHasTheSameHashAndCaseAndScriptCount() {
        assertThat(SensorIds.hash(new String("km-pm25-7".toCharArray())))
                .isEqualTo(SensorIds.hash("km-pm25-7"));
        assertThat(
                        Set.of(
                                SensorIds.hash("km-pm25-7"),
                                SensorIds.hash("KM-PM25-7"),
                                SensorIds.hash("昆明-pm25-7"),
                                SensorIds.hash(""),
                                SensorIds.hash(" ")))
                .hasSize(5);
    }
}
