package org.smartcity.deploy;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.smartcity.core.config.CommandLine;

/** The {@code ./smartcity} command. {@code demo} runs the local platform until Ctrl-C. */
public final class SmartCity {
    private static final String USAGE =
            """
            Usage: ./smartcity COMMAND [options]

            Commands:
              demo     run the whole platform locally (embedded Kafka and MQTT broker, bridge,
                       simulated Kunming); ./smartcity demo --help lists its options
              help     print this help
            """;

    private SmartCity() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0
                || args[0].equals("help")
                || args[0].equals("--help")
                || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (!args[0].equals("demo")) {
            System.err.println("error: unknown command '" + args[0] + "'. Run ./smartcity --help.");
            return 2;
        }
        return CommandLine.run(
                "./smartcity demo [options]",
                "Runs the platform on this machine: embedded Kafka and MQTT 5 brokers, the"
                        + " MQTT -> Kafka bridge and a simulated Kunming. Data is kept in"
                        + " --data-dir across restarts.",
                PlatformConfig.OPTIONS,
                Arrays.copyOfRange(args, 1, args.length),
                System.getenv(),
                System.out,
                System.err,
                settings -> {
                    LocalPlatform platform =
                            LocalPlatform.start(PlatformConfig.from(settings), System.out);
                    CountDownLatch stopped = new CountDownLatch(1);
                    Runtime.getRuntime()
                            .addShutdownHook(
                                    new Thread(
                                            () -> {
                                                System.out.println("\nStopping ...");
                                                platform.close();
                                                System.out.println("Stopped.");
                                                stopped.countDown();
                                            },
                                            "platform-shutdown"));
                    stopped.await();
                });
    }
}
