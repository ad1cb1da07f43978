package org.smartcity.jobs.alerts;

import java.util.Set;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.core.zoning.ZoningSpec;

/**
 * The district of each cell alert of the rules that roll up ({@link CellRollupFunction}); alerts of
 * other rules, and cells outside every district, go nowhere.
 */
final class DistrictOfCell implements FlatMapFunction<Alert, CellAlert> {
    private static final long serialVersionUID = 1L;

    private final ZoningSpec spec;
    private final Set<String> rules;
    private transient Zoning zoning;

    DistrictOfCell(ZoningSpec spec, Set<String> rules) {
        this.spec = spec;
        this.rules = Set.copyOf(rules);
    }

    @Override
    public void flatMap(Alert a, Collector<CellAlert> out) {
        if (a.subjectKind() != SubjectKind.H3 || !rules.contains(a.rule())) {
            return;
        }
        if (zoning == null) {
            zoning = Zoning.create(spec);
        }
        zoning.districtOfCell(a.subjectId()).ifPresent(d -> out.collect(new CellAlert(d.id(), a)));
    }
}
