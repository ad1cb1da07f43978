package org.smartcity.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.smartcity.core.config.TestOptions.ALL;
import static org.smartcity.core.config.TestOptions.CITY;
import static org.smartcity.core.config.TestOptions.KAFKA_BOOTSTRAP;
import static org.smartcity.core.config.TestOptions.MQTT_PASSWORD;
import static org.smartcity.core.config.TestOptions.MQTT_PORT;
import static org.smartcity.core.config.TestOptions.PASSWORD;
import static org.smartcity.core.config.TestOptions.WINDOW;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {
    @TempDir Path dir;

    /** Where a value can come from, below the default. */
    enum Source {
        FLAG,
        ENVIRONMENT,
        FILE
    }

    @Test
    void valuesGivenInCodeOverTheDefaults() {
        Settings settings =
                Settings.builder(ALL)
                        .put(MQTT_PORT, 1884)
                        .put(WINDOW, Duration.ofMinutes(5))
                        .put(CITY, "kunming")
                        .put(KAFKA_BOOTSTRAP, null)
                        .build();

        assertThat(settings.get(MQTT_PORT)).isEqualTo(1884);
        assertThat(settings.get(WINDOW)).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.get(CITY)).isEqualTo("kunming");
        assertThat(settings.get(KAFKA_BOOTSTRAP)).as("null: not given").isEqualTo("localhost:9092");
        assertThat(settings.describe())
                .isEqualTo(
                        "  mqtt.port = 1884 (set in code)\n"
                                + "  kafka.bootstrap = localhost:9092 (default)\n"
                                + "  window.length = PT5M (set in code)\n"
                                + "  city.id = kunming (set in code)");
    }

    @Test
    void aValueGivenInCodeIsCheckedAsAParsedOne() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> Settings.builder(ALL).put(MQTT_PORT, 70000))
                .withMessage(
                        "Invalid value '70000' for --mqtt-port (set in code): expected an integer"
                                + " from 1 to 65535");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> Settings.builder(ALL).put(WINDOW, Duration.ofSeconds(-1)))
                .withMessage(
                        "Invalid value 'PT-1S' for --window-length (set in code): expected a"
                                + " positive duration");
        ConfigOption<String> other = ConfigOption.string("other.key", null, "not listed");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Settings.builder(ALL).put(other, "x"))
                .withMessage("other.key is not an option of this runnable");
    }

    @Test
    void usesTheDefaultsWhenNothingIsGiven() {
        Settings settings = load(Map.of());

        assertThat(settings.get(MQTT_PORT)).isEqualTo(1883);
        assertThat(settings.get(KAFKA_BOOTSTRAP)).isEqualTo("localhost:9092");
        assertThat(settings.get(WINDOW)).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.getOrNull(CITY)).isNull();
        assertThat(settings.describe())
                .isEqualTo(
                        "  mqtt.port = 1883 (default)\n"
                                + "  kafka.bootstrap = localhost:9092 (default)\n"
                                + "  window.length = PT1M (default)");
    }

    @ParameterizedTest(name = "flag {0}, environment {1}, file {2}")
    @CsvSource({
        "false, false, false, 1883, default",
        "false, false, true,  1884, FILE",
        "false, true,  false, 1885, environment SMARTCITY_MQTT_PORT",
        "false, true,  true,  1885, environment SMARTCITY_MQTT_PORT",
        "true,  false, true,  1886, flag",
        "true,  true,  false, 1886, flag",
        "true,  true,  true,  1886, flag"
    })
    void takesEachValueFromTheFirstOfFlagEnvironmentFileDefault(
            boolean flag, boolean environment, boolean file, int expected, String source)
            throws IOException {
        // The file always exists, so that only its content decides.
        Path config = write(file ? "mqtt.port=1884" : "kafka.bootstrap=kafka:9092");
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        if (flag) {
            args.add("--mqtt-port=1886");
        }
        Map<String, String> env = environment ? Map.of("SMARTCITY_MQTT_PORT", "1885") : Map.of();

        Settings settings = Settings.load(ALL, args, env);

        assertThat(settings.get(MQTT_PORT)).isEqualTo(expected);
        assertThat(settings.describe())
                .contains(
                        "  mqtt.port = "
                                + expected
                                + " ("
                                + source.replace("FILE", config.toString())
                                + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--mqtt-port=1886", "--mqtt-port 1886"})
    void takesAFlagWithOrWithoutAnEqualsSign(String args) {
        assertThat(load(Map.of(), args.split(" ")).get(MQTT_PORT)).isEqualTo(1886);
    }

    @Test
    void keepsEverythingAfterTheFirstEqualsSign() {
        assertThat(load(Map.of(), "--kafka-bootstrap=a:9092,b=9093").get(KAFKA_BOOTSTRAP))
                .isEqualTo("a:9092,b=9093");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--config=FILE", "--config FILE"})
    void readsTheFileGivenByFlag(String args) throws IOException {
        Path config = write("mqtt.port=1884", "window.length=15m");

        Settings settings = load(Map.of(), args.replace("FILE", config.toString()).split(" "));

        assertThat(settings.get(MQTT_PORT)).isEqualTo(1884);
        assertThat(settings.get(WINDOW)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void readsTheFileGivenByEnvironmentUnlessAFlagNamesAnother() throws IOException {
        Path fromEnvironment = write("mqtt.port=1884");
        Path fromFlag = Files.writeString(dir.resolve("other.properties"), "mqtt.port=1887\n");
        Map<String, String> env = Map.of("SMARTCITY_CONFIG", fromEnvironment.toString());

        assertThat(load(env).get(MQTT_PORT)).isEqualTo(1884);
        assertThat(load(env, "--config", fromFlag.toString()).get(MQTT_PORT)).isEqualTo(1887);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--mqtt-prot 1884", "--mqtt-prot=1884"})
    void refusesAnUnknownFlagSuggestingHelp(String args) {
        assertLoadFails(Map.of(), args.split(" "))
                .withMessage("Unknown flag --mqtt-prot. Run with --help to list the flags.");
    }

    @Test
    void refusesAStrayArgument() {
        assertLoadFails(Map.of(), "--mqtt-port", "1884", "1885")
                .withMessage("Unexpected argument 1885. Run with --help to list the flags.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--mqtt-port", "--config"})
    void refusesAFlagWithoutItsValue(String flag) {
        assertLoadFails(Map.of(), "--kafka-bootstrap", "kafka:9092", flag)
                .withMessage("Flag " + flag + " needs a value.");
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void refusesABadValueNamingTheFlagItsSourceAndTheExpectation(Source source) throws IOException {
        String from =
                switch (source) {
                    case FLAG -> "flag";
                    case ENVIRONMENT -> "environment SMARTCITY_MQTT_PORT";
                    case FILE -> dir.resolve("smartcity.properties").toString();
                };

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> loadWith(source, "mqtt.port", "abc"))
                .withMessage(
                        "Invalid value 'abc' for --mqtt-port (" + from + "): expected an integer");
    }

    @Test
    void refusesAnUnknownKeyInTheFile() throws IOException {
        Path config = write("mqtt.port=1884", "mqtt.prot=1885");

        assertLoadFails(Map.of(), "--config", config.toString())
                .withMessageStartingWith("Unknown key 'mqtt.prot' in " + config + ". Known keys: ")
                .withMessageContaining("mqtt.port")
                .withMessageContaining("window.length");
    }

    @Test
    void refusesAFileItCannotRead() {
        Path missing = dir.resolve("missing.properties");

        assertLoadFails(Map.of(), "--config", missing.toString())
                .withMessageStartingWith(
                        "Cannot read the configuration file " + missing + " (--config): ");
    }

    @Test
    void namesTheFlagAndTheVariableOfAMissingValue() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> load(Map.of()).get(CITY))
                .withMessage("Missing value for --city-id (or SMARTCITY_CITY_ID): city to serve");
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void masksASecretWhenDescribing(Source source) throws IOException {
        Settings settings = loadWith(source, "mqtt.password", PASSWORD);

        assertThat(settings.get(MQTT_PASSWORD)).isEqualTo(PASSWORD);
        assertThat(settings.describe())
                .contains("  mqtt.password = **** (")
                .doesNotContain(PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--mqtt-pasword=PASSWORD",
                "--mqtt-password PASSWORD --mqtt-port abc",
                "--mqtt-password=PASSWORD --mqtt-prot 1884"
            })
    void keepsASecretOutOfErrorMessages(String line) {
        String[] args = line.replace("PASSWORD", PASSWORD).split(" ");

        assertLoadFails(Map.of("SMARTCITY_MQTT_PASSWORD", PASSWORD), args)
                .withMessageNotContaining(PASSWORD);
    }

    @Test
    void helpListsEveryFlagWithItsDefaultAndVariableButNoSecret() {
        String help = Settings.help("test-runner [options]", "Tests the settings.", ALL);

        assertThat(help)
                .startsWith("Usage: test-runner [options]\n\nTests the settings.\n\nOptions:\n")
                .contains("--mqtt-port VALUE        MQTT broker port [default: 1883]\n")
                .contains("env SMARTCITY_MQTT_PORT, key mqtt.port\n")
                .contains("--mqtt-password VALUE    MQTT password\n")
                .contains("--window-length VALUE    aggregation window [default: 1m]\n")
                .contains("--config FILE")
                .contains("--help")
                .endsWith("Precedence: flag > environment > file > default.\n");
    }

    /** Loads with {@code key} set to {@code value} by one source. */
    private Settings loadWith(Source source, String key, String value) throws IOException {
        String flag = "--" + key.replace('.', '-');
        String variable = "SMARTCITY_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
        return switch (source) {
            case FLAG -> load(Map.of(), flag, value);
            case ENVIRONMENT -> load(Map.of(variable, value));
            case FILE -> load(Map.of(), "--config", write(key + "=" + value).toString());
        };
    }

    private static Settings load(Map<String, String> env, String... args) {
        return Settings.load(ALL, List.of(args), new HashMap<>(env));
    }

    private static ThrowableAssertAlternative<ConfigException> assertLoadFails(
            Map<String, String> env, String... args) {
        return assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> load(env, args));
    }

    private Path write(String... lines) throws IOException {
        return Files.write(dir.resolve("smartcity.properties"), List.of(lines));
    }
}
