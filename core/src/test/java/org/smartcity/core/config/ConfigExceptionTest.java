package org.smartcity.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigExceptionTest {

    @Test
    void invalidValueNamesTheFlagThenTheProblem() {
        assertThat(ConfigException.invalidValue(TestOptions.WINDOW, "at least 10ms"))
                .hasMessage("Invalid value for --window-length: at least 10ms");
    }
}
