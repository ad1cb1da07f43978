package org.smartcity.core.config;

/** A configuration value that is missing or wrong; the message names the flag and the key. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /**
     * A value of {@code option} that its parser accepts but the runnable does not (a range, a
     * relation to other values): {@code Invalid value for <flag>: <problem>}, the one wording of
     * such checks in every runnable's {@code from(Settings)}.
     *
     * @param problem what is wrong or what is expected, not a secret (it is printed as it is)
     */
    public static ConfigException invalidValue(ConfigOption<?> option, String problem) {
        return new ConfigException("Invalid value for " + option.flag() + ": " + problem);
    }
}
