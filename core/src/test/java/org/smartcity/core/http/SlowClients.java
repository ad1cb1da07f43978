package org.smartcity.core.http;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A client that sends part of a request, or nothing, and waits: how long the server keeps such a
 * connection is what guards it against slow-loris clients. Shared by the HTTP service's tests and
 * the dashboard's fuzz test.
 */
public final class SlowClients {
    private SlowClients() {}

    /**
     * Seconds until the server closes a connection on which only {@code sent} (ASCII) was written,
     * rounded; a reset counts as closed. Gives up after a minute of silence.
     */
    public static long secondsUntilClosed(int port, String sent) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            try {
                s.getInputStream().readAllBytes();
            } catch (SocketException e) {
                // reset by the server: closed as well
            }
            return Math.round((System.nanoTime() - t0) / 1e9);
        }
    }
}
