package org.smartcity.brokers;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags shared by the broker mains: {@code --port}, {@code --host} (default
 * 127.0.0.1), {@code --data-dir}, and the launcher-only {@code --parent-pid} and {@code
 * --controller-port}.
 */
record BrokerArgs(String host, int port, Path dataDir, long parentPid, int controllerPort) {

    private static final Set<String> FLAGS =
            Set.of("--host", "--port", "--data-dir", "--parent-pid", "--controller-port");

    static BrokerArgs parse(String[] args, int defaultPort) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!FLAGS.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "Usage: --data-dir DIR [--port N] [--host ADDRESS]; bad argument: "
                                + args[i]);
            }
            values.put(args[i], args[i + 1]);
        }
        String dataDir = values.get("--data-dir");
        if (dataDir == null) {
            throw new IllegalArgumentException("--data-dir is required");
        }
        return new BrokerArgs(
                values.getOrDefault("--host", "127.0.0.1"),
                Integer.parseInt(values.getOrDefault("--port", String.valueOf(defaultPort))),
                Path.of(dataDir).toAbsolutePath(),
                Long.parseLong(values.getOrDefault("--parent-pid", "-1")),
                Integer.parseInt(values.getOrDefault("--controller-port", "0")));
    }

    /**
     * Exits this JVM (running its shutdown hooks, so the broker stops cleanly) when the launching
     * process is gone: a parent killed with SIGKILL runs no shutdown hook of its own, and its
     * brokers must not linger holding ports and data directories.
     */
    void exitWithParent() {
        if (parentPid < 0) {
            return;
        }
        ProcessHandle.of(parentPid)
                .ifPresentOrElse(
                        parent -> parent.onExit().thenRun(() -> System.exit(0)),
                        () -> System.exit(0));
    }
}
