package org.smartcity.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.helpers.NOPLogger;

/**
 * The one way the platform's processes stop ({@link StopSignals}), through {@link
 * CommandLine#serve} as the bridge and the dashboard use it, each case in a child JVM of its own:
 * signals cannot be sent to the test's JVM without stopping it.
 */
class StopSignalsTest {

    @ParameterizedTest
    @CsvSource({"TERM, 143", "INT, 130", "HUP, 129"})
    void aSignalStopsTheServiceInTheMainThreadAndExitsWith128PlusItsNumber(
            String signal, int status) throws Exception {
        try (Child child = Child.start(List.of(), "--default-signal")) {
            child.awaitRunning();

            child.signal(signal);

            assertThat(child.restOfOutput()).containsExactly("stopped in main");
            assertThat(child.exitStatus()).isEqualTo(status);
        }
    }

    @Test
    void anInheritedIgnoredSigintStaysIgnoredAndSigtermStillStops() throws Exception {
        try (Child child = Child.start(List.of(), "--ignore-signal=INT")) {
            child.awaitRunning();

            // Sent first and lower-numbered (delivered first when both are pending): a handled
            // SIGINT would be the one that stops it, with 130.
            child.signal("INT");
            child.signal("TERM");

            assertThat(child.restOfOutput()).containsExactly("stopped in main");
            assertThat(child.exitStatus()).isEqualTo(143);
        }
    }

    /**
     * The fallback: the JVM exits by other means (here {@link System#exit} in another thread), so
     * the stop runs in the shutdown hook, once. Under {@code -Xrs} the JVM leaves the signals to
     * the OS and they cannot be handled, which must not keep the service from starting.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anExitByOtherMeansStopsTheServiceInTheShutdownHook(boolean reducedSignals)
            throws Exception {
        List<String> jvmOptions = reducedSignals ? List.of("-Xrs") : List.of();
        try (Child child = Child.start(jvmOptions, "--default-signal")) {
            child.awaitRunning();

            child.say("exit");

            assertThat(child.restOfOutput()).containsExactly("stopped in test-shutdown");
            assertThat(child.exitStatus()).isEqualTo(3);
        }
    }

    @Test
    void aStopThatFailsExitsWith1AndSaysWhy() throws Exception {
        try (Child child = Child.start(List.of(), "--default-signal", "fail")) {
            child.awaitRunning();

            child.signal("TERM");

            assertThat(child.restOfOutput())
                    .containsExactly("error: cannot close the test service");
            assertThat(child.exitStatus()).isEqualTo(1);
        }
    }

    /** A child JVM running {@link Served}, its stdout and stderr read as one. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final BufferedReader output;

        private Child(Process process) {
            this.process = process;
            this.output =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8));
        }

        /**
         * Starts {@link Served} through env(1) with {@code signalOption}: whatever this test runs
         * under may have left a signal ignored (a shell's background job ignores SIGINT), and a
         * child inherits that.
         */
        static Child start(List<String> jvmOptions, String signalOption, String... args)
                throws IOException {
            List<String> command = new ArrayList<>(List.of("env", signalOption));
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(
                    List.of("-cp", System.getProperty("java.class.path"), Served.class.getName()));
            command.addAll(List.of(args));
            return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        void awaitRunning() throws IOException {
            assertThat(output.readLine()).isEqualTo("running");
        }

        /** Sends {@code signal} with kill(1); env execs java, so the child is the JVM. */
        void signal(String signal) throws Exception {
            Process kill =
                    new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                            .inheritIO()
                            .start();
            assertThat(kill.waitFor()).as("kill -s " + signal).isZero();
        }

        void say(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** The output to its end, which comes once the JVM is gone. */
        List<String> restOfOutput() {
            return output.lines().toList();
        }

        int exitStatus() throws InterruptedException {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the JVM ends").isTrue();
            return process.exitValue();
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            output.close();
        }
    }

    /**
     * A service like the bridge or the dashboard, in the child JVM: {@link CommandLine#serve} with
     * a service whose stop prints the thread it ran in (or fails, with the argument {@code fail}),
     * and which exits the JVM with status 3 when a line arrives on its stdin.
     */
    static final class Served {
        public static void main(String[] args) {
            boolean fail = Arrays.asList(args).contains("fail");
            CommandLine.serve(
                    "served",
                    "A test service.",
                    List.of(),
                    new String[0],
                    NOPLogger.NOP_LOGGER,
                    "test",
                    "the test service",
                    settings -> {
                        announceWhenWaiting(Thread.currentThread());
                        exitOnInput();
                        return () -> {
                            if (fail) {
                                throw new IllegalStateException("cannot close the test service");
                            }
                            System.out.println("stopped in " + Thread.currentThread().getName());
                        };
                    });
        }

        /**
         * Prints "running" once {@code main} waits for a signal: only then are the handlers in
         * place and may the test send one. Waiting in {@link CompletableFuture#get} means waiting
         * in {@link StopSignals#awaitThenStop}, which registers them first.
         */
        private static void announceWhenWaiting(Thread main) {
            Thread announcer =
                    new Thread(
                            () -> {
                                while (!waitsForASignal(main)) {
                                    Thread.onSpinWait();
                                }
                                System.out.println("running");
                            });
            announcer.setDaemon(true);
            announcer.start();
        }

        private static boolean waitsForASignal(Thread main) {
            return main.getState() == Thread.State.WAITING
                    && Arrays.stream(main.getStackTrace())
                            .anyMatch(
                                    frame ->
                                            frame.getClassName()
                                                            .equals(
                                                                    CompletableFuture.class
                                                                            .getName())
                                                    && frame.getMethodName().equals("get"));
        }

        private static void exitOnInput() {
            Thread exiter =
                    new Thread(
                            () -> {
                                try {
                                    if (new BufferedReader(
                                                            new InputStreamReader(
                                                                    System.in,
                                                                    StandardCharsets.UTF_8))
                                                    .readLine()
                                            != null) {
                                        System.exit(3);
                                    }
                                } catch (IOException e) {
                                    // No input: nothing to do.
                                }
                            });
            exiter.setDaemon(true);
            exiter.start();
        }
    }
}
