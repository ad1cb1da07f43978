package org.smartcity.deploy;

import java.util.Arrays;
import org.smartcity.core.config.CommandLine;
import org.smartcity.core.config.StopSignals;
import org.smartcity.dashboard.DashboardMain;
import org.smartcity.ingest.IngestMain;
import org.smartcity.simulator.SimulatorMain;

/**
 * The {@code ./smartcity} command: {@code demo} runs the local platform until Ctrl-C; {@code
 * ingest}, {@code dashboard} and {@code simulate} run one bridge, the dashboard or the simulated
 * city against brokers and stores of your own.
 */
public final class SmartCity {
    private static final String USAGE =
            """
            Usage: ./smartcity COMMAND [options]

            Commands:
              demo       run the whole platform locally: embedded Kafka and MQTT 5 brokers, the
                         MQTT -> Kafka bridge, the aggregation job (Flink MiniCluster), the
                         GeoMesa stores, the dashboard and a simulated Kunming
              ingest     run one MQTT -> Kafka bridge against existing brokers
              dashboard  run the dashboard and OGC API against an existing Kafka and store
              simulate   run the simulated city against an existing MQTT broker
              help       print this help

            ./smartcity COMMAND --help lists a command's options.
            """;

    private SmartCity() {}

    public static void main(String[] args) {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "demo" -> System.exit(demo(rest));
            case "ingest" -> IngestMain.main(rest);
            case "dashboard" -> DashboardMain.main(rest);
            case "simulate" -> SimulatorMain.main(rest);
            case "help", "--help", "-h" -> System.out.print(USAGE);
            default -> {
                System.err.println(
                        "error: unknown command '" + command + "'. Run ./smartcity --help.");
                System.exit(2);
            }
        }
    }

    /**
     * Runs the platform until it is told to stop, and returns the process's exit status: 128 + the
     * signal's number after a graceful stop (130 after Ctrl-C), else {@link CommandLine#run}'s.
     */
    private static int demo(String[] args) {
        // Quieter than the bridge's own logging: the platform prints a progress line per
        // component. Set before any logger exists; a user's own setting wins.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-platform.properties");
        }
        int[] stopped = {0};
        int status =
                CommandLine.run(
                        "./smartcity demo [options]",
                        "Runs the platform on this machine: embedded Kafka and MQTT 5 brokers, the"
                                + " MQTT -> Kafka bridge, the aggregation job, the GeoMesa stores, the"
                                + " dashboard and a simulated Kunming. Data and the job's state are kept"
                                + " in --data-dir across restarts.",
                        PlatformConfig.OPTIONS,
                        args,
                        System.getenv(),
                        System.out,
                        System.err,
                        settings -> {
                            LocalPlatform platform =
                                    LocalPlatform.start(PlatformConfig.from(settings), System.out);
                            // In this thread, not in a shutdown hook: see StopSignals.
                            stopped[0] =
                                    StopSignals.awaitThenStop(
                                            "platform",
                                            () -> {
                                                System.out.println("\nStopping ...");
                                                platform.close();
                                                System.out.println("Stopped.");
                                            });
                        });
        return status == 0 ? stopped[0] : status;
    }
}
