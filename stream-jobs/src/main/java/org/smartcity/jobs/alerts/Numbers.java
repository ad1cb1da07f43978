package org.smartcity.jobs.alerts;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Numbers in alert messages: at most two decimals, no trailing zeros ({@code 96.4}, {@code 75}).
 */
final class Numbers {
    private Numbers() {}

    static String format(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return BigDecimal.valueOf(v)
                .setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }
}
