package org.smartcity.brokers;

/**
 * A broker process could not be started or did not report ready in time. The message carries the
 * last lines of the broker's output, so it is enough to diagnose most failures without opening the
 * log file it names.
 */
public class BrokerStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrokerStartException(String message) {
        super(message);
    }

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
