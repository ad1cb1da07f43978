package org.smartcity.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.smartcity.core.config.ConfigException;

/**
 * The chores around a benchmark's run that are the same in every module: its {@code main}'s
 * handling of the command line, an optional Java Flight Recorder recording, and deleting its
 * temporary data. The benchmarks' option parsers throw {@code IllegalArgumentException(}{@link
 * #HELP}{@code )} for {@code --help} and an {@code IllegalArgumentException} (or a {@code
 * ConfigException}, from a module's own flag parser) naming the flag for bad input.
 */
public final class BenchRun {
    /** The message of the exception an option parser throws for {@code --help} or {@code -h}. */
    public static final String HELP = "usage";

    private BenchRun() {}

    /**
     * Parses a benchmark's arguments. {@code --help}: prints {@code usage} to stderr and returns
     * null (the caller returns). Bad input: prints one line, "{@code name}: the problem (--help
     * lists the options)", and exits with status 2, before anything is measured.
     */
    public static <T> T parseOrExit(
            String name, String usage, String[] args, Function<String[], T> parser) {
        try {
            return parser.apply(args);
        } catch (IllegalArgumentException | ConfigException e) {
            if (HELP.equals(e.getMessage())) {
                System.err.println(usage);
                return null;
            }
            System.err.println(name + ": " + e.getMessage() + " (--help lists the options)");
            System.exit(2);
            return null;
        }
    }

    /**
     * Starts a Java Flight Recorder recording of this JVM (the "profile" settings) into {@code
     * destination}; null, and nothing recorded, when {@code destination} is null.
     */
    public static Recording startJfr(Path destination) throws Exception {
        if (destination == null) {
            return null;
        }
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.setDestination(destination);
        r.start();
        return r;
    }

    /** Deletes {@code dir} and everything below it; a failure is reported on stderr, not thrown. */
    public static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }
}
