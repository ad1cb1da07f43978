package org.smartcity.core.zoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.operation.union.UnaryUnionOp;

/** The shipped approximate Kunming districts file. */
class KunmingDistrictsFileTest {
    private static final String RESOURCE = "/zones/kunming-districts.geojson";
    private static String text;
    private static JsonNode json;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = KunmingDistrictsFileTest.class.getResourceAsStream(RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        json = new ObjectMapper().readTree(text);
    }

    @Test
    void isWhatTheGeneratorWrites() {
        assertThat(text)
                .as("run KunmingDistrictsGenerator to regenerate %s", RESOURCE)
                .isEqualTo(KunmingDistrictsGenerator.generate());
    }

    @Test
    void saysItIsAnApproximation() {
        String note = json.get("note").asText();

        assertThat(note)
                .contains("Voronoi", "NOT official", "24.38-26.37 N, 102.17-103.67 E")
                .contains("Wuhua, Panlong, Xishan, Guandu", "slivers", "wedges");
        // REFERENCE.md marks these seats ⚠, and only these.
        for (String name :
                List.of(
                        "Wuhua District ⚠",
                        "Panlong District ⚠",
                        "Xishan District ⚠",
                        "Fumin County ⚠",
                        "Yiliang County ⚠",
                        "Songming County ⚠",
                        "Luquan Yi and Miao Autonomous County ⚠",
                        "Xundian Hui and Yi Autonomous County ⚠",
                        "Anning City ⚠")) {
            assertThat(note).contains(name);
        }
        assertThat(note)
                .doesNotContain("Guandu District ⚠", "Chenggong District ⚠", "Jinning District ⚠");
    }

    @Test
    void propertiesFromTheReference() {
        // code -> 2023 year-end population, REFERENCE.md (10,000s) x 10,000.
        Map<String, Long> population =
                Map.ofEntries(
                        Map.entry("530102", 1_179_000L),
                        Map.entry("530103", 1_023_500L),
                        Map.entry("530111", 1_629_500L),
                        Map.entry("530112", 983_100L),
                        Map.entry("530113", 256_500L),
                        Map.entry("530114", 709_700L),
                        Map.entry("530115", 350_000L),
                        Map.entry("530124", 152_600L),
                        Map.entry("530125", 381_200L),
                        Map.entry("530126", 238_500L),
                        Map.entry("530127", 431_200L),
                        Map.entry("530128", 374_300L),
                        Map.entry("530129", 463_600L),
                        Map.entry("530181", 507_300L));
        Map<String, Long> found = new HashMap<>();
        for (JsonNode f : json.get("features")) {
            JsonNode p = f.get("properties");
            assertThat(f.get("id").asText()).isEqualTo(p.get("code").asText());
            assertThat(p.get("approximate").asBoolean()).isTrue();
            assertThat(p.get("name").asText())
                    .isEqualTo(p.get("name_en").asText() + " " + p.get("name_zh").asText());
            assertThat(p.get("seat_lat").isNumber()).isTrue();
            assertThat(p.get("seat_lon").isNumber()).isTrue();
            found.put(p.get("code").asText(), p.get("population").asLong());
            assertThat(p.get("population_year").asInt()).isEqualTo(2023);
            assertThat(p.get("population_source").asText())
                    .startsWith("Kunming Statistics Bureau, resident population at 2023 year-end");
        }
        assertThat(found).isEqualTo(population);
        assertThat(found.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(8_680_000L);
    }

    @Test
    void theZoningReadsThePopulationOfAllFourteenUnits() {
        Zoning kunming = Zoning.kunming();

        assertThat(kunming.districts())
                .allSatisfy(d -> assertThat(kunming.population(d.id())).isPresent());
        assertThat(kunming.population("530102"))
                .get()
                .isEqualTo(
                        new Population(
                                1_179_000, 2023, KunmingDistrictsGenerator.POPULATION_SOURCE));
        assertThat(kunming.population("530113").orElseThrow().inhabitants()).isEqualTo(256_500);
        assertThat(kunming.population("kunming")).isEmpty();
    }

    @Test
    void coordinatesHaveFiveDecimals() {
        assertThat(text.lines().filter(l -> l.matches(" +\\[1\\d\\d\\.\\d+, \\d\\d\\.\\d+\\],?")))
                .isNotEmpty()
                .allMatch(l -> l.matches(" +\\[1\\d\\d\\.\\d{5}, \\d\\d\\.\\d{5}\\],?"));
    }

    @Test
    void districtsTileThePrefectureBox() {
        DistrictLayer layer = DistrictLayer.load("classpath:zones/kunming-districts.geojson");
        List<Geometry> cells = new ArrayList<>();
        layer.districts().forEach(d -> cells.add(d.geometry()));
        double box = (26.37 - 24.38) * (103.67 - 102.17);

        assertThat(cells).hasSize(14);
        for (int i = 0; i < cells.size(); i++) {
            for (int j = i + 1; j < cells.size(); j++) {
                assertThat(cells.get(i).intersection(cells.get(j)).getArea())
                        .as("overlap of %s and %s", i, j)
                        .isLessThan(1e-12);
            }
        }
        assertThat(cells.stream().mapToDouble(Geometry::getArea).sum())
                .isCloseTo(box, within(1e-9));
        assertThat(UnaryUnionOp.union(cells).getArea()).isCloseTo(box, within(1e-9));
    }
}
