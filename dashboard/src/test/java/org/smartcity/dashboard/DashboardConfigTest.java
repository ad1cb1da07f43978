package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.smartcity.core.CityArea;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.KafkaConfig;
import org.smartcity.core.config.Settings;
import org.smartcity.core.zoning.ZoningSpec;
import org.smartcity.store.StoreConfig;

class DashboardConfigTest {

    @Test
    void defaults() {
        DashboardConfig c = DashboardConfig.fromFlags();

        assertThat(c.httpBind()).as("this machine only").isEqualTo("127.0.0.1");
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.kafkaBootstrap()).isEqualTo("localhost:9092");
        assertThat(c.history()).contains(StoreConfig.FileSystem.parquet("data/history"));
        assertThat(c.live()).contains(StoreConfig.Kafka.local("localhost:9092", "smartcity-live"));
        assertThat(c.zoning().cityId()).isEqualTo("kunming");
        assertThat(c.zoning().districts()).isEqualTo(ZoningSpec.KUNMING_DISTRICTS);
        assertThat(c.zoning().h3Resolution()).isEqualTo(8);
        assertThat(c.cityArea()).isEqualTo(CityArea.KUNMING);
        assertThat(c.windowLengths()).containsExactly("1m", "15m", "1h", "1d");
        assertThat(c.silentAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.tileUrl()).isNull();
    }

    @Test
    void flagsAndEnvironmentVariables() {
        DashboardConfig c =
                DashboardConfig.from(
                        Settings.load(
                                DashboardConfig.OPTIONS,
                                List.of(
                                        "--http-port", "0",
                                        "--store-history", "none",
                                        "--window-lengths", "1h,30s,5m",
                                        "--zoning-districts", "none"),
                                Map.of(
                                        "SMARTCITY_HTTP_BIND", "0.0.0.0",
                                        "SMARTCITY_KAFKA_BOOTSTRAP", "k1:9092",
                                        "SMARTCITY_STORE_LIVE_CATALOG", "live-2",
                                        "SMARTCITY_DASHBOARD_SILENT_AFTER", "90s",
                                        "SMARTCITY_DASHBOARD_TILE_URL",
                                                "https://tiles.example.org/{z}/{x}/{y}.png")));

        assertThat(c.httpBind()).isEqualTo("0.0.0.0");
        assertThat(c.httpPort()).isZero();
        assertThat(DashboardConfig.fromFlags("--http-bind", "192.168.1.20").httpBind())
                .isEqualTo("192.168.1.20");
        assertThat(c.history()).isEqualTo(Optional.empty());
        assertThat(c.live()).contains(StoreConfig.Kafka.local("k1:9092", "live-2"));
        assertThat(c.windowLengths()).as("shortest first").containsExactly("30s", "5m", "1h");
        assertThat(c.zoning().districts()).isNull();
        assertThat(c.silentAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.tileUrl()).isEqualTo("https://tiles.example.org/{z}/{x}/{y}.png");
    }

    @Test
    void badValuesNameTheFlag() {
        assertThatThrownBy(() -> DashboardConfig.fromFlags("--http-port", "70000"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Invalid value '70000' for --http-port (flag): expected an integer from 0"
                                + " to 65535");
        assertThatThrownBy(() -> DashboardConfig.fromFlags("--window-lengths", "1m,0s"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Invalid value for --window-lengths: a window length must be a positive"
                                + " whole number of milliseconds, got PT0S");
        assertThatThrownBy(() -> DashboardConfig.fromFlags("--dashboard-silent-after", "0s"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value for --dashboard-silent-after: must be longer than 0");
        assertThatThrownBy(() -> DashboardConfig.fromFlags("--store-live-catalog", "a b"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value 'a b' for --store-live-catalog (flag)");
    }

    @Test
    void theSharedGroupsReachTheConfig() {
        DashboardConfig c =
                DashboardConfig.fromFlags(
                        "--kafka-readings-topic", "north.readings",
                        "--kafka-rejected-topic", "north.rejected",
                        "--city-timezone", "Europe/Paris");

        assertThat(c.kafka().readingsTopic()).isEqualTo("north.readings");
        assertThat(c.kafka().rejectedTopic()).isEqualTo("north.rejected");
        assertThat(c.city().timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(DashboardConfig.fromFlags().city().timeZone())
                .isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(DashboardConfig.OPTIONS)
                .extracting(o -> o.key())
                .doesNotHaveDuplicates()
                .contains("kafka.readings-topic", "kafka.rejected-topic", "city.timezone");
    }

    @Test
    void aDashboardConfiguredInCodeChecksAsOneFromFlags() {
        KafkaConfig kafka = KafkaConfig.withDefaultTopics("k1:9092");

        DashboardConfig c =
                DashboardConfig.builder()
                        .httpBind("0.0.0.0")
                        .httpPort(0)
                        .kafka(kafka)
                        .history(Optional.empty())
                        .liveCatalog("live-2")
                        .build();

        assertThat(c.httpBind()).isEqualTo("0.0.0.0");
        assertThat(c.httpPort()).isZero();
        assertThat(c.kafka()).isEqualTo(kafka);
        assertThat(c.history()).isEmpty();
        assertThat(c.live()).contains(StoreConfig.Kafka.local("k1:9092", "live-2"));
        assertThat(c.cityArea()).isEqualTo(CityArea.KUNMING);
        assertThatThrownBy(() -> DashboardConfig.builder().httpBind(" ").build())
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Invalid value for --http-bind: an address such as 127.0.0.1 or 0.0.0.0,"
                                + " got nothing");
    }

    @Test
    void thePublicUrlIsAnHttpBaseUrl() {
        assertThat(DashboardConfig.fromFlags().publicUrl()).isNull();
        assertThat(
                        DashboardConfig.fromFlags(
                                        "--public-url", " https://maps.example.org/city/ ")
                                .publicUrl())
                .isEqualTo("https://maps.example.org/city/");
        assertThat(DashboardConfig.fromFlags("--public-url", "http://10.0.0.7:8080").publicUrl())
                .isEqualTo("http://10.0.0.7:8080");

        String expected = "; expected an http or https URL such as https://maps.example.org, got ";
        assertThatThrownBy(() -> DashboardConfig.fromFlags("--public-url", "maps.example.org"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Invalid value for --public-url: the scheme must be http or https"
                                + expected
                                + "maps.example.org");
        assertThatThrownBy(() -> DashboardConfig.fromFlags("--public-url", "ftp://example.org"))
                .hasMessage(
                        "Invalid value for --public-url: the scheme must be http or https"
                                + expected
                                + "ftp://example.org");
        assertThatThrownBy(() -> DashboardConfig.fromFlags("--public-url", "https:///city"))
                .hasMessage(
                        "Invalid value for --public-url: no host name"
                                + expected
                                + "https:///city");
        assertThatThrownBy(
                        () -> DashboardConfig.fromFlags("--public-url", "https://example.org/?a=1"))
                .hasMessage(
                        "Invalid value for --public-url: a base URL has no query or fragment"
                                + expected
                                + "https://example.org/?a=1");
        assertThatThrownBy(() -> DashboardConfig.fromFlags("--public-url", "https://exa mple.org"))
                .hasMessage(
                        "Invalid value for --public-url: not a URL (Illegal character in"
                                + " authority)"
                                + expected
                                + "https://exa mple.org");
    }
}
