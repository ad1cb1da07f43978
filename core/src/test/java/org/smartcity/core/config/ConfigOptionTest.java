package org.smartcity.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigOptionTest {
    private static final ConfigOption<Duration> WINDOW = TestOptions.WINDOW;

    @ParameterizedTest
    @CsvSource({
        "kafka.bootstrap, --kafka-bootstrap, SMARTCITY_KAFKA_BOOTSTRAP",
        "mqtt.client-id, --mqtt-client-id, SMARTCITY_MQTT_CLIENT_ID",
        "port, --port, SMARTCITY_PORT"
    })
    void derivesTheFlagAndTheEnvironmentVariableFromTheKey(
            String key, String flag, String variable) {
        ConfigOption<String> option = ConfigOption.string(key, null, "test");

        assertThat(option.flag()).isEqualTo(flag);
        assertThat(option.environmentVariable()).isEqualTo(variable);
    }

    static Stream<Arguments> durations() {
        return Stream.of(
                arguments("250ms", Duration.ofMillis(250)),
                arguments("30s", Duration.ofSeconds(30)),
                arguments("5m", Duration.ofMinutes(5)),
                arguments("1h", Duration.ofHours(1)),
                arguments("7d", Duration.ofDays(7)),
                arguments("0s", Duration.ZERO),
                arguments(" 15m ", Duration.ofMinutes(15)),
                arguments("PT5M", Duration.ofMinutes(5)),
                arguments("PT0.25S", Duration.ofMillis(250)),
                arguments("P2D", Duration.ofDays(2)));
    }

    @ParameterizedTest(name = "''{0}'' is {1}")
    @MethodSource("durations")
    void parsesDurations(String raw, Duration expected) {
        assertThat(WINDOW.parse(raw, "flag")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "5 m | expected a duration such as 250ms, 30s, 5m, 1h, 7d or PT5M",
                "five minutes | expected a duration such as 250ms, 30s, 5m, 1h, 7d or PT5M",
                "1.5s | expected a duration such as 250ms, 30s, 5m, 1h, 7d or PT5M",
                "5M | expected a duration such as 250ms, 30s, 5m, 1h, 7d or PT5M",
                "-5m | expected a duration such as 250ms, 30s, 5m, 1h, 7d or PT5M",
                "-PT5M | expected a positive duration",
                "106751991167301d | expected a shorter duration",
                "99999999999999999999ms | expected a shorter duration"
            })
    void refusesOtherDurationsSayingWhatIsExpected(String raw, String expectation) {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> WINDOW.parse(raw, "flag"))
                .withMessage(
                        "Invalid value '" + raw + "' for --window-length (flag): " + expectation);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                arguments(
                        ConfigOption.port("http.port", 8080, false, "port"),
                        "http",
                        "expected an integer"),
                arguments(
                        ConfigOption.port("http.port", 8080, false, "port"),
                        "0",
                        "expected an integer from 1 to 65535"),
                arguments(
                        ConfigOption.port("http.port", 8080, true, "port"),
                        "65536",
                        "expected an integer from 0 to 65535"),
                arguments(
                        ConfigOption.integer("http.port", 8, 1, 10, "n"),
                        "2.5",
                        "expected an integer"),
                arguments(
                        ConfigOption.decimal("http.port", 0.5, 0, 1, "fraction"),
                        "half",
                        "expected a number"),
                arguments(
                        ConfigOption.decimal("http.port", 0.5, 0, 1, "fraction"),
                        "NaN",
                        "expected a number from 0.0 to 1.0"),
                arguments(
                        ConfigOption.bool("http.port", true, "switch"),
                        "yes",
                        "expected true or false"),
                arguments(
                        ConfigOption.custom(
                                "http.port",
                                null,
                                "custom",
                                s -> {
                                    throw new IllegalArgumentException("expected an even number");
                                }),
                        "3",
                        "expected an even number"));
    }

    @ParameterizedTest(name = "''{1}''")
    @MethodSource("badValues")
    void refusesABadValueNamingTheFlagTheSourceAndTheExpectation(
            ConfigOption<?> option, String raw, String expectation) {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> option.parse(raw, "environment SMARTCITY_HTTP_PORT"))
                .withMessage(
                        "Invalid value '"
                                + raw
                                + "' for --http-port (environment SMARTCITY_HTTP_PORT): "
                                + expectation);
    }

    @Test
    void parsesGoodValuesOfEachKind() {
        assertThat(ConfigOption.port("p", 1, true, "p").parse("0", "flag")).isZero();
        assertThat(ConfigOption.integer("n", 1, 1, 10, "n").parse(" 10 ", "flag")).isEqualTo(10);
        assertThat(ConfigOption.decimal("d", 0, 0, 1, "d").parse("0.25", "flag")).isEqualTo(0.25);
        assertThat(ConfigOption.bool("b", false, "b").parse("TRUE", "flag")).isTrue();
        assertThat(ConfigOption.string("s", null, "s").parse(" as is ", "flag"))
                .isEqualTo(" as is ");
    }

    @Test
    void aSecretHasNoDefault() {
        assertThat(TestOptions.MQTT_PASSWORD.isSecret()).isTrue();
        assertThat(TestOptions.MQTT_PASSWORD.defaultValue()).isNull();
        assertThat(TestOptions.KAFKA_BOOTSTRAP.isSecret()).isFalse();
    }

    @Test
    void parsesAListOfDurationsInTheGivenOrder() {
        ConfigOption<java.util.List<Duration>> lengths =
                ConfigOption.durations("window.lengths", "1m,15m,1h", "test");

        assertThat(lengths.parse("1m, 15m,PT1H", "flag"))
                .containsExactly(
                        Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofHours(1));
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> lengths.parse("1m,,1h", "flag"))
                .withMessage(
                        "Invalid value '1m,,1h' for --window-lengths (flag): expected durations"
                                + " separated by commas, such as 1m,15m,1h; '' is not one");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> lengths.parse("1m,soon", "flag"))
                .withMessage(
                        "Invalid value '1m,soon' for --window-lengths (flag): expected durations"
                                + " separated by commas, such as 1m,15m,1h; 'soon' is not one");
    }
}
