package org.smartcity.core.config;

import java.util.regex.Pattern;

/**
 * The MQTT broker a runnable connects to and the login it uses: the typed value of {@link
 * MqttOptions}, validated when made. Its {@link #toString()} masks the password.
 *
 * @param url the broker, {@code tcp://host:port} (or {@code ssl://}, {@code ws://}, {@code wss://})
 * @param username the user name, or {@code null} for an anonymous connection
 * @param password the password, or {@code null}
 */
public record MqttConfig(String url, String username, String password) {

    /** The URL schemes Paho connects with. */
    private static final Pattern BROKER_URL = Pattern.compile("(tcp|ssl|ws|wss)://[^/\\s]+.*");

    public MqttConfig {
        checkUrl(url);
    }

    /** An anonymous connection to {@code url}. */
    public static MqttConfig anonymous(String url) {
        return new MqttConfig(url, null, null);
    }

    /**
     * Checks a broker URL.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    static String checkUrl(String url) {
        if (url == null || !BROKER_URL.matcher(url).matches()) {
            throw new IllegalArgumentException(
                    "expected a broker URL such as tcp://localhost:1883 (or ssl://, ws://, wss://)");
        }
        return url;
    }

    @Override
    public String toString() {
        return "MqttConfig[url="
                + Secrets.mask(url)
                + ", username="
                + username
                + ", password="
                + (password == null ? null : Secrets.MASK)
                + "]";
    }
}
