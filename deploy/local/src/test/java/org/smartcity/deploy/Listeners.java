package org.smartcity.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The listening sockets of a set of processes, as iproute2's {@code ss} shows them: how a test
 * checks that a program opens no door beyond this machine.
 */
final class Listeners {
    private static final Pattern PID = Pattern.compile("pid=(\\d+),");

    /**
     * One listening socket.
     *
     * @param local the local address and port as {@code ss} prints it ({@code 127.0.0.1:8080},
     *     {@code [::1]:8080}, {@code *:8080}, {@code 0.0.0.0:8080})
     * @param line the whole line, for messages
     */
    record Listener(String local, long pid, String line) {
        /** Whether only this machine can connect: bound to a loopback address. */
        boolean loopbackOnly() {
            String host = local.substring(0, local.lastIndexOf(':'));
            return host.equals("127.0.0.1")
                    || host.startsWith("127.")
                    || host.equals("[::1]")
                    || host.equals("[::ffff:127.0.0.1]");
        }
    }

    private Listeners() {}

    /** Whether {@code ss} can be run here. */
    static boolean ssAvailable() {
        return Stream.of("/usr/bin/ss", "/bin/ss", "/usr/sbin/ss", "/sbin/ss")
                .anyMatch(p -> Files.isExecutable(Path.of(p)));
    }

    /** The TCP and UDP listening sockets of {@code pids} now. */
    static List<Listener> of(Set<Long> pids) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-H", "-l", "-t", "-u", "-n", "-p").start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ss.waitFor(30, TimeUnit.SECONDS) || ss.exitValue() != 0) {
            throw new IllegalStateException(
                    "ss failed: "
                            + new String(
                                    ss.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        List<Listener> found = new ArrayList<>();
        for (String line : out.split("\n")) {
            // Netid State Recv-Q Send-Q Local Peer Process (Netid only with -u and -t together).
            String[] f = line.trim().split("\\s+");
            if (f.length < 7) {
                continue;
            }
            Matcher m = PID.matcher(line);
            while (m.find()) {
                long pid = Long.parseLong(m.group(1));
                if (pids.contains(pid)) {
                    found.add(new Listener(f[4], pid, line.trim()));
                }
            }
        }
        return found;
    }

    /** {@code process} and all its descendants. */
    static Set<Long> pidsOf(ProcessHandle process) {
        return Stream.concat(Stream.of(process), process.descendants())
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}
