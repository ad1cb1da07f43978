package org.smartcity.brokers;

/**
 * The port a broker was asked to listen on is already taken. Thrown before any process is spawned;
 * the message names the port, and callers add which flag or variable set it.
 */
public class PortInUseException extends BrokerStartException {

    private static final long serialVersionUID = 1L;

    private final int port;

    public PortInUseException(int port, String host, String what, Throwable cause) {
        super(
                "Port "
                        + port
                        + " on "
                        + host
                        + " is already in use, so the "
                        + what
                        + " cannot listen there",
                cause);
        this.port = port;
    }

    /** The port that was taken. */
    public int port() {
        return port;
    }
}
