package org.smartcity.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.config.CommandLine;
import org.smartcity.core.config.Settings;

/**
 * Runs the simulator from the command line until its total or duration is reached, or until Ctrl-C;
 * either way it drains the unacknowledged messages, prints the summary table and writes the JSON
 * summary when {@code --summary-file} is set. Exit code 0, 2 for a configuration error, 1 when the
 * broker cannot be reached.
 */
public final class SimulatorMain {
    static {
        // The simulator's own logging setup, unless the user names one; a distinct file name keeps
        // it from clashing with another module's log4j2.properties on a shared classpath.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-simulator.properties");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorMain.class);

    static final String USAGE = "simulator [--config FILE] [OPTIONS]";
    static final String SUMMARY =
            "Simulates a city's sensors (Kunming by default) publishing readings over MQTT 5, QoS 1,"
                    + " to city/{city}/{metric}/{sensorId},\nwith faults on demand. Prints what"
                    + " was sent and what the bridge should accept and reject.";

    private SimulatorMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return CommandLine.run(
                USAGE,
                SUMMARY,
                SimulatorConfig.OPTIONS,
                args,
                env,
                out,
                err,
                settings -> simulate(settings, out));
    }

    private static void simulate(Settings settings, PrintStream out) {
        SimulatorConfig config = SimulatorConfig.from(settings);
        LOG.info("Simulator settings:\n{}", settings.describe());
        Simulator simulator = new Simulator(config, Clock.systemUTC());
        Report report = new Report(simulator::summary, config.summaryFile(), out);
        Thread hook =
                new Thread(
                        () -> {
                            LOG.info("Stopping: draining unacknowledged messages");
                            simulator.close();
                            report.print();
                        },
                        "simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            simulator.run();
        } finally {
            removeHook(hook);
            simulator.close();
        }
        report.print();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running and prints the report.
        }
    }

    /**
     * The end-of-run output, printed once whether the run ended or was stopped. On a stop both the
     * shutdown hook and the main thread (its run ended by the hook's close) print it; the one that
     * comes second waits until it is printed: the JVM halts when its hooks end, so a hook returning
     * while the main thread still prints would cut the summary off.
     */
    static final class Report {
        private final Supplier<SimulationSummary> summary;
        private final Path summaryFile;
        private final PrintStream out;
        private boolean printed;

        /**
         * @param summaryFile where to write the JSON summary too, or null
         */
        Report(Supplier<SimulationSummary> summary, Path summaryFile, PrintStream out) {
            this.summary = summary;
            this.summaryFile = summaryFile;
            this.out = out;
        }

        synchronized void print() {
            if (printed) {
                return;
            }
            printed = true;
            SimulationSummary made = summary.get();
            out.print(made.toTable());
            out.flush();
            if (summaryFile != null) {
                try {
                    made.writeJson(summaryFile);
                    LOG.info("Summary written to {}", summaryFile);
                } catch (IOException e) {
                    LOG.error("Cannot write the summary to {}: {}", summaryFile, e.toString());
                }
            }
        }
    }
}
