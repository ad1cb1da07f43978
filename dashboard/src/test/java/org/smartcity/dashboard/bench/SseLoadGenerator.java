package org.smartcity.dashboard.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.smartcity.core.bench.BenchMachine;

/**
 * Clients of {@code /api/live/stream} in a JVM of their own, as a load generator: a real stream's
 * clients (browsers) run elsewhere, so their CPU (decoding HTTP, reading the body) must neither be
 * counted as the server's nor share its heap and garbage collector. Still on the same machine (and
 * cores) as the server, as issue 10's benchmark asks.
 *
 * <p>{@link #start} launches {@link #main} with this JVM's class path; the child opens {@code N}
 * {@link SseClient#counting counting} clients of a URL, prints {@code connected}, and then answers
 * each {@code count} line on its stdin with the {@code aggregate} events each client has received
 * (space-separated), until {@code exit} or the end of its stdin.
 */
final class SseLoadGenerator implements AutoCloseable {
    /** Heap of the client JVM: the counting clients keep nothing per event. */
    private static final String HEAP = "-Xmx256m";

    private final Process process;
    private final BufferedReader answers;
    private final BufferedWriter commands;

    private SseLoadGenerator(Process process) {
        this.process = process;
        this.answers =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands =
                new BufferedWriter(
                        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code clients} clients of {@code url} in a new JVM; returns once all connected. */
    static SseLoadGenerator start(String url, int clients) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p =
                new ProcessBuilder(
                                java,
                                HEAP,
                                "-cp",
                                System.getProperty("java.class.path"),
                                SseLoadGenerator.class.getName(),
                                url,
                                Integer.toString(clients))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        SseLoadGenerator g = new SseLoadGenerator(p);
        String first = g.answers.readLine();
        if (!"connected".equals(first)) {
            g.close();
            throw new IOException("SSE load generator did not connect: " + first);
        }
        return g;
    }

    /** The {@code aggregate} events each client has received so far. */
    synchronized long[] counts() throws IOException {
        commands.write("count\n");
        commands.flush();
        String line = answers.readLine();
        if (line == null) {
            throw new IOException("SSE load generator ended");
        }
        String[] fields = line.trim().split(" ");
        long[] counts = new long[fields.length];
        for (int i = 0; i < fields.length; i++) {
            counts[i] = Long.parseLong(fields[i]);
        }
        return counts;
    }

    /** CPU time of the client JVM so far. */
    long cpuNanos() {
        return BenchMachine.cpuNanos(process.toHandle());
    }

    @Override
    public void close() {
        try {
            commands.write("exit\n");
            commands.flush();
        } catch (IOException e) {
            // Ended already.
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The client JVM: {@code URL N}; see the class comment. */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int n = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<SseClient> clients = new ArrayList<>();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < n; i++) {
            clients.add(SseClient.counting(http, url, "sse-client-" + i));
        }
        out.println("connected");
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.equals("exit"); ) {
            StringBuilder counts = new StringBuilder();
            for (SseClient c : clients) {
                counts.append(c.events()).append(' ');
            }
            out.println(counts.toString().trim());
        }
        clients.forEach(SseClient::close);
        // The HttpClient's threads would keep the JVM alive.
        System.exit(0);
    }
}
