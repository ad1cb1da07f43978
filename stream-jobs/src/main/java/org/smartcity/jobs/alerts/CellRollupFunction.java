package org.smartcity.jobs.alerts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.core.zoning.ZoneKind;

/**
 * The district roll-up of a threshold rule on H3 cells ({@link ThresholdRule#rollupCells()}), keyed
 * by rule and district ({@link CellAlert#key()}): when at least that many of the district's cells
 * have an active alert of the rule, one district alert lists them ({@link Alert#cells()}), so that
 * people are told once about a district-wide problem instead of once per cell.
 *
 * <ul>
 *   <li>raised (revision 1) by the cell alert change that brings the count to the rule's number, at
 *       that change's time; id {@code {rule}|district|{code}|{opened_at}};
 *   <li>a new revision whenever the set of cells or the highest severity among them changes
 *       (severity, value, threshold: those of the most severe cell, the highest value among ties;
 *       peak: the highest peak of any cell during the episode);
 *   <li>cleared when fewer cells than the rule's number are still alerting, listing the cells of
 *       its last active revision.
 * </ul>
 *
 * <p>The cell alerts stay in the alerts topic as they are; readers that notify people (the CAP
 * feed, the banner) leave out a cell alert that an active roll-up lists.
 */
public final class CellRollupFunction extends KeyedProcessFunction<String, CellAlert, Alert> {
    private static final long serialVersionUID = 1L;

    /** Most severe first, then the highest value, then the cell id: the cell a roll-up quotes. */
    private static final Comparator<Alert> WORST_FIRST =
            Comparator.comparing(Alert::severity)
                    .thenComparingDouble(Alert::value)
                    .reversed()
                    .thenComparing(Alert::subjectId);

    private final Map<String, Integer> minCells;
    private final SubjectNames names;
    private transient MapState<String, Alert> activeCells;
    private transient ValueState<Alert> rollup;
    private transient AlertMetrics metrics;

    /**
     * @param minCells per rule id, how many alerting cells make a roll-up
     * @param names district names
     */
    public CellRollupFunction(Map<String, Integer> minCells, SubjectNames names) {
        this.minCells = Map.copyOf(minCells);
        this.names = names;
    }

    @Override
    public void open(OpenContext context) {
        metrics = new AlertMetrics(getRuntimeContext().getMetricGroup());
        activeCells =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "rollup-cells",
                                        Types.STRING,
                                        TypeInformation.of(Alert.class)));
        rollup =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "rollup", TypeInformation.of(Alert.class)));
    }

    @Override
    public void processElement(CellAlert in, Context ctx, Collector<Alert> out) throws Exception {
        Alert a = in.alert();
        Alert known = activeCells.get(a.subjectId());
        if (a.isCleared()) {
            if (known == null || !known.id().equals(a.id())) {
                return; // an episode this roll-up never saw open
            }
            activeCells.remove(a.subjectId());
        } else {
            activeCells.put(a.subjectId(), a);
        }
        List<Alert> cells = new ArrayList<>();
        for (Alert c : activeCells.values()) {
            cells.add(c);
        }
        cells.sort(WORST_FIRST);
        List<String> ids = cells.stream().map(Alert::subjectId).sorted().toList();
        int needed = minCells.get(a.rule());
        Alert current = rollup.value();
        Alert next;
        if (current == null) {
            if (cells.size() < needed) {
                return;
            }
            next = revision(null, in.districtId(), cells, ids, a);
        } else if (cells.size() < needed) {
            next = cleared(current, a.updatedAtMillis());
        } else if (!ids.equals(current.cells()) || cells.get(0).severity() != current.severity()) {
            next = revision(current, in.districtId(), cells, ids, a);
        } else {
            // The same cells at the same severity: nothing people need to hear again. The peak
            // still follows the cells.
            double peak = Math.max(current.peak(), a.peak());
            if (peak != current.peak()) {
                rollup.update(current.withValueAndPeak(current.value(), peak));
            }
            return;
        }
        rollup.update(next.isCleared() ? null : next);
        metrics.published(next, ctx.timerService().currentProcessingTime());
        out.collect(next);
    }

    /** Revision 1 (when {@code current} is null) or the next revision of an active roll-up. */
    private Alert revision(
            Alert current, String districtId, List<Alert> cells, List<String> ids, Alert change) {
        Alert worst = cells.get(0);
        long openedAt = current == null ? change.updatedAtMillis() : current.openedAtMillis();
        double peak = current == null ? 0 : current.peak();
        for (Alert c : cells) {
            peak = Math.max(peak, c.peak());
        }
        String name = names.nameOf(ZoneKind.DISTRICT, districtId);
        return new Alert(
                Alert.idOf(change.rule(), SubjectKind.DISTRICT, districtId, openedAt),
                change.rule(),
                AlertStatus.ACTIVE,
                worst.severity(),
                change.metric(),
                SubjectKind.DISTRICT,
                districtId,
                name,
                openedAt,
                change.updatedAtMillis(),
                null,
                worst.value(),
                peak,
                worst.threshold(),
                worst.unit(),
                ids.size()
                        + " H3 cells of "
                        + name
                        + " alert on "
                        + change.rule()
                        + ": highest "
                        + Numbers.format(worst.value())
                        + " "
                        + worst.unit()
                        + ", above "
                        + Numbers.format(worst.threshold()),
                current == null ? 1 : current.revision() + 1,
                ids);
    }

    private static Alert cleared(Alert current, long at) {
        return current.cleared(
                at,
                at,
                current.value(),
                current.peak(),
                "Fewer H3 cells of "
                        + current.subjectName()
                        + " alert on "
                        + current.rule()
                        + " than make a district alert");
    }
}
