package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smartcity.core.WindowRevision;

class NewestEmissionsTest {
    private static final String PANLONG_1M = "pm25|district|530102|1m";
    private static final String WUHUA_1M = "pm25|district|530103|1m";

    private final NewestEmissions newest = new NewestEmissions();

    @Test
    void passesNewerWindowsAndRevisionsAndHoldsBackOlderOnesPerLiveId() {
        assertThat(newest.offer(PANLONG_1M, new WindowRevision(60_000, 1))).isTrue();
        assertThat(newest.offer(PANLONG_1M, new WindowRevision(60_000, 2))).isTrue();
        assertThat(newest.offer(PANLONG_1M, new WindowRevision(120_000, 1))).isTrue();
        // A replay: the older window's correction, then its first emission.
        assertThat(newest.offer(PANLONG_1M, new WindowRevision(60_000, 3))).isFalse();
        assertThat(newest.offer(PANLONG_1M, new WindowRevision(60_000, 1))).isFalse();
        // The same emission again carries the same values.
        assertThat(newest.offer(PANLONG_1M, new WindowRevision(120_000, 1))).isTrue();
        // Another zone has its own newest.
        assertThat(newest.offer(WUHUA_1M, new WindowRevision(60_000, 1))).isTrue();
    }
}
