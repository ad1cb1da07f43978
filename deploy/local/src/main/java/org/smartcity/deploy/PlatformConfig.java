package org.smartcity.deploy;

import static org.smartcity.core.config.ConfigOption.bool;
import static org.smartcity.core.config.ConfigOption.duration;
import static org.smartcity.core.config.ConfigOption.integer;
import static org.smartcity.core.config.ConfigOption.port;
import static org.smartcity.core.config.ConfigOption.string;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.core.config.MqttOptions;
import org.smartcity.core.config.Settings;
import org.smartcity.core.http.HttpService;
import org.smartcity.core.validation.ValidationPolicy;

/**
 * Settings of the local platform ({@code ./smartcity demo}): its ports, the address the dashboard
 * listens on, where its data lives, and how busy the simulated city is.
 *
 * @param backfill history the simulated city publishes before going live ({@code --backfill}), or
 *     {@code null}; the demo's bridge then accepts readings that old ({@link #bridgeMaxAge()})
 * @param stateChangelog whether the job's state is kept with Flink's changelog ({@code
 *     --state-changelog})
 */
public record PlatformConfig(
        int mqttPort,
        int kafkaPort,
        int httpPort,
        int ingestHttpPort,
        String bind,
        Path dataDir,
        int rate,
        int sensors,
        String mqttUrl,
        boolean mqttAllowAnonymous,
        Duration backfill,
        boolean stateChangelog) {

    /**
     * The demo bridge's margin beyond the backfill for a reading's age: readings of the backfill
     * are published oldest first as fast as the pipeline takes them, so the oldest is about the
     * backfill old when it arrives; a day covers a broker that held messages meanwhile.
     */
    static final Duration BACKFILL_AGE_MARGIN = Duration.ofDays(1);

    static final ConfigOption<Integer> MQTT_PORT =
            port("mqtt.port", 1883, false, "port of the embedded MQTT 5 broker");
    static final ConfigOption<Integer> KAFKA_PORT =
            port("kafka.port", 9092, false, "port of the embedded Kafka broker");
    static final ConfigOption<Integer> HTTP_PORT =
            port(
                    "http.port",
                    8080,
                    false,
                    "port of the dashboard: live map, OGC API - Features, /metrics, /health");
    static final ConfigOption<Integer> INGEST_HTTP_PORT =
            port(
                    "ingest.http-port",
                    8081,
                    true,
                    "port of the bridge's /metrics and /health (0 = off)");
    static final ConfigOption<String> BIND =
            string(
                    "bind",
                    HttpService.LOOPBACK,
                    "address the dashboard listens on: 0.0.0.0 (or this machine's LAN address)"
                            + " to show it on other screens; the brokers, the bridge and Flink"
                            + " always listen on 127.0.0.1 only");
    static final ConfigOption<String> DATA_DIR =
            string(
                    "data.dir",
                    "data",
                    "directory of the brokers' data, the GeoMesa stores and the job's checkpoints;"
                            + " kept across restarts (delete it to start afresh)");
    static final ConfigOption<Integer> RATE =
            integer(
                    "rate",
                    200,
                    0,
                    1_000_000,
                    "readings per second the simulated city publishes (0 = no simulator)");
    static final ConfigOption<Integer> SENSORS =
            integer("sensors", 500, 1, 1_000_000, "simulated sensors");

    /** The bridge's and the simulator's {@code --mqtt-url}; unset, the platform starts one. */
    static final ConfigOption<String> MQTT_URL =
            MqttOptions.URL.withDefault(
                    null,
                    "use this MQTT 5 broker (e.g. tcp://localhost:1883) instead of starting one");

    static final ConfigOption<Boolean> MQTT_ALLOW_ANONYMOUS =
            bool(
                    "mqtt.allow-anonymous",
                    false,
                    "let MQTT clients in without a user name, with every right (publish as any"
                            + " sensor, read the bridge's readings): for a quick trial on a machine"
                            + " nobody else reaches; logged as a warning");

    static final ConfigOption<Duration> BACKFILL =
            duration(
                    "backfill",
                    null,
                    "before going live, the simulated city publishes the PM2.5 and PM10 sensors'"
                            + " readings (one a minute each) for this long before the start, e.g."
                            + " 3d or 365d, through the whole pipeline; the demo's bridge then"
                            + " accepts readings that old");

    static final ConfigOption<Boolean> STATE_CHANGELOG =
            bool(
                    "state.changelog",
                    LocalFlinkJob.DEFAULT_CHANGELOG,
                    "keep the aggregation job's state with Flink's changelog: a checkpoint writes"
                            + " only what changed, so exactly-once alerts wait less; false: a full"
                            + " snapshot of the state at every checkpoint (either restores the"
                            + " other's state)");

    /** Every option, in the order {@code --help} lists them. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    MQTT_PORT,
                    KAFKA_PORT,
                    HTTP_PORT,
                    INGEST_HTTP_PORT,
                    BIND,
                    DATA_DIR,
                    RATE,
                    SENSORS,
                    MQTT_URL,
                    MQTT_ALLOW_ANONYMOUS,
                    BACKFILL,
                    STATE_CHANGELOG);

    public static PlatformConfig from(Settings s) {
        return new PlatformConfig(
                s.get(MQTT_PORT),
                s.get(KAFKA_PORT),
                s.get(HTTP_PORT),
                s.get(INGEST_HTTP_PORT),
                bindAddress(s.get(BIND)),
                Path.of(s.get(DATA_DIR)).toAbsolutePath(),
                s.get(RATE),
                s.get(SENSORS),
                s.getOrNull(MQTT_URL),
                s.get(MQTT_ALLOW_ANONYMOUS),
                s.getOrNull(BACKFILL),
                s.get(STATE_CHANGELOG));
    }

    /**
     * How old a reading the demo's bridge accepts: the bridge's default, or with a backfill that
     * covers it, the backfill plus {@link #BACKFILL_AGE_MARGIN}.
     */
    public Duration bridgeMaxAge() {
        Duration def = ValidationPolicy.DEFAULT_MAX_AGE;
        if (backfill == null) {
            return def;
        }
        Duration needed = backfill.plus(BACKFILL_AGE_MARGIN);
        return needed.compareTo(def) > 0 ? needed : def;
    }

    private static String bindAddress(String bind) {
        try {
            InetAddress.getByName(bind);
            return bind;
        } catch (UnknownHostException e) {
            throw new ConfigException(
                    BIND.flag()
                            + ": '"
                            + bind
                            + "' is neither an IP address nor a known host name");
        }
    }

    /** Whether the platform starts its own MQTT broker. */
    public boolean embeddedMqtt() {
        return mqttUrl == null;
    }
}
