package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SpatialFieldTest {
    private final SpatialField field = new SpatialField(new Random(42), 12, 6, 30, 0.15);

    @Test
    void hasMeanZeroAndUnitVarianceOverTheCity() {
        Random at = new Random(1);
        double sum = 0;
        double squares = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double v = field.at(at.nextDouble() * 400 - 200, at.nextDouble() * 400 - 200, 0);
            sum += v;
            squares += v * v;
        }
        assertThat(sum / n).isBetween(-0.15, 0.15);
        assertThat(squares / n).isBetween(0.8, 1.2);
    }

    @Test
    void neighboursSeeNearlyTheSameValueDistantPlacesDoNot() {
        Random at = new Random(2);
        double near = 0;
        double far = 0;
        int n = 5_000;
        for (int i = 0; i < n; i++) {
            double x = at.nextDouble() * 40 - 20;
            double y = at.nextDouble() * 40 - 20;
            double v = field.at(x, y, 10);
            near += Math.abs(v - field.at(x + 0.3, y, 10));
            far += Math.abs(v - field.at(x + 80, y - 60, 10));
        }
        assertThat(near).isLessThan(0.15 * far);
    }

    @Test
    void driftsSlowlyWithTime() {
        double now = field.at(3, 4, 500_000);
        assertThat(field.at(3, 4, 500_000 + 1.0 / 60))
                .isCloseTo(now, org.assertj.core.data.Offset.offset(0.01));
        assertThat(new SpatialField(new Random(42), 12, 6, 30, 0.15).at(3, 4, 500_000))
                .isEqualTo(now);
    }
}
