package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.config.CityOptions;
import org.smartcity.core.http.HttpService;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.Zoning;

/**
 * {@code ./smartcity demo --backfill 3d} as a test: the local platform's own simulated city (18
 * sensors, 5 of them PM2.5 or PM10) publishes three days of history, then goes live, through the
 * whole pipeline (MQTT, bridge, Kafka, job, history store). The {@code indicators} collection then
 * holds, for every local day the backfill covers whole, exactly the rows a plain computation over
 * the readings the simulator reported sending gives (GB 3095-2012: an hour is valid with readings
 * in 45 of its minutes, a day with 20 valid hours; a district's day is the mean of its valid hourly
 * means, the city's the population-weighted mean of its valid districts), districts without sensors
 * included as gaps. The computation here is independent of {@code Sdg1162}.
 */
class BackfillIndicatorsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int MINUTES_FOR_VALID_HOUR = 45; // GB 3095-2012, Table 4
    private static final int HOURS_FOR_VALID_DAY = 20; // GB 3095-2012, Table 4

    @TempDir Path dir;

    /** One expected row's checked fields. */
    record Expected(Double value, boolean valid, int observed, long populationWithData) {}

    @Test
    void fullDaysOfTheBackfillEqualAPlainComputationOverWhatTheSimulatorSent() throws Exception {
        Queue<Reading> sent = new ConcurrentLinkedQueue<>();
        Instant started = Instant.now();
        PlatformConfig config =
                new PlatformConfig(
                        0,
                        0,
                        0,
                        0,
                        HttpService.LOOPBACK,
                        dir.resolve("data"),
                        20,
                        18,
                        null,
                        false,
                        Duration.ofDays(3),
                        LocalFlinkJob.DEFAULT_CHANGELOG);
        ZoneId tz = CityOptions.defaults().timeZone();
        Zoning zoning = Zoning.kunming();
        try (LocalPlatform platform = LocalPlatform.start(config, System.out, sent::add)) {
            await("the simulator live after its backfill")
                    .atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    sent.stream()
                                            .anyMatch(
                                                    r ->
                                                            r.timestampMillis()
                                                                    >= started.toEpochMilli()));
            LocalDate first =
                    Instant.ofEpochMilli(
                                    sent.stream()
                                            .mapToLong(Reading::timestampMillis)
                                            .min()
                                            .orElseThrow())
                            .atZone(tz)
                            .toLocalDate()
                            .plusDays(1);
            LocalDate last = Instant.now().atZone(tz).toLocalDate().minusDays(1);
            assertThat(first).as("at least two whole local days").isBefore(last);
            String url =
                    "http://127.0.0.1:"
                            + platform.dashboardPort()
                            + "/collections/indicators/items?period_kind=day&limit=10000";

            Map<String, Expected> expected = new TreeMap<>();
            Map<String, Expected> actual = new TreeMap<>();
            await("the indicators of the whole days as the readings give them")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptions()
                    .until(
                            () -> {
                                expected.clear();
                                expected.putAll(
                                        expected(List.copyOf(sent), zoning, tz, first, last));
                                actual.clear();
                                actual.putAll(actual(get(url), first, last));
                                return actual.keySet().equals(expected.keySet())
                                        && matches(actual, expected);
                            });

            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            assertThat(expected.keySet())
                    .as("two metrics, the city and 14 districts, every whole day")
                    .hasSize(2 * 15 * (int) (last.toEpochDay() - first.toEpochDay() + 1));
            assertThat(expected.values())
                    .as("districts with a valid day, and districts without sensors as gaps")
                    .anyMatch(e -> e.valid() && e.observed() == 24)
                    .anyMatch(e -> e.value() == null && !e.valid());
            expected.forEach(
                    (id, e) -> {
                        Expected a = actual.get(id);
                        assertThat(a.valid()).as(id + " valid").isEqualTo(e.valid());
                        assertThat(a.observed()).as(id + " observed").isEqualTo(e.observed());
                        assertThat(a.populationWithData())
                                .as(id + " population_with_data")
                                .isEqualTo(e.populationWithData());
                        if (e.value() == null) {
                            assertThat(a.value()).as(id + " value").isNull();
                        } else {
                            assertThat(a.value())
                                    .as(id + " value")
                                    .isCloseTo(e.value(), within(1e-9));
                        }
                    });
        }
    }

    private static boolean matches(Map<String, Expected> actual, Map<String, Expected> expected) {
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            Expected a = actual.get(e.getKey());
            Expected x = e.getValue();
            if (a.valid() != x.valid()
                    || a.observed() != x.observed()
                    || a.populationWithData() != x.populationWithData()
                    || (x.value() == null) != (a.value() == null)
                    || (x.value() != null && Math.abs(a.value() - x.value()) > 1e-9)) {
                return false;
            }
        }
        return true;
    }

    /** The day rows of the collection for the days {@code [first, last]}, by feature id. */
    private static Map<String, Expected> actual(JsonNode page, LocalDate first, LocalDate last) {
        Map<String, Expected> rows = new TreeMap<>();
        for (JsonNode f : page.get("features")) {
            JsonNode p = f.get("properties");
            LocalDate day = LocalDate.parse(p.get("period").asText());
            if (day.isBefore(first) || day.isAfter(last)) {
                continue;
            }
            rows.put(
                    f.get("id").asText(),
                    new Expected(
                            p.get("value").isNull() ? null : p.get("value").asDouble(),
                            p.get("valid").asBoolean(),
                            p.get("observed").asInt(),
                            p.get("population_with_data").asLong()));
        }
        return rows;
    }

    /** Sums of one district's readings in one hour. */
    private static final class Hour {
        double sum;
        long count;
        final Set<Long> minutes = new HashSet<>();
    }

    /**
     * The day rows, computed from the readings: a district's hour from its readings, valid with
     * readings in 45 minutes; its day the mean of the valid hours' means, valid with 20; the city
     * the population-weighted mean of the valid districts.
     */
    private static Map<String, Expected> expected(
            List<Reading> readings, Zoning zoning, ZoneId tz, LocalDate first, LocalDate last) {
        // metric -> day -> district -> hour start -> sums
        Map<Metric, Map<LocalDate, Map<String, Map<Long, Hour>>>> hours = new HashMap<>();
        for (Reading r : readings) {
            if (r.metric() != Metric.PM25 && r.metric() != Metric.PM10) {
                continue;
            }
            LocalDate day = Instant.ofEpochMilli(r.timestampMillis()).atZone(tz).toLocalDate();
            if (day.isBefore(first) || day.isAfter(last)) {
                continue;
            }
            Zone district = zoning.district(r.lat(), r.lon()).orElse(null);
            if (district == null) {
                continue;
            }
            Hour h =
                    hours.computeIfAbsent(r.metric(), m -> new HashMap<>())
                            .computeIfAbsent(day, d -> new HashMap<>())
                            .computeIfAbsent(district.id(), d -> new HashMap<>())
                            .computeIfAbsent(r.timestampMillis() / 3_600_000L, t -> new Hour());
            h.sum += r.value();
            h.count++;
            h.minutes.add(r.timestampMillis() / 60_000L);
        }
        Map<String, Expected> rows = new TreeMap<>();
        for (Metric metric : List.of(Metric.PM25, Metric.PM10)) {
            for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                Map<String, Map<Long, Hour>> byDistrict =
                        hours.getOrDefault(metric, Map.of()).getOrDefault(day, Map.of());
                double weighted = 0;
                long withData = 0;
                int validDistricts = 0;
                for (Zone d : zoning.districts()) {
                    List<Double> validMeans = new ArrayList<>();
                    for (Hour h : byDistrict.getOrDefault(d.id(), Map.of()).values()) {
                        if (h.minutes.size() >= MINUTES_FOR_VALID_HOUR) {
                            validMeans.add(h.sum / h.count);
                        }
                    }
                    Double value =
                            validMeans.isEmpty()
                                    ? null
                                    : validMeans.stream().mapToDouble(Double::doubleValue).sum()
                                            / validMeans.size();
                    boolean valid = validMeans.size() >= HOURS_FOR_VALID_DAY;
                    long population =
                            zoning.population(d.id()).map(p -> p.inhabitants()).orElse(0L);
                    if (valid) {
                        validDistricts++;
                        weighted += population * value;
                        withData += population;
                    }
                    rows.put(
                            id(metric, "district", d.id(), day),
                            new Expected(value, valid, validMeans.size(), valid ? population : 0));
                }
                Double city = withData > 0 ? weighted / withData : null;
                rows.put(
                        id(metric, "city", zoning.city().id(), day),
                        new Expected(city, city != null, validDistricts, withData));
            }
        }
        return rows;
    }

    private static String id(Metric metric, String zoneKind, String zoneId, LocalDate day) {
        return String.join("|", "sdg-11.6.2", metric.id(), zoneKind, zoneId, day.toString());
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
