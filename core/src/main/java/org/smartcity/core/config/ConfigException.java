package org.smartcity.core.config;

/** A configuration value that is missing or wrong; the message names the flag and the key. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
