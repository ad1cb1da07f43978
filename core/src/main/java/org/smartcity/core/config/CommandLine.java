package org.smartcity.core.config;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The shared front door of every runnable: {@code --help}, configuration errors as one clear line
 * with exit code 2, and start-up failures as a message rather than a stack trace.
 */
public final class CommandLine {

    /** What a runnable does once its settings are resolved. */
    @FunctionalInterface
    public interface Body {
        void run(Settings settings) throws Exception;
    }

    /** A long-running service that a runnable starts from its settings. */
    @FunctionalInterface
    public interface Service {
        /** Starts the service; returns what stops it (closes it cleanly). */
        Runnable start(Settings settings) throws Exception;
    }

    private CommandLine() {}

    /**
     * The {@code main} of a long-running service (the bridge, the dashboard): {@link #run} on the
     * process's arguments, environment and streams, with a body that logs the settings to {@code
     * log}, starts the service and {@linkplain StopSignals#awaitThenStop awaits a stop signal}; the
     * main thread then logs "Stopping {@code what}" and stops it. Exits the JVM with 128 + the
     * signal's number after such a stop (143 after SIGTERM, 130 after Ctrl-C), else with the code
     * of {@link #run}. Should the JVM be exited otherwise, the service stops in the shutdown hook
     * {@code <name>-shutdown}.
     */
    public static void serve(
            String usage,
            String summary,
            List<ConfigOption<?>> options,
            String[] args,
            Logger log,
            String name,
            String what,
            Service service) {
        int[] stopped = {0};
        int exit =
                run(
                        usage,
                        summary,
                        options,
                        args,
                        System.getenv(),
                        System.out,
                        System.err,
                        settings -> {
                            log.info("Configuration:\n{}", settings.describe());
                            Runnable stop = service.start(settings);
                            stopped[0] =
                                    StopSignals.awaitThenStop(
                                            name,
                                            () -> {
                                                log.info("Stopping {}", what);
                                                stop.run();
                                            });
                        });
        // Also after a stop: the service's non-daemon threads must not keep the JVM alive.
        System.exit(exit == 0 ? stopped[0] : exit);
    }

    /**
     * Runs {@code body} with the resolved settings and returns the process exit code: 0 on success
     * or {@code --help}, 2 for a configuration error, 1 for a failure.
     */
    public static int run(
            String usage,
            String summary,
            List<ConfigOption<?>> options,
            String[] args,
            Map<String, String> environment,
            PrintStream out,
            PrintStream err,
            Body body) {
        List<String> argList = Arrays.asList(args);
        if (argList.contains("--help") || argList.contains("-h")) {
            out.print(Settings.help(usage, summary, options));
            return 0;
        }
        Settings settings;
        try {
            settings = Settings.load(options, argList, environment);
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        try {
            body.run(settings);
            return 0;
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            err.println("error: " + messageOf(e));
            return 1;
        }
    }

    /** The message of an exception and of its causes, without the stack. */
    public static String messageOf(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
                b.append(": ").append(c.getMessage());
            }
        }
        return b.toString();
    }
}
