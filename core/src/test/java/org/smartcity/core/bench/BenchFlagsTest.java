package org.smartcity.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchFlagsTest {

    @Test
    void theValueOfAFlagIsTheNextArgument() {
        List<String> args = List.of("--quick", "--sensors", "36", "--seed", "7");
        assertThat(BenchFlags.valueOf(args, 1)).isEqualTo("36");
        assertThat(BenchFlags.valueOf(args, 3)).isEqualTo("7");
    }

    @Test
    void aBareArgumentOrAFlagAtTheEndIsRefusedByName() {
        assertThatThrownBy(() -> BenchFlags.valueOf(List.of("36"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected argument '36'");
        assertThatThrownBy(() -> BenchFlags.valueOf(List.of("--quick", "--sensors"), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--sensors needs a value");
    }

    @Test
    void numbersTakeDigitSeparatorsAndNameTheFlagWhenWrong() {
        assertThat(BenchFlags.positive("--readings", "5,000,000")).isEqualTo(5_000_000L);
        assertThat(BenchFlags.number("--seed", "1_000")).isEqualTo(1_000L);
        assertThatThrownBy(() -> BenchFlags.positive("--runs", "0"))
                .hasMessage("--runs must be at least 1, got 0");
        assertThatThrownBy(() -> BenchFlags.number("--seed", "x"))
                .hasMessage("--seed expects a whole number, got 'x'");
    }
}
