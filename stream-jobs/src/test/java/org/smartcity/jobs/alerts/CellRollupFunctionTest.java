package org.smartcity.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.core.alert.TestAlerts;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.Zoning;

/**
 * District roll-ups of cell alerts on Flink's operator harness, against a hand-worked list: raised
 * by the third alerting cell, a revision when the cells or the worst severity change, cleared below
 * three cells, a new episode with an id of its own; another district apart; a repeated clear
 * changes nothing.
 */
class CellRollupFunctionTest {
    private static final String RULE = "noise-high";
    private static final String W = "530102";
    private static final String P = "530103";
    private static final long T = Instant.parse("2026-12-04T07:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;

    @Test
    void threeAlertingCellsOfADistrictAreOneDistrictAlertListingThem() throws Exception {
        Alert c1 = cell("c1", T, 1, Severity.MINOR, 71, T, null);
        Alert c2 = cell("c2", T + MIN, 1, Severity.MINOR, 72, T + MIN, null);
        Alert p1 = cell("p1", T + MIN, 1, Severity.MINOR, 80, T + MIN, null);
        Alert c3 = cell("c3", T + 2 * MIN, 1, Severity.MINOR, 71.5, T + 2 * MIN, null);
        Alert c2Worse = cell("c2", T + MIN, 2, Severity.MODERATE, 76, T + 3 * MIN, null);
        Alert c4 = cell("c4", T + 4 * MIN, 1, Severity.MINOR, 70.5, T + 4 * MIN, null);
        Alert c1Clear = cell("c1", T, 2, Severity.MINOR, 66, T + 5 * MIN, T + 5 * MIN);
        Alert c3Clear = cell("c3", T + 2 * MIN, 2, Severity.MINOR, 66, T + 6 * MIN, T + 6 * MIN);
        Alert c3Again = cell("c3", T + 7 * MIN, 1, Severity.MINOR, 71, T + 7 * MIN, null);

        List<Alert> out;
        try (var h = harness()) {
            h.open();
            for (var in :
                    List.of(
                            new CellAlert(W, c1),
                            new CellAlert(W, c2),
                            new CellAlert(P, p1),
                            new CellAlert(W, c3),
                            new CellAlert(W, c2Worse),
                            new CellAlert(W, c4),
                            new CellAlert(W, c1Clear),
                            new CellAlert(W, c1Clear),
                            new CellAlert(W, c3Clear),
                            new CellAlert(W, c3Again))) {
                h.processElement(in, in.alert().updatedAtMillis());
            }
            out = h.extractOutputValues();
        }

        String first = RULE + "|district|" + W + "|" + (T + 2 * MIN);
        String second = RULE + "|district|" + W + "|" + (T + 7 * MIN);
        List<String> c123 = List.of("c1", "c2", "c3");
        List<String> c1234 = List.of("c1", "c2", "c3", "c4");
        List<String> c234 = List.of("c2", "c3", "c4");
        assertThat(out)
                .containsExactly(
                        rollup(
                                first,
                                T + 2 * MIN,
                                T + 2 * MIN,
                                null,
                                Severity.MINOR,
                                72,
                                72,
                                70,
                                1,
                                c123,
                                "3 H3 cells of Wuhua alert on noise-high: highest"
                                        + " 72 dB(A), above 70"),
                        rollup(
                                first,
                                T + 2 * MIN,
                                T + 3 * MIN,
                                null,
                                Severity.MODERATE,
                                76,
                                76,
                                75,
                                2,
                                c123,
                                "3 H3 cells of Wuhua alert on noise-high:"
                                        + " highest 76 dB(A), above 75"),
                        rollup(
                                first,
                                T + 2 * MIN,
                                T + 4 * MIN,
                                null,
                                Severity.MODERATE,
                                76,
                                76,
                                75,
                                3,
                                c1234,
                                "4 H3 cells of Wuhua alert on noise-high:"
                                        + " highest 76 dB(A), above 75"),
                        rollup(
                                first,
                                T + 2 * MIN,
                                T + 5 * MIN,
                                null,
                                Severity.MODERATE,
                                76,
                                76,
                                75,
                                4,
                                c234,
                                "3 H3 cells of Wuhua alert on noise-high:"
                                        + " highest 76 dB(A), above 75"),
                        rollup(
                                first,
                                T + 2 * MIN,
                                T + 6 * MIN,
                                T + 6 * MIN,
                                Severity.MODERATE,
                                76,
                                76,
                                75,
                                5,
                                c234,
                                "Fewer H3 cells of Wuhua alert on"
                                        + " noise-high than make a district alert"),
                        rollup(
                                second,
                                T + 7 * MIN,
                                T + 7 * MIN,
                                null,
                                Severity.MODERATE,
                                76,
                                76,
                                75,
                                1,
                                c234,
                                "3 H3 cells of Wuhua alert on noise-high:"
                                        + " highest 76 dB(A), above 75"));
    }

    @Test
    void theRollupJsonListsItsCells() {
        Alert r =
                rollup(
                        "noise-high|district|530102|1",
                        1,
                        2,
                        null,
                        Severity.MINOR,
                        72,
                        72,
                        70,
                        1,
                        List.of("8840d8a2d7fffff", "8840d8a2d1fffff"),
                        "m");
        String json = new String(AlertJson.encode(r), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json)
                .endsWith(",\"revision\":1,\"cells\":[\"8840d8a2d7fffff\",\"8840d8a2d1fffff\"]}");
        assertThat(AlertJson.decode(AlertJson.encode(r))).isEqualTo(r);
        Alert cellAlert = cell("c1", T, 1, Severity.MINOR, 71, T, null);
        assertThat(new String(AlertJson.encode(cellAlert), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("cells");
    }

    @Test
    void rulesOnCellsRollUpWhenTheFileSaysSo() {
        assertThat(AlertRules.defaults().thresholds())
                .filteredOn(r -> r.id().equals("noise-high"))
                .extracting(ThresholdRule::rollupCells)
                .containsExactly(3);
        String onDistricts =
                String.join(
                        "\n",
                        "rules:",
                        "  - id: pm",
                        "    kind: threshold",
                        "    metric: pm25",
                        "    zone_kind: district",
                        "    window: 1h",
                        "    statistic: mean",
                        "    levels: {moderate: 75}",
                        "    rollup_cells: 3",
                        "    source: x",
                        "  - id: noise",
                        "    kind: threshold",
                        "    metric: noise",
                        "    zone_kind: h3",
                        "    window: 1h",
                        "    statistic: mean",
                        "    levels: {minor: 70}",
                        "    rollup_cells: 1",
                        "    source: x",
                        "");
        assertThatThrownBy(() -> AlertRules.parse(onDistricts, true, "test"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "rule 'pm', field 'rollup_cells': only for zone_kind h3 (cells roll up into"
                                + " districts)")
                .hasMessageContaining(
                        "rule 'noise', field 'rollup_cells': expected a number of cells from 2 to"
                                + " 100, got 1");
    }

    @Test
    void aCellBelongsToTheDistrictItsCentreIsIn() {
        Zoning kunming = Zoning.kunming();
        Zone cell = kunming.cell(25.0406, 102.7123);
        assertThat(kunming.districtOfCell(cell.id()).map(Zone::id))
                .isEqualTo(kunming.district(25.0406, 102.7123).map(Zone::id));
        assertThat(kunming.districtOfCell("not-a-cell")).isEmpty();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CellAlert, Alert> harness()
            throws Exception {
        Map<String, String> names = Map.of(W, "Wuhua", P, "Panlong");
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new CellRollupFunction(
                                Map.of(RULE, 3), (kind, id) -> names.getOrDefault(id, id))),
                CellAlert::key,
                Types.STRING);
    }

    private static Alert cell(
            String cell,
            long opened,
            int revision,
            Severity severity,
            double value,
            long updated,
            Long cleared) {
        return TestAlerts.noise(SubjectKind.H3, cell)
                .rule(RULE)
                .opened(opened)
                .updated(updated)
                .cleared(cleared)
                .severity(severity)
                .value(value)
                .threshold(severity == Severity.MODERATE ? 75 : 70)
                .message("cell " + cell)
                .revision(revision)
                .build();
    }

    private static Alert rollup(
            String id,
            long opened,
            long updated,
            Long cleared,
            Severity severity,
            double value,
            double peak,
            double threshold,
            int revision,
            List<String> cells,
            String message) {
        return TestAlerts.noise(SubjectKind.DISTRICT, W)
                .id(id)
                .rule(RULE)
                .subjectName("Wuhua")
                .opened(opened)
                .updated(updated)
                .cleared(cleared)
                .severity(severity)
                .value(value)
                .peak(peak)
                .threshold(threshold)
                .message(message)
                .revision(revision)
                .cells(cells)
                .build();
    }
}
