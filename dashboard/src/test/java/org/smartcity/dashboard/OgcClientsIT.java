package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.smartcity.dashboard.TestStores.aggregate;
import static org.smartcity.dashboard.TestStores.reading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geotools.api.data.DataStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smartcity.brokers.KafkaBrokerExtension;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.DataStores;
import org.smartcity.store.StoreConfig;

/**
 * The dashboard's OGC API - Features read by real clients that nobody here wrote: GDAL's {@code
 * OAPIF} driver through {@code ogrinfo} and {@code ogr2ogr} (Debian {@code gdal-bin}), and Python's
 * OWSLib (Debian {@code python3-owslib}, through {@code owslib_items.py} next to this class). Each
 * collection holds more features than one page, and the clients are asked for small pages, so they
 * must follow {@code next} links to the end. What they return must equal what the API says (count =
 * {@code numberMatched}, the same ids, no duplicates) and what this test wrote (a few property
 * values per feature, recomputed from the written aggregates and readings).
 *
 * <p>The programs must be installed ({@code .ci/run} installs both); a missing one fails the test
 * with the package to install rather than skipping it.
 */
class OgcClientsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Zoning ZONING = Zoning.kunming();
    private static final Duration PROGRAM_TIMEOUT = Duration.ofMinutes(2);

    /** Debian's interpreter: python3-owslib installs into it, not into another python3. */
    private static final String PYTHON = "/usr/bin/python3";

    /** Small pages, so that every collection takes several and the clients must follow next. */
    private static final int PAGE_SIZE = 5;

    private static final String HISTORY = AggregateSchema.HISTORY_TYPE;
    private static final String LIVE = AggregateSchema.LIVE_TYPE;
    private static final String SENSORS = "sensors";
    private static final String CATALOG = "ogc-clients-live";

    private static final Instant UPDATED = Instant.parse("2026-11-24T05:31:00Z");
    private static final Instant CORRECTED = Instant.parse("2026-11-24T05:40:00Z");
    private static final List<Zone> DISTRICTS =
            ZONING.districts().stream().sorted(Comparator.comparing(Zone::id)).toList();

    /** The sensors' readings, written in {@link #start()}. */
    private static final List<Reading> READINGS = new ArrayList<>();

    /** What each collection must hold, by feature id: filled in {@link #start()}. */
    private static final Map<String, Map<String, Expected>> EXPECTED = new LinkedHashMap<>();

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir static Path dir;
    private static DataStore liveWriter;
    private static DashboardServer server;
    private static String base;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The properties of one feature that the clients' copies are compared on. */
    private record Expected(Map<String, Object> properties, double[] point) {
        static Expected of(ZoneAggregate a) {
            return new Expected(
                    Map.of(
                            "metric", a.metric().id(),
                            "zone_kind", a.zoneKind().id(),
                            "zone_id", a.zoneId(),
                            "mean", a.mean(),
                            "revision", a.revision()),
                    null);
        }

        static Expected of(Reading r) {
            return new Expected(
                    Map.of(
                            "sensor_id",
                            r.sensorId(),
                            "metric",
                            r.metric().id(),
                            "value",
                            r.value()),
                    new double[] {r.lon(), r.lat()});
        }
    }

    @BeforeAll
    static void start() throws Exception {
        TestStores.createReadingTopics(KAFKA.bootstrapServers());

        // History: two 15-minute PM2.5 windows in seven districts, one of them corrected to
        // revision 2 afterwards (the client must see it once, corrected), hourly NO2 in three
        // districts, three H3 cells and the city: 21 windows, five pages of 5.
        Instant five = Instant.parse("2026-11-24T05:00:00Z");
        Instant quarterPast = Instant.parse("2026-11-24T05:15:00Z");
        List<ZoneAggregate> history = new ArrayList<>();
        for (Zone d : DISTRICTS.subList(0, 7)) {
            history.add(aggregate(Metric.PM25, ZoneKind.DISTRICT, d.id(), five, 15, 1));
            history.add(aggregate(Metric.PM25, ZoneKind.DISTRICT, d.id(), quarterPast, 15, 1));
        }
        for (Zone d : DISTRICTS.subList(4, 7)) {
            history.add(aggregate(Metric.NO2, ZoneKind.DISTRICT, d.id(), five, 60, 1));
        }
        for (int i = 0; i < 3; i++) {
            String cell = ZONING.cell(25.04, 102.70 + 0.02 * i).id();
            history.add(aggregate(Metric.PM25, ZoneKind.H3, cell, five, 15, 1));
        }
        history.add(aggregate(Metric.PM25, ZoneKind.CITY, ZONING.city().id(), five, 60, 1));
        ZoneAggregate corrected =
                aggregate(Metric.PM25, ZoneKind.DISTRICT, DISTRICTS.get(0).id(), five, 15, 2);
        StoreConfig historyStore =
                StoreConfig.FileSystem.parquet(dir.resolve("history").toString());
        TestStores.writeHistory(historyStore, UPDATED, history);
        TestStores.writeHistory(historyStore, CORRECTED, List.of(corrected));
        Map<String, Expected> historyById = new LinkedHashMap<>();
        for (ZoneAggregate a : history) {
            historyById.put(a.featureId(), Expected.of(a));
        }
        historyById.put(corrected.featureId(), Expected.of(corrected));
        EXPECTED.put(HISTORY, historyById);

        // Live layer: the newest 15-minute PM2.5 window of every district and the city, the first
        // district's at revision 2 over revision 1: 15 features, exactly three pages of 5.
        List<ZoneAggregate> live = new ArrayList<>();
        live.add(
                aggregate(
                        Metric.PM25, ZoneKind.DISTRICT, DISTRICTS.get(0).id(), quarterPast, 15, 1));
        for (Zone d : DISTRICTS) {
            live.add(
                    aggregate(
                            Metric.PM25,
                            ZoneKind.DISTRICT,
                            d.id(),
                            quarterPast,
                            15,
                            d == DISTRICTS.get(0) ? 2 : 1));
        }
        live.add(aggregate(Metric.PM25, ZoneKind.CITY, ZONING.city().id(), quarterPast, 15, 1));
        liveWriter =
                DataStores.openWithSchema(
                        StoreConfig.Kafka.local(KAFKA.bootstrapServers(), CATALOG),
                        StoreConfig.Access.WRITE,
                        LIVE);
        TestStores.write(liveWriter, LIVE, UPDATED, live, true);
        Map<String, Expected> liveById = new LinkedHashMap<>();
        for (ZoneAggregate a : live) {
            liveById.put(AggregateSchema.liveId(a), Expected.of(a)); // a later one replaces
        }
        EXPECTED.put(LIVE, liveById);

        // Sensors: twelve heard in the last seconds, at distinct places: pages of 5, 5 and 2.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Metric[] metrics = {Metric.PM25, Metric.NOISE, Metric.TEMPERATURE};
        for (int i = 0; i < 12; i++) {
            Metric m = metrics[i % metrics.length];
            READINGS.add(
                    reading(
                            String.format("km-%s-%04d", m.id(), i),
                            m,
                            now.minusSeconds(i),
                            // Whole thousandths, as a device reports them: a client
                            // printing 15 significant digits gives back the same number.
                            (24_950 + 10 * i) / 1000.0,
                            (102_650 + 15 * i) / 1000.0,
                            20.25 + i));
        }
        TestStores.produceReadings(KAFKA.bootstrapServers(), now, READINGS);
        Map<String, Expected> sensorsById = new LinkedHashMap<>();
        READINGS.forEach(r -> sensorsById.put(r.sensorId(), Expected.of(r)));
        EXPECTED.put(SENSORS, sensorsById);

        server =
                DashboardServer.start(
                        DashboardConfig.fromFlags(
                                "--http-port",
                                "0",
                                "--kafka-bootstrap",
                                KAFKA.bootstrapServers(),
                                "--store-history",
                                dir.resolve("history").toString(),
                                "--store-live-catalog",
                                CATALOG));
        base = "http://localhost:" + server.port();

        // The live layer and the readings monitor catch up in the background.
        for (String collection : List.of(LIVE, SENSORS)) {
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () ->
                                    assertThat(apiItems(collection).get("numberMatched").asInt())
                                            .as(collection)
                                            .isEqualTo(EXPECTED.get(collection).size()));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (liveWriter != null) {
            liveWriter.dispose();
        }
    }

    /** The API itself holds what was written: the reference the clients are compared with. */
    @ParameterizedTest
    @ValueSource(strings = {HISTORY, LIVE, SENSORS})
    void theApiServesWhatWasWritten(String collection) throws Exception {
        JsonNode all = apiItems(collection);
        assertThat(all.get("numberMatched").asInt()).isEqualTo(EXPECTED.get(collection).size());
        assertFeatures(collection, "the API", all.get("features"));
        assertThat(pages(collection)).as("pages of %d", PAGE_SIZE).isGreaterThan(2);
    }

    @Test
    void ogrinfoListsEveryCollectionWithTheApisCountAndProperties() throws Exception {
        Run run =
                run(
                        "gdal-bin",
                        "ogrinfo",
                        "-ro",
                        "-al",
                        "-so",
                        "-oo",
                        "PAGE_SIZE=" + PAGE_SIZE,
                        "OAPIF:" + base);
        Map<String, OgrLayer> layers = OgrLayer.parse(run.stdout());
        // And the alerts collection, empty here (AlertsDashboardIT fills it), and the indicators
        // collection, of which GDAL reads the API's count.
        List<String> all = new ArrayList<>(EXPECTED.keySet());
        all.add(AlertCollection.ID);
        all.add(IndicatorCollection.ID);
        assertThat(layers.keySet()).as(run.stdout()).containsExactlyElementsOf(all);
        assertThat(layers.get(AlertCollection.ID).featureCount()).isZero();
        assertThat(layers.get(IndicatorCollection.ID).featureCount())
                .isEqualTo(apiItems(IndicatorCollection.ID).get("numberMatched").asInt());
        for (String collection : EXPECTED.keySet()) {
            OgrLayer layer = layers.get(collection);
            assertThat(layer.featureCount())
                    .as("Feature Count of %s", collection)
                    .isEqualTo(apiItems(collection).get("numberMatched").asInt());
            // GDAL's schema comes from the first page: the properties compared below are in it.
            Expected any = EXPECTED.get(collection).values().iterator().next();
            assertThat(layer.fields())
                    .as("fields of %s", collection)
                    .contains("id")
                    .containsAll(any.properties().keySet());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HISTORY, LIVE, SENSORS})
    void ogr2ogrCopiesEveryFeatureFollowingNextLinks(String collection) throws Exception {
        Copy copy = ogr2ogr(collection);
        assertFeatures(collection, "ogr2ogr", copy.geoJson().get("features"));
        assertThat(itemsFetched(copy.debugLog(), collection))
                .as("items pages GDAL fetched (its debug log)")
                .containsExactlyElementsOf(pageChain(collection));
    }

    /**
     * GDAL sends its spatial filter (longitude, latitude in the layer's CRS84) as {@code bbox}; the
     * sensors inside the box, and only they, come back, over more than one page.
     */
    @Test
    void ogr2ogrSendsItsSpatialFilterAsBbox() throws Exception {
        double minLon = 102.695;
        double minLat = 24.9;
        double maxLon = 102.8;
        double maxLat = 25.1;
        List<String> inside =
                READINGS.stream()
                        .filter(r -> r.lon() >= minLon && r.lon() <= maxLon)
                        .filter(r -> r.lat() >= minLat && r.lat() <= maxLat)
                        .map(Reading::sensorId)
                        .toList();
        assertThat(inside).hasSizeBetween(PAGE_SIZE + 1, READINGS.size() - 1);

        double[] box = {minLon, minLat, maxLon, maxLat};
        Copy copy =
                ogr2ogr(
                        SENSORS,
                        "-spat",
                        Double.toString(minLon),
                        Double.toString(minLat),
                        Double.toString(maxLon),
                        Double.toString(maxLat));
        List<String> ids = new ArrayList<>();
        copy.geoJson().get("features").forEach(f -> ids.add(f.get("id").asText()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(inside);
        // GDAL also filters what it receives: that the server was asked for the box, and paged
        // through it, shows in the requests.
        List<String> boxed =
                itemsFetched(copy.debugLog(), SENSORS).stream()
                        .filter(u -> u.contains("bbox="))
                        .toList();
        assertThat(boxed).hasSize((inside.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        for (String url : boxed) {
            Matcher m = Pattern.compile("[?&]bbox=([^&]+)").matcher(url);
            assertThat(m.find()).isTrue();
            double[] sent =
                    Arrays.stream(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8).split(","))
                            .mapToDouble(Double::parseDouble)
                            .toArray();
            assertThat(sent).as(url).containsExactly(box, within(1e-9));
        }
    }

    /**
     * An attribute filter gives the features that match it. GDAL evaluates it itself unless the
     * API's OpenAPI document ({@code service-desc}) lists the property as an items parameter; then
     * it sends it to the server ({@code zone_kind=district}). Either way the copy must be the same.
     */
    @Test
    void ogr2ogrAppliesAnAttributeFilter() throws Exception {
        List<String> districts =
                EXPECTED.get(HISTORY).entrySet().stream()
                        .filter(e -> e.getValue().properties().get("zone_kind").equals("district"))
                        .map(Map.Entry::getKey)
                        .toList();
        assertThat(districts).hasSizeBetween(PAGE_SIZE + 1, EXPECTED.get(HISTORY).size() - 1);
        Copy copy = ogr2ogr(HISTORY, "-where", "zone_kind = 'district'");
        List<String> ids = new ArrayList<>();
        copy.geoJson().get("features").forEach(f -> ids.add(f.get("id").asText()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(districts);
    }

    @ParameterizedTest
    @ValueSource(strings = {HISTORY, LIVE, SENSORS})
    void owslibReadsEveryFeatureFollowingNextLinks(String collection) throws Exception {
        Path script = Path.of(resource("owslib_items.py"));
        Run run =
                run(
                        "python3-owslib",
                        PYTHON,
                        script.toString(),
                        base + "/",
                        collection,
                        Integer.toString(PAGE_SIZE));
        JsonNode result = JSON.readTree(run.stdout());
        assertThat(result.get("numberMatched").asInt()).isEqualTo(EXPECTED.get(collection).size());
        assertFeatures(collection, "OWSLib", result.get("features"));
        List<String> fetched = new ArrayList<>();
        result.get("pages").forEach(u -> fetched.add(u.asText()));
        assertThat(fetched).containsExactlyElementsOf(pageChain(collection));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The features a client returned are exactly the collection's: each id once, the properties
     * compared with what was written, and for points the position in longitude, latitude order. The
     * ids are read where the client puts them: GeoJSON's {@code id} member.
     */
    private static void assertFeatures(String collection, String client, JsonNode features) {
        Map<String, Expected> expected = EXPECTED.get(collection);
        List<String> ids = new ArrayList<>();
        features.forEach(f -> ids.add(f.get("id").asText()));
        assertThat(ids)
                .as("%s: ids of %s", client, collection)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (JsonNode f : features) {
            Expected e = expected.get(f.get("id").asText());
            for (Map.Entry<String, Object> p : e.properties().entrySet()) {
                assertThat(f.at("/properties/" + p.getKey()))
                        .as("%s: %s of %s in %s", client, p.getKey(), f.get("id"), collection)
                        .isEqualTo(JSON.valueToTree(p.getValue()));
            }
            if (e.point() != null) {
                assertThat(f.at("/geometry/type").asText()).isEqualTo("Point");
                assertThat(f.at("/geometry/coordinates/0").asDouble()).isEqualTo(e.point()[0]);
                assertThat(f.at("/geometry/coordinates/1").asDouble()).isEqualTo(e.point()[1]);
            } else {
                assertThat(f.at("/geometry/type").asText()).isIn("Polygon", "MultiPolygon");
            }
        }
    }

    /** Pages of {@link #PAGE_SIZE} a client must fetch to read the whole collection. */
    private static int pages(String collection) {
        int n = EXPECTED.get(collection).size();
        return (n + PAGE_SIZE - 1) / PAGE_SIZE;
    }

    /**
     * The URLs a client must fetch to read a collection in pages of {@link #PAGE_SIZE}: the first
     * page, then each page's {@code next} link, as the API gives them.
     */
    private static List<String> pageChain(String collection) throws Exception {
        List<String> chain = new ArrayList<>();
        String url = base + "/collections/" + collection + "/items?limit=" + PAGE_SIZE;
        while (url != null) {
            chain.add(url);
            assertThat(chain).as("a chain of next links that ends").hasSizeLessThan(100);
            url = link(getJson(url), "next");
        }
        assertThat(chain).hasSize(pages(collection));
        return chain;
    }

    private static String link(JsonNode doc, String rel) {
        for (JsonNode l : doc.get("links")) {
            if (l.get("rel").asText().equals(rel)) {
                return l.get("href").asText();
            }
        }
        return null;
    }

    /** Every item of a collection in one answer. */
    private static JsonNode apiItems(String collection) throws Exception {
        return getJson(base + "/collections/" + collection + "/items?limit=1000");
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** ogr2ogr's GeoJSON copy of one collection, and its debug log (the URLs it fetched). */
    private record Copy(JsonNode geoJson, String debugLog) {}

    private static Copy ogr2ogr(String collection, String... options) throws Exception {
        Path out = Files.createTempFile(dir, "ogr2ogr-" + collection, ".json");
        Files.delete(out); // ogr2ogr creates it, and refuses to overwrite a file GDAL cannot open
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "ogr2ogr",
                                "--debug",
                                "on",
                                "-oo",
                                "PAGE_SIZE=" + PAGE_SIZE,
                                "-f",
                                "GeoJSON",
                                // GDAL reads a string id into a field; this writes it as the id.
                                "-lco",
                                "ID_FIELD=id"));
        command.addAll(List.of(options));
        command.addAll(List.of(out.toString(), "OAPIF:" + base, collection));
        Run run = run("gdal-bin", command.toArray(String[]::new));
        return new Copy(JSON.readTree(out.toFile()), run.stderr());
    }

    /**
     * The distinct items URLs of one collection that GDAL fetched, in order, from its {@code
     * --debug on} log (GDAL reads the first page twice: once for the layer's schema).
     */
    private static List<String> itemsFetched(String debugLog, String collection) {
        Matcher m = Pattern.compile("(?m)^HTTP: Fetch\\((.*)\\)$").matcher(debugLog);
        List<String> urls = new ArrayList<>();
        while (m.find()) {
            if (m.group(1).contains("/collections/" + collection + "/items")) {
                urls.add(m.group(1));
            }
        }
        return urls.stream().distinct().toList();
    }

    /** One layer of {@code ogrinfo -al -so}: its feature count and field names. */
    private record OgrLayer(int featureCount, List<String> fields) {
        private static final Pattern NAME = Pattern.compile("(?m)^Layer name: (.+)$");
        private static final Pattern COUNT = Pattern.compile("(?m)^Feature Count: (\\d+)$");
        private static final Pattern FIELD =
                Pattern.compile("(?m)^(\\w+): (?:String|Integer|Integer64|Real|DateTime) \\(");

        /** The layers of an {@code ogrinfo -al -so} summary by name, in its order. */
        static Map<String, OgrLayer> parse(String summary) {
            Map<String, OgrLayer> layers = new LinkedHashMap<>();
            String[] blocks = summary.split("(?m)^(?=Layer name: )");
            for (String block : blocks) {
                Matcher name = NAME.matcher(block);
                if (!name.find()) {
                    continue; // what ogrinfo prints before the first layer
                }
                Matcher count = COUNT.matcher(block);
                assertThat(count.find()).as(block).isTrue();
                List<String> fields = new ArrayList<>();
                Matcher field = FIELD.matcher(block);
                while (field.find()) {
                    fields.add(field.group(1));
                }
                layers.put(
                        name.group(1).strip(),
                        new OgrLayer(Integer.parseInt(count.group(1)), fields));
            }
            return layers;
        }
    }

    private static URI resource(String name) throws URISyntaxException {
        return OgcClientsIT.class.getResource(name).toURI();
    }

    /** What a program printed. */
    private record Run(String stdout, String stderr) {}

    /**
     * Runs a program to its end, within {@link #PROGRAM_TIMEOUT}; fails the test if it is not
     * installed (naming the Debian package), times out or exits other than 0.
     */
    private static Run run(String debianPackage, String... command) throws Exception {
        Path stdout = Files.createTempFile(dir, "stdout", ".txt");
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        Process p;
        try {
            p =
                    new ProcessBuilder(command)
                            .redirectOutput(stdout.toFile())
                            .redirectError(stderr.toFile())
                            .start();
        } catch (IOException e) {
            return fail(
                    command[0]
                            + " cannot be run ("
                            + e.getMessage()
                            + "): install Debian's "
                            + debianPackage
                            + " (.ci/run does)");
        }
        if (!p.waitFor(PROGRAM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not end within " + PROGRAM_TIMEOUT);
        }
        Run run =
                new Run(
                        Files.readString(stdout, StandardCharsets.UTF_8),
                        Files.readString(stderr, StandardCharsets.UTF_8));
        assertThat(p.exitValue())
                .as("%s exit status; stderr:%n%s", String.join(" ", command), run.stderr())
                .isZero();
        return run;
    }
}
