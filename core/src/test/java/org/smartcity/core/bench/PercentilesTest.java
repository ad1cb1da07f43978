package org.smartcity.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void rankIsTheCeilingOfTheShareKeptWithinTheSamples() {
        assertThat(Percentiles.rank(100, 50)).isEqualTo(50);
        assertThat(Percentiles.rank(100, 99)).isEqualTo(99);
        assertThat(Percentiles.rank(10, 99)).isEqualTo(10); // ceil(9.9)
        assertThat(Percentiles.rank(3, 50)).isEqualTo(2); // ceil(1.5)
        assertThat(Percentiles.rank(1, 0.1)).isEqualTo(1);
        assertThat(Percentiles.rank(5, 0)).isEqualTo(1);
        assertThat(Percentiles.rank(5, 150)).isEqualTo(5);
        assertThatThrownBy(() -> Percentiles.rank(0, 50))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nearestRankPicksAMeasuredValueOfTheUnsortedSamples() {
        List<Long> samples = List.of(40L, 10L, 30L, 20L);
        assertThat(Percentiles.nearestRank(samples, 50)).isEqualTo(20L);
        assertThat(Percentiles.nearestRank(samples, 75)).isEqualTo(30L);
        assertThat(Percentiles.nearestRank(samples, 99)).isEqualTo(40L);
        assertThat(Percentiles.nearestRank(List.of(2.5, 1.5), 50)).isEqualTo(1.5);
        assertThat(samples).containsExactly(40L, 10L, 30L, 20L);
        assertThat(Percentiles.nearestRank(List.<Integer>of(), 50)).isNull();
    }
}
