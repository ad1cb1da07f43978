package org.smartcity.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.smartcity.core.config.TestOptions.ALL;
import static org.smartcity.core.config.TestOptions.MQTT_PORT;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {
    private static final String USAGE = "test-runner [options]";
    private static final String SUMMARY = "Tests the command line.";
    private static final CommandLine.Body MUST_NOT_RUN = settings -> fail("the body ran");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "--mqtt-port abc --help", "--nope -h"})
    void printsHelpAndSucceedsWithoutRunning(String args) {
        assertThat(run(MUST_NOT_RUN, args.split(" "))).isZero();

        assertThat(out()).isEqualTo(Settings.help(USAGE, SUMMARY, ALL));
        assertThat(err()).isEmpty();
    }

    @Test
    void runsTheBodyWithTheResolvedSettings() {
        AtomicInteger port = new AtomicInteger();

        assertThat(run(settings -> port.set(settings.get(MQTT_PORT)), "--mqtt-port", "1884"))
                .isZero();

        assertThat(port).hasValue(1884);
        assertThat(out()).isEmpty();
        assertThat(err()).isEmpty();
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                arguments(
                        new String[] {"--nope", "1"},
                        "error: Unknown flag --nope. Run with --help to list the flags."),
                arguments(
                        new String[] {"--mqtt-port", "abc"},
                        "error: Invalid value 'abc' for --mqtt-port (flag): expected an integer"),
                arguments(new String[] {"--mqtt-port"}, "error: Flag --mqtt-port needs a value."),
                arguments(
                        new String[] {"--window-length=106751991167301d"},
                        "error: Invalid value '106751991167301d' for --window-length (flag):"
                                + " expected a shorter duration"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void exitsWith2AndOneErrorLineOnABadArgument(String[] args, String error) {
        assertThat(run(MUST_NOT_RUN, args)).isEqualTo(2);

        assertThat(err().lines()).containsExactly(error);
        assertThat(out()).isEmpty();
    }

    @Test
    void exitsWith2WhenTheBodyFindsAConfigurationError() {
        CommandLine.Body body =
                settings -> {
                    throw new ConfigException("--city-bbox needs four numbers");
                };

        assertThat(run(body)).isEqualTo(2);

        assertThat(err().lines()).containsExactly("error: --city-bbox needs four numbers");
    }

    @Test
    void exitsWith1AndTheMessagesWithoutAStackTraceWhenTheBodyFails() {
        CommandLine.Body body =
                settings -> {
                    throw new IllegalStateException(
                            "cannot connect to tcp://localhost:1883",
                            new UncheckedIOException(
                                    "Connection refused", new IOException("Connection refused")));
                };

        assertThat(run(body)).isEqualTo(1);

        assertThat(err().lines())
                .containsExactly(
                        "error: cannot connect to tcp://localhost:1883: Connection refused");
        assertThat(out()).isEmpty();
    }

    @Test
    void exitsWith1AndKeepsTheInterruptWhenTheBodyIsInterrupted() {
        CommandLine.Body body =
                settings -> {
                    throw new InterruptedException("shutting down");
                };

        try {
            assertThat(run(body)).isEqualTo(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    private int run(CommandLine.Body body, String... args) {
        return CommandLine.run(
                USAGE,
                SUMMARY,
                ALL,
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                body);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
