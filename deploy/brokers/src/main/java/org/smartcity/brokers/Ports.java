package org.smartcity.brokers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** TCP port checks done before a broker is spawned. JDK only. */
final class Ports {

    private Ports() {}

    /** A port that is free on {@code host} right now (the OS's choice). */
    static int pickFree(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + host, e);
        }
    }

    /**
     * Throws {@link PortInUseException} unless a listener could bind {@code host:port} now. Binds
     * with SO_REUSEADDR, as the brokers' NIO server sockets do, so connections of a just-killed
     * broker lingering in TIME_WAIT do not count as "in use" but any live listener on the port (on
     * this address, or on the wildcard address) does.
     */
    static void requireFree(String host, int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new PortInUseException(port, host, what, e);
        }
    }
}
