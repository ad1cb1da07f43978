package org.smartcity.dashboard;

import static org.smartcity.core.config.ConfigOption.duration;
import static org.smartcity.core.config.ConfigOption.durations;
import static org.smartcity.core.config.ConfigOption.port;
import static org.smartcity.core.config.ConfigOption.string;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.smartcity.core.CityArea;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.config.CityConfig;
import org.smartcity.core.config.CityOptions;
import org.smartcity.core.config.ConfigBuilder;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.core.config.KafkaConfig;
import org.smartcity.core.config.KafkaOptions;
import org.smartcity.core.config.Settings;
import org.smartcity.core.http.HttpService;
import org.smartcity.core.indicators.IndicatorConfig;
import org.smartcity.core.indicators.IndicatorOptions;
import org.smartcity.core.zoning.ZoningOptions;
import org.smartcity.core.zoning.ZoningSpec;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoreOptions;

/**
 * The dashboard's settings, resolved once at start. The store, city, zoning and Kafka settings are
 * the same options the aggregation job reads ({@link StoreOptions}, {@link CityOptions}, {@link
 * ZoningOptions}, {@link KafkaOptions}), so one value means the same thing for both.
 *
 * @param httpBind address the page and the APIs listen on ({@code 127.0.0.1}: this machine only;
 *     {@code 0.0.0.0}: every interface, e.g. for a presenter's screen on the LAN)
 * @param httpPort port of the page and the APIs (0: any free port)
 * @param kafka the Kafka cluster (readings and dead-letter topics, live layer) and its topic names
 * @param history the history store; empty for none
 * @param live the live layer; empty for none
 * @param zoning the zones, for zone names, district outlines and the map's extent
 * @param city the city: its id, bounding box and time zone
 * @param windowLengths window lengths the job aggregates over, shortest first
 * @param silentAfter after how long without a reading a sensor counts as silent
 * @param tileUrl a map tile URL template for the page ({@code https://.../{z}/{x}/{y}.png}), or
 *     null for none (the page then draws zones on a plain background)
 * @param publicUrl the base URL clients reach the dashboard at, for every link in the API documents
 *     ({@code https://maps.example.org}); null to derive it from each request's {@code
 *     X-Forwarded-Proto}/{@code X-Forwarded-Host} or {@code Host}
 * @param indicators how the indicators collection computes its rows
 */
public record DashboardConfig(
        String httpBind,
        int httpPort,
        KafkaConfig kafka,
        Optional<StoreConfig> history,
        Optional<StoreConfig> live,
        ZoningSpec zoning,
        CityConfig city,
        List<String> windowLengths,
        Duration silentAfter,
        String tileUrl,
        String publicUrl,
        IndicatorConfig indicators) {

    static final ConfigOption<String> HTTP_BIND =
            string(
                    "http.bind",
                    HttpService.LOOPBACK,
                    "address the dashboard listens on (0.0.0.0: every interface, e.g. for a"
                            + " screen on the LAN; the default serves this machine only)");
    static final ConfigOption<String> PUBLIC_URL =
            string(
                    "public-url",
                    "",
                    "base URL clients reach the dashboard at, used in every link of the API"
                            + " (e.g. https://maps.example.org behind a proxy; empty: from each"
                            + " request's X-Forwarded-Proto/X-Forwarded-Host or Host)");
    static final ConfigOption<Integer> HTTP_PORT =
            port("http.port", 8080, true, "port of the dashboard page and APIs (0: any free)");
    static final ConfigOption<List<Duration>> WINDOW_LENGTHS =
            durations(
                    "window.lengths",
                    "1m,15m,1h,1d",
                    "window lengths the aggregation job uses, comma-separated (offered by the"
                            + " page)");
    static final ConfigOption<Duration> SILENT_AFTER =
            duration(
                    "dashboard.silent-after",
                    "2m",
                    "after how long without a reading a sensor is shown as silent");
    static final ConfigOption<String> TILE_URL =
            string(
                    "dashboard.tile-url",
                    "",
                    "map tile URL template for the page, e.g."
                            + " https://tile.example.org/{z}/{x}/{y}.png (empty: no base map)");

    /** Every option, in the order {@code --help} lists them. */
    public static final List<ConfigOption<?>> OPTIONS;

    static {
        List<ConfigOption<?>> all = new ArrayList<>();
        all.add(HTTP_BIND);
        all.add(HTTP_PORT);
        all.addAll(KafkaOptions.OPTIONS);
        all.add(PUBLIC_URL);
        all.add(StoreOptions.HISTORY);
        all.add(StoreOptions.HISTORY_LAYOUT);
        all.add(StoreOptions.LIVE_CATALOG);
        all.addAll(CityOptions.OPTIONS);
        all.addAll(ZoningOptions.OPTIONS);
        all.add(WINDOW_LENGTHS);
        all.add(SILENT_AFTER);
        all.add(TILE_URL);
        all.addAll(IndicatorOptions.OPTIONS);
        OPTIONS = List.copyOf(all);
    }

    /**
     * Builds the configuration from resolved settings.
     *
     * @throws ConfigException naming the flag, when values do not fit together
     */
    public static DashboardConfig from(Settings s) {
        List<String> lengths = new ArrayList<>();
        for (Duration d : s.get(WINDOW_LENGTHS).stream().sorted().distinct().toList()) {
            if (d.isZero() || d.toNanos() % 1_000_000 != 0) {
                throw ConfigException.invalidValue(
                        WINDOW_LENGTHS,
                        "a window length must be a positive whole number of milliseconds, got "
                                + d);
            }
            lengths.add(ZoneAggregate.windowLabel(d.toMillis()));
        }
        if (s.get(SILENT_AFTER).isZero()) {
            throw ConfigException.invalidValue(SILENT_AFTER, "must be longer than 0");
        }
        String tileUrl = s.get(TILE_URL).trim();
        ZoningSpec zoning = ZoningOptions.spec(s);
        KafkaConfig kafka = KafkaOptions.from(s);
        String bind = s.get(HTTP_BIND).trim();
        if (bind.isEmpty()) {
            throw ConfigException.invalidValue(
                    HTTP_BIND, "an address such as 127.0.0.1 or 0.0.0.0, got nothing");
        }
        return new DashboardConfig(
                bind,
                s.get(HTTP_PORT),
                kafka,
                StoreOptions.history(s),
                StoreOptions.live(kafka.bootstrap(), s.get(StoreOptions.LIVE_CATALOG)),
                zoning,
                CityOptions.from(s),
                List.copyOf(lengths),
                s.get(SILENT_AFTER),
                tileUrl.isEmpty() ? null : tileUrl,
                publicUrl(s.get(PUBLIC_URL)),
                IndicatorOptions.from(s));
    }

    /**
     * {@code --public-url}: empty for none, else an absolute http or https URL with a host and
     * neither query nor fragment (every link is this base plus a path).
     */
    private static String publicUrl(String value) {
        String url = value.trim();
        if (url.isEmpty()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalidPublicUrl("not a URL (" + e.getReason() + ")", url);
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw invalidPublicUrl("the scheme must be http or https", url);
        }
        if (uri.getHost() == null) {
            throw invalidPublicUrl("no host name", url);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalidPublicUrl("a base URL has no query or fragment", url);
        }
        return url;
    }

    private static ConfigException invalidPublicUrl(String reason, String url) {
        return ConfigException.invalidValue(
                PUBLIC_URL,
                reason
                        + "; expected an http or https URL such as https://maps.example.org, got "
                        + url);
    }

    /**
     * The configuration given by command-line flags over the defaults (environment and files
     * ignored): for embedding the dashboard in the local platform and in tests.
     *
     * @throws ConfigException naming a wrong flag
     */
    public static DashboardConfig fromFlags(String... flags) {
        return from(Settings.fromFlags(OPTIONS, flags));
    }

    /** A dashboard configured in code, the defaults for what is not set: for embedding. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Kafka bootstrap servers. */
    public String kafkaBootstrap() {
        return kafka.bootstrap();
    }

    /** The city's area. */
    public CityArea cityArea() {
        return city.area();
    }

    /**
     * Sets what an embedding program decides (where it listens, Kafka, the stores) as typed values;
     * {@link #build()} checks them as a start from flags would.
     */
    public static final class Builder extends ConfigBuilder<DashboardConfig, Builder>
            implements KafkaOptions.Setter<Builder>,
                    CityOptions.Setter<Builder>,
                    StoreOptions.Setter<Builder> {

        private Builder() {
            super(OPTIONS, DashboardConfig::from);
        }

        /** The address the page and the APIs listen on. */
        public Builder httpBind(String address) {
            return put(HTTP_BIND, address);
        }

        /** The port of the page and the APIs, 0 for any free one. */
        public Builder httpPort(int port) {
            return put(HTTP_PORT, port);
        }
    }
}
