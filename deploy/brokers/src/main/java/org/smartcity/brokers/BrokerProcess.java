package org.smartcity.brokers;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Handle on a broker running in a child JVM: the common part of {@link KafkaBroker} and {@link
 * MqttBroker}. Uses only the JDK, so that modules depending on this artifact without its transitive
 * dependencies can still start brokers.
 *
 * <p>The child runs with the JVM's own {@code java} binary and this module's full runtime classpath
 * (the generated resource {@code runtime-classpath.txt} plus the location of these classes). Its
 * stdout and stderr are copied, line by line, to a log file in the data directory; {@code start}
 * returns when the child prints its {@code READY} line and throws {@link BrokerStartException}
 * (with the last lines of output) if it exits first or takes longer than {@link #READY_TIMEOUT}.
 * Children are destroyed when this JVM shuts down (unless their owner {@linkplain
 * #ownerStopsOnShutdown stops them itself}), and exit by themselves if it is killed. On Linux each
 * runs in a session of its own, so a terminal's Ctrl-C reaches only the owner.
 *
 * <p>Not thread-safe: one test or launcher owns a handle (a supervisor that restarts it must be
 * stopped before its owner stops the broker). Only {@link #isAlive()} and {@link #exitCode()} may
 * be read from any thread.
 */
public abstract sealed class BrokerProcess implements AutoCloseable
        permits KafkaBroker, MqttBroker {

    /** Longest wait for a child to report ready. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** Longest wait for a graceful stop before the child is killed. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    static final String HOST = "127.0.0.1";
    private static final int TAIL_LINES = 30;
    private static final String CLASSPATH_RESOURCE = "runtime-classpath.txt";

    /**
     * Environment variable with more JVM flags for every broker child, space separated, after (so
     * overriding) the launcher's own: e.g. {@code -XX:TieredStopAtLevel=1}, or a JFR recording.
     */
    public static final String JAVA_OPTIONS_VARIABLE = "SMARTCITY_BROKER_JAVA_OPTIONS";

    /** Linux's setsid(1): runs a program in a new session, keeping its process id. */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** Children still running, destroyed by a shutdown hook if their owner forgot to stop them. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(BrokerProcess::destroyAll, "brokers-shutdown"));
    }

    private final String name;
    private final String mainClass;
    private final int port;
    private final Path dataDir;
    private final String maxHeap;
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile Process process;
    private Thread pump;
    private boolean ownerStops;

    BrokerProcess(String name, String mainClass, int port, Path dataDir, String maxHeap) {
        this.name = name;
        this.mainClass = mainClass;
        this.port = port == 0 ? Ports.pickFree(HOST) : port;
        this.dataDir = dataDir.toAbsolutePath();
        this.maxHeap = maxHeap;
    }

    /** The port clients connect to; fixed for the life of the handle, across restarts. */
    public int port() {
        return port;
    }

    /** The broker's data directory, which also holds its log file. */
    public Path dataDir() {
        return dataDir;
    }

    /** The file the child's output is appended to ({@code kafka.log} or {@code mqtt.log}). */
    public Path logFile() {
        return dataDir.resolve(name + ".log");
    }

    /** Whether the child process is running. */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** The broker's name, {@code kafka} or {@code mqtt}. */
    public String name() {
        return name;
    }

    /** The exit code of the child once it has ended; empty while it runs or before it started. */
    public OptionalInt exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? OptionalInt.empty() : OptionalInt.of(p.exitValue());
    }

    /** Stops the broker gracefully (SIGTERM), killing it if it takes over {@link #STOP_TIMEOUT}. */
    public void stop() {
        if (process == null) {
            return;
        }
        // Signals go through ProcessHandle: Process.destroy() would also close our end of the
        // child's stdout, losing everything it logs while shutting down.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
        reap();
    }

    /** Kills the broker at once (SIGKILL), as a crash would: for fault-injection tests. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.toHandle().destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reap();
    }

    /**
     * Starts a new broker process on the same port and data directory, stopping the current one
     * gracefully first if it is still running.
     */
    public void restart() {
        stop();
        launch();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + " broker on " + HOST + ":" + port + " (" + dataDir + ")";
    }

    /** Spawns the child and waits for its READY line. */
    final void launch() {
        Ports.requireFree(HOST, port, name + " broker");
        try {
            Files.createDirectories(dataDir);
            emptyTmpDir();
            BufferedWriter log =
                    Files.newBufferedWriter(
                            logFile(),
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
            log.write("=== " + Instant.now() + " starting " + this);
            log.newLine();
            log.flush();
            synchronized (tail) {
                tail.clear();
            }
            try {
                process = new ProcessBuilder(command()).redirectErrorStream(true).start();
            } catch (IOException e) {
                log.close();
                throw e;
            }
            if (!ownerStops) {
                RUNNING.add(process);
            }
            CompletableFuture<Void> ready = new CompletableFuture<>();
            pump = new Thread(() -> copyOutput(process, log, ready), name + "-broker-output");
            pump.setDaemon(true);
            pump.start();
            ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new BrokerStartException("Cannot start the " + this + ": " + e, e);
        } catch (TimeoutException e) {
            kill();
            throw failure("did not report ready within " + READY_TIMEOUT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            reap();
            throw failure(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw failure("interrupted while starting", e);
        }
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // A session of its own: Ctrl-C in a terminal signals the whole foreground process
            // group, which would stop the broker while its owner still shuts down what depends on
            // it (the demo's job takes a savepoint through Kafka). The owner stops it instead, and
            // the child still exits by itself when its parent dies (--parent-pid).
            cmd.add(SETSID.toString());
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + maxHeap);
        // Serial GC: a small heap on a small, shared machine needs no parallel GC threads. C2
        // stays on (no -XX:TieredStopAtLevel=1): Kafka's and HiveMQ's throughput depend on it.
        cmd.add("-XX:+UseSerialGC");
        // A broker out of memory is broken; dead, the launcher and its log say so.
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Djava.io.tmpdir=" + tmpDir());
        // Both brokers log through SLF4J to logback; this file keeps Kafka's INFO chatter out.
        cmd.add("-Dlogback.configurationFile=org/smartcity/brokers/logback-brokers.xml");
        cmd.addAll(javaOptions(System.getenv(JAVA_OPTIONS_VARIABLE)));
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(mainClass);
        cmd.addAll(
                List.of(
                        "--host", HOST,
                        "--port", String.valueOf(port),
                        "--data-dir", dataDir.toString(),
                        "--parent-pid", String.valueOf(ProcessHandle.current().pid())));
        cmd.addAll(mainArgs());
        return cmd;
    }

    /** The flags of {@link #JAVA_OPTIONS_VARIABLE}'s value; none if it is unset or blank. */
    static List<String> javaOptions(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return List.of(value.trim().split("\\s+"));
    }

    /** The child main's own flags, after the common ones. */
    List<String> mainArgs() {
        return List.of();
    }

    /**
     * The child's temporary directory. RocksDB (HiveMQ) and the compression codecs (Kafka) unpack
     * native libraries into it, 13 MB each time, deleted only on a clean exit: kept in the data
     * directory and emptied on each start, a killed broker leaks nothing into the system's /tmp.
     */
    private Path tmpDir() {
        return dataDir.resolve("tmp");
    }

    private void emptyTmpDir() throws IOException {
        if (Files.isDirectory(tmpDir())) {
            try (Stream<Path> files = Files.walk(tmpDir())) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(tmpDir());
    }

    /** These classes' own location (jar or classes directory), then the generated classpath. */
    private static String classpath() {
        try (InputStream in = BrokerProcess.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new BrokerStartException(
                        "Resource org/smartcity/brokers/"
                                + CLASSPATH_RESOURCE
                                + " is missing: build deploy/brokers with Maven"
                                + " (it is generated in generate-resources)");
            }
            Path self =
                    Path.of(
                            BrokerProcess.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return self + File.pathSeparator + dependencies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs on the pump thread until the child's output ends. Keeps reading even if the log file
     * cannot be written: a child whose stdout pipe fills up blocks on its next log line.
     */
    private void copyOutput(Process child, BufferedWriter log, CompletableFuture<Void> ready) {
        String readyLine = "READY " + name + " " + HOST + ":" + port;
        boolean logging = true;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                logging = logging && append(log, line);
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
                if (line.equals(readyLine)) {
                    ready.complete(null);
                }
            }
            // End of output: the child is exiting; its exit code says how.
            ready.completeExceptionally(
                    new IllegalStateException("exited with code " + child.waitFor()));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        } catch (InterruptedException e) {
            ready.completeExceptionally(e);
            Thread.currentThread().interrupt();
        } finally {
            try {
                log.close();
            } catch (IOException e) {
                // The log file is best effort; a failing one was already given up on.
            }
        }
    }

    /** Appends a line to the log file; false if it cannot be written. */
    private static boolean append(BufferedWriter log, String line) {
        try {
            log.write(line);
            log.newLine();
            log.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Forgets the dead child and waits for its last output to reach the log file. */
    private void reap() {
        RUNNING.remove(process);
        if (pump == null) {
            return;
        }
        try {
            pump.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BrokerStartException failure(String what, Throwable cause) {
        StringBuilder msg =
                new StringBuilder("The ")
                        .append(this)
                        .append(' ')
                        .append(what)
                        .append("; see ")
                        .append(logFile())
                        .append(". Last output:");
        synchronized (tail) {
            tail.forEach(line -> msg.append(System.lineSeparator()).append("  ").append(line));
        }
        return new BrokerStartException(msg.toString(), cause);
    }

    /**
     * Leaves stopping this broker at JVM shutdown to its owner, who stops it in its own shutdown
     * hook after what depends on it, instead of the safety-net hook stopping it at the same time
     * (JVM shutdown hooks run concurrently). If the owner never does, the child still exits by
     * itself once this JVM is gone.
     */
    public void ownerStopsOnShutdown() {
        // Also for the processes of later restarts.
        ownerStops = true;
        if (process != null) {
            RUNNING.remove(process);
        }
    }

    private static void destroyAll() {
        RUNNING.forEach(p -> p.toHandle().destroy());
        for (Process p : RUNNING) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.toHandle().destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.toHandle().destroyForcibly();
            }
        }
    }
}
