package org.smartcity.core.config;

/**
 * Window options that more than one runnable reads: the aggregation job applies the allowed
 * lateness to its windows, and the dashboard uses it to mark indicator periods provisional while
 * late readings may still correct them.
 */
public final class WindowOptions {

    public static final ConfigOption<java.time.Duration> ALLOWED_LATENESS =
            ConfigOption.duration(
                    "window.allowed-lateness",
                    "10m",
                    "how long after its end a window is still corrected by late readings");

    private WindowOptions() {}
}
