package org.smartcity.simulator;

import static org.smartcity.core.config.ConfigOption.boundingBox;
import static org.smartcity.core.config.ConfigOption.custom;
import static org.smartcity.core.config.ConfigOption.decimal;
import static org.smartcity.core.config.ConfigOption.integer;
import static org.smartcity.core.config.ConfigOption.string;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.smartcity.core.BoundingBox;
import org.smartcity.core.CityArea;
import org.smartcity.core.config.CityConfig;
import org.smartcity.core.config.CityOptions;
import org.smartcity.core.config.ConfigBuilder;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.core.config.MqttConfig;
import org.smartcity.core.config.MqttOptions;
import org.smartcity.core.config.Settings;
import org.smartcity.core.zoning.ZoningOptions;
import org.smartcity.core.zoning.ZoningSpec;

/**
 * The simulator's settings, resolved and validated once at start.
 *
 * <p>Build it from {@link #OPTIONS} with {@link #from(Settings)} (what {@link SimulatorMain} does)
 * or, in tests and embedding code, from flags alone with {@link #parse(String...)}, e.g. {@code
 * SimulatorConfig.parse("--mqtt-url", uri, "--total", "2000", "--fault-malformed", "0.01")}.
 *
 * @param mqttUrl the MQTT 5 broker, e.g. {@code tcp://localhost:1883}
 * @param mqttClientId prefix of the client ids; connection {@code i} is {@code <prefix>-<i>}
 * @param mqttUsername user name, or {@code null}
 * @param mqttPassword password, or {@code null}
 * @param connections MQTT connections that publish on behalf of all sensors; a sensor always uses
 *     the same one, so its messages stay in order unless {@link Fault#OUT_OF_ORDER} says otherwise
 * @param maxInflight unacknowledged QoS 1 messages per connection (also capped by the broker's
 *     receive maximum)
 * @param area the area the bridge accepts: every reading that is not a fault lies inside it
 * @param urbanArea the main urban area, where most sensors stand; must lie inside {@code area}
 * @param timeZone local time of the city, for the daily patterns
 * @param sensors number of sensors, spread over all catalogue metrics
 * @param outerShare share of the sensors placed in the outer districts, outside {@code urbanArea}
 * @param rate readings per second over all sensors (duplicate copies not counted)
 * @param total readings to generate, then stop; 0 for no limit
 * @param duration how long to run (simulated time, which is wall time while the publisher keeps
 *     up), or {@code null} for no limit
 * @param seed seed of every random choice: the same seed and clock give the same messages
 * @param batchSize readings per message; above 1 each message is a gateway's JSON array of one
 *     sensor's buffered readings
 * @param faults the faults to inject
 * @param summaryFile where to write the summary as JSON at the end, or {@code null}
 * @param drainTimeout how long to wait at the end for the broker to acknowledge what was published
 * @param progressInterval how often to log progress; zero for never
 * @param scenario a scripted event ({@code --scenario}), or {@link Scenario#NONE}
 * @param backfill how far back to publish history before going live ({@code --backfill}), or {@code
 *     null} for none; see {@link MessageGenerator}
 * @param backfillInterval how often each backfilled sensor reads in the history
 * @param scenarioMinute how long one minute of the scenario's script lasts ({@code
 *     --scenario-minute}): one minute, or less for rehearsals and tests
 * @param zoning the districts, as the job's {@code --zoning-*} flags give them: the {@code outage}
 *     scenario silences one of them
 */
public record SimulatorConfig(
        String mqttUrl,
        String mqttClientId,
        String mqttUsername,
        String mqttPassword,
        int connections,
        int maxInflight,
        CityArea area,
        CityArea urbanArea,
        ZoneId timeZone,
        int sensors,
        double outerShare,
        double rate,
        long total,
        Duration duration,
        long seed,
        int batchSize,
        FaultShares faults,
        Path summaryFile,
        Duration drainTimeout,
        Duration progressInterval,
        Scenario scenario,
        Duration backfill,
        Duration backfillInterval,
        Duration scenarioMinute,
        ZoningSpec zoning) {

    /**
     * Kunming's main urban area (Wuhua, Panlong, Guandu, Xishan, Chenggong), as {@code
     * --city-urban-bbox} writes it (latitude first); ⚠ an estimate.
     */
    public static final String KUNMING_URBAN_BBOX = "24.80,102.60,25.20,102.95";

    static final ConfigOption<String> MQTT_CLIENT_ID =
            string(
                    "mqtt.client-id",
                    null,
                    "prefix of the MQTT client ids, unique per running simulator"
                            + " (default: <mqtt.username>-<process id>, or smartcity-sim-<process"
                            + " id> without a user name)");
    static final ConfigOption<Integer> CONNECTIONS =
            integer(
                    "mqtt.connections",
                    4,
                    1,
                    256,
                    "MQTT connections publishing on behalf of all sensors");
    static final ConfigOption<Integer> MAX_INFLIGHT =
            integer(
                    "mqtt.max-inflight",
                    100,
                    1,
                    65535,
                    "unacknowledged QoS 1 messages per connection (capped by the broker)");
    static final ConfigOption<BoundingBox> URBAN_BBOX =
            boundingBox(
                    "city.urban-bbox",
                    BoundingBox.parseLatLon(KUNMING_URBAN_BBOX),
                    "main urban area inside city.bbox, where most sensors stand, latitude first:"
                            + " minLat,minLon,maxLat,maxLon");
    static final ConfigOption<Integer> SENSORS =
            integer("sensors", 500, 1, 1_000_000, "number of sensors, over all metrics");
    static final ConfigOption<Double> OUTER_SHARE =
            decimal(
                    "sensors.outer-share",
                    0.15,
                    0,
                    1,
                    "share of the sensors in the outer districts, outside city.urban-bbox");
    static final ConfigOption<Double> RATE =
            decimal("rate", 200, 0.001, 1_000_000, "readings per second over all sensors");
    static final ConfigOption<Long> TOTAL =
            custom(
                    "total",
                    "0",
                    "readings to send, then stop (0 = until stopped)",
                    SimulatorConfig::nonNegativeLong);
    static final ConfigOption<Duration> DURATION =
            ConfigOption.duration(
                    "duration", null, "how long to run (default: until stopped or total)");
    static final ConfigOption<Long> SEED =
            custom(
                    "seed",
                    "42",
                    "seed of every random choice; the same seed gives the same readings",
                    SimulatorConfig::anyLong);
    static final ConfigOption<Integer> BATCH_SIZE =
            integer(
                    "batch.size",
                    1,
                    1,
                    1000,
                    "readings per message; above 1 a message is a gateway's JSON array of one"
                            + " sensor's readings");
    static final ConfigOption<String> SUMMARY_FILE =
            string("summary.file", null, "file to write the summary to, as JSON");
    static final ConfigOption<Duration> DRAIN_TIMEOUT =
            ConfigOption.duration(
                    "drain.timeout",
                    "30s",
                    "how long to wait at the end for the broker to acknowledge every message");
    static final ConfigOption<Duration> PROGRESS_INTERVAL =
            ConfigOption.duration(
                    "progress.interval", "10s", "how often to log progress (0s = never)");

    /** One option per fault, {@code --fault-<id>}, in {@link Fault} order. */
    static final ConfigOption<Scenario> SCENARIO =
            ConfigOption.custom(
                    "scenario",
                    Scenario.NONE.id(),
                    "a scripted event from minute 1 after the start, for alerts at known times: "
                            + Scenario.ids(),
                    Scenario::parse);

    static final ConfigOption<Duration> BACKFILL =
            ConfigOption.duration(
                    "backfill",
                    null,
                    "before going live, publish the PM2.5 and PM10 sensors' readings for this"
                            + " long before the start (e.g. 3d, 365d), oldest first and as fast as"
                            + " the broker takes them, over one MQTT connection (which keeps them in"
                            + " order); the bridge's --validation-max-age must cover it");
    static final ConfigOption<Duration> BACKFILL_INTERVAL =
            ConfigOption.duration(
                    "backfill.interval",
                    "1m",
                    "how often each backfilled sensor reads in the history: 1m gives every hour"
                            + " readings in all 60 minutes (an hour is valid from 45, GB"
                            + " 3095-2012)");

    static final ConfigOption<Duration> SCENARIO_MINUTE =
            ConfigOption.duration(
                    "scenario.minute",
                    "1m",
                    "how long one minute of the scenario's script lasts; shorter for rehearsals"
                            + " and tests, with alert rules whose limits are shortened alike");

    static final Map<Fault, ConfigOption<Double>> FAULT_OPTIONS = faultOptions();

    /** Every option, in the order {@code --help} lists them. */
    public static final List<ConfigOption<?>> OPTIONS = options();

    public SimulatorConfig {
        Objects.requireNonNull(mqttUrl, "mqttUrl");
        Objects.requireNonNull(mqttClientId, "mqttClientId");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(urbanArea, "urbanArea");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(scenarioMinute, "scenarioMinute");
        Objects.requireNonNull(zoning, "zoning");
        if (!area.city().equals(urbanArea.city())) {
            throw new IllegalArgumentException("area and urbanArea name different cities");
        }
        if (urbanArea.minLat() < area.minLat()
                || urbanArea.maxLat() > area.maxLat()
                || urbanArea.minLon() < area.minLon()
                || urbanArea.maxLon() > area.maxLon()) {
            throw new IllegalArgumentException(
                    "the urban area "
                            + urbanArea.bbox()
                            + " must lie inside the city area "
                            + area.bbox());
        }
        if (connections < 1 || maxInflight < 1 || sensors < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "connections, maxInflight, sensors and batchSize must be positive");
        }
        if (!(rate > 0) || !(outerShare >= 0 && outerShare <= 1) || total < 0) {
            throw new IllegalArgumentException(
                    "need rate > 0, outerShare in [0, 1] and total >= 0");
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw new IllegalArgumentException("duration must be positive, or null for none");
        }
        Objects.requireNonNull(backfillInterval, "backfillInterval");
        if (backfill != null && (backfill.isZero() || backfill.isNegative())) {
            throw new IllegalArgumentException("backfill must be positive, or null for none");
        }
        if (backfillInterval.compareTo(Duration.ofSeconds(1)) < 0
                || backfillInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("backfill interval must be from 1s to 1h");
        }
        if (scenarioMinute.toMillis() < 1 || scenarioMinute.toMillis() > Scenario.MINUTE) {
            throw new IllegalArgumentException(
                    "the scenario minute must be between 1 ms and one minute");
        }
    }

    /**
     * Builds the configuration from resolved settings.
     *
     * @throws ConfigException naming the flags, when values contradict each other
     */
    public static SimulatorConfig from(Settings s) {
        CityConfig city = CityOptions.from(s);
        CityArea area = city.area();
        CityArea urban = CityArea.of(city.id(), s.get(URBAN_BBOX));
        EnumMap<Fault, Double> shares = new EnumMap<>(Fault.class);
        FAULT_OPTIONS.forEach((fault, option) -> shares.put(fault, s.get(option)));
        FaultShares faults;
        try {
            faults = FaultShares.of(shares);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid fault shares (--fault-*): " + e.getMessage() + ".");
        }
        String clientId = s.getOrNull(MQTT_CLIENT_ID);
        MqttConfig mqtt = MqttOptions.from(s);
        String username = mqtt.username();
        if (clientId == null) {
            // A broker that ties client ids to users (the embedded one: the user name, then '-')
            // accepts this one; without a user name any unique prefix does.
            clientId =
                    (username != null ? username : "smartcity-sim")
                            + "-"
                            + ProcessHandle.current().pid();
        }
        String summaryFile = s.getOrNull(SUMMARY_FILE);
        Duration backfill = s.getOrNull(BACKFILL);
        try {
            return new SimulatorConfig(
                    mqtt.url(),
                    clientId,
                    username,
                    mqtt.password(),
                    // One connection keeps the backfill in event-time order through the broker:
                    // messages of several connections interleave there by up to their windows in
                    // flight, minutes of history at a minute per sensor, and the job counts a
                    // reading more than 5 s behind the newest as late.
                    backfill != null ? 1 : s.get(CONNECTIONS),
                    s.get(MAX_INFLIGHT),
                    area,
                    urban,
                    city.timeZone(),
                    s.get(SENSORS),
                    s.get(OUTER_SHARE),
                    s.get(RATE),
                    s.get(TOTAL),
                    s.getOrNull(DURATION),
                    s.get(SEED),
                    s.get(BATCH_SIZE),
                    faults,
                    summaryFile != null ? Path.of(summaryFile) : null,
                    s.get(DRAIN_TIMEOUT),
                    s.get(PROGRESS_INTERVAL),
                    s.get(SCENARIO),
                    backfill,
                    s.get(BACKFILL_INTERVAL),
                    s.get(SCENARIO_MINUTE),
                    ZoningOptions.spec(s));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "Invalid settings ("
                            + CityOptions.BBOX.flag()
                            + ", "
                            + URBAN_BBOX.flag()
                            + ", "
                            + DURATION.flag()
                            + ", "
                            + BACKFILL.flag()
                            + ", "
                            + BACKFILL_INTERVAL.flag()
                            + ", "
                            + SCENARIO_MINUTE.flag()
                            + "): "
                            + e.getMessage());
        }
    }

    /**
     * The configuration given by flags alone (no environment, no file), defaults for the rest.
     *
     * @throws ConfigException when a flag or value is wrong
     */
    public static SimulatorConfig parse(String... flags) {
        return from(Settings.fromFlags(OPTIONS, flags));
    }

    /** A simulator configured in code, the defaults for what is not set: for embedding. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sets what an embedding program decides (the broker and login, how busy the city is) as typed
     * values; {@link #build()} checks them as a start from flags would.
     */
    public static final class Builder extends ConfigBuilder<SimulatorConfig, Builder>
            implements MqttOptions.Setter<Builder>, CityOptions.Setter<Builder> {

        private Builder() {
            super(OPTIONS, SimulatorConfig::from);
        }

        /** Readings per second over all sensors. */
        public Builder rate(double readingsPerSecond) {
            return put(RATE, readingsPerSecond);
        }

        public Builder sensors(int sensors) {
            return put(SENSORS, sensors);
        }

        /**
         * Publishes this much history before going live (see {@code --backfill}); {@code null} for
         * none.
         */
        public Builder backfill(Duration backfill) {
            if (backfill != null) {
                settings.put(BACKFILL, backfill);
            }
            return this;
        }
    }

    /** The city id, as in the MQTT topics. */
    public String city() {
        return area.city();
    }

    /** Masks the password, as the start-up log must. */
    @Override
    public String toString() {
        return "SimulatorConfig[mqttUrl="
                + mqttUrl
                + ", mqttClientId="
                + mqttClientId
                + ", mqttUsername="
                + mqttUsername
                + ", mqttPassword="
                + (mqttPassword == null ? null : "****")
                + ", connections="
                + connections
                + ", maxInflight="
                + maxInflight
                + ", area="
                + area
                + ", urbanArea="
                + urbanArea
                + ", timeZone="
                + timeZone
                + ", sensors="
                + sensors
                + ", outerShare="
                + outerShare
                + ", rate="
                + rate
                + ", total="
                + total
                + ", duration="
                + duration
                + ", seed="
                + seed
                + ", batchSize="
                + batchSize
                + ", faults="
                + faults
                + ", summaryFile="
                + summaryFile
                + ", drainTimeout="
                + drainTimeout
                + ", progressInterval="
                + progressInterval
                + ", backfill="
                + backfill
                + ", backfillInterval="
                + backfillInterval
                + "]";
    }

    private static Map<Fault, ConfigOption<Double>> faultOptions() {
        EnumMap<Fault, ConfigOption<Double>> options = new EnumMap<>(Fault.class);
        for (Fault f : Fault.values()) {
            String of =
                    switch (f.scope()) {
                        case READING -> "readings";
                        case MESSAGE -> "messages";
                        case SENSOR -> "sensors";
                    };
            String effect =
                    f.expectedRejection()
                            .map(reason -> " (rejected as " + reason + ")")
                            .orElse(" (accepted)");
            options.put(
                    f,
                    decimal(
                            "fault." + f.id(),
                            0,
                            0,
                            1,
                            "share of the " + of + " that are " + describe(f) + effect));
        }
        return Collections.unmodifiableMap(options);
    }

    private static String describe(Fault f) {
        return switch (f) {
            case MALFORMED -> "malformed";
            case OUT_OF_RANGE -> "out of range";
            case WRONG_UNIT -> "in a wrong unit";
            case LATE -> "late by minutes to hours";
            case DUPLICATE -> "published twice";
            case OUT_OF_ORDER -> "sent after the sensor's next message";
            case SILENT_SENSOR -> "silent after their first message";
        };
    }

    private static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all =
                new ArrayList<>(
                        List.of(
                                MqttOptions.URL,
                                MQTT_CLIENT_ID,
                                MqttOptions.USERNAME,
                                MqttOptions.PASSWORD,
                                CONNECTIONS,
                                MAX_INFLIGHT,
                                CityOptions.ID,
                                CityOptions.BBOX,
                                URBAN_BBOX,
                                CityOptions.TIMEZONE,
                                SENSORS,
                                OUTER_SHARE,
                                RATE,
                                TOTAL,
                                DURATION,
                                SEED,
                                BATCH_SIZE));
        all.addAll(FAULT_OPTIONS.values());
        all.addAll(
                List.of(
                        SUMMARY_FILE,
                        DRAIN_TIMEOUT,
                        PROGRESS_INTERVAL,
                        SCENARIO,
                        SCENARIO_MINUTE,
                        BACKFILL,
                        BACKFILL_INTERVAL));
        all.addAll(ZoningOptions.OPTIONS);
        return List.copyOf(all);
    }

    private static long nonNegativeLong(String s) {
        long v = anyLong(s);
        if (v < 0) {
            throw new IllegalArgumentException("expected a non-negative integer");
        }
        return v;
    }

    private static long anyLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer");
        }
    }
}
